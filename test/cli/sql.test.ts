// `check` and raw SQL: PostgreSQL's SQL parser is loaded only when a migration to lint has a RunSQL, on one
// thread and in worker threads; when it cannot load, one line says so and every other rule still runs.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { runCheck } from '../../server/src/cli/check';
import { sqlParserState } from '../../server/src/base/sql-parser';
import { CLI, cleanup, locate, makeProject, migration, ADD_INDEX, type JsonFinding } from './helpers';

after(cleanup);

const INITIAL = migration('        migrations.CreateModel("Order", [("id", models.BigAutoField(primary_key=True))]),', { dependency: '__first__' })
  .replace('    dependencies = [("shop", "__first__")]', '    initial = True\n    dependencies = []');
const BAD_SQL = migration('        migrations.RunSQL("ALTER TABLE shop_order ADD COLUM note text", reverse_sql=migrations.RunSQL.noop),');

async function checkInProcess(root: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCheck(['.', '--format', 'json'], { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, cwd: root });
  return { status, stdout, stderr };
}

describe('check: PostgreSQL\'s SQL parser', () => {
  test('is not loaded for a project without RunSQL, and is for one with it', async () => {
    const plain = makeProject({ 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_idx.py': migration(ADD_INDEX) });
    const withoutSql = await checkInProcess(plain);
    assert.ok((JSON.parse(withoutSql.stdout) as JsonFinding[]).some((f) => f.code === 'MG101'), withoutSql.stdout);
    assert.equal(sqlParserState(), 'not-loaded');

    const raw = makeProject({ 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_sql.py': BAD_SQL });
    const withSql = await checkInProcess(raw);
    assert.equal(sqlParserState(), 'loaded');
    const findings = JSON.parse(withSql.stdout) as JsonFinding[];
    const syntax = findings.find((f) => f.code === 'MG401');
    assert.ok(syntax, withSql.stdout);
    assert.match(syntax.message, /syntax error at or near "text"/);
    assert.deepEqual(syntax.location, locate(BAD_SQL, 'text"'));
    assert.equal(withSql.status, 1);
  });

  test('in worker threads too (--jobs 2 on a project large enough to use them)', () => {
    const files: Record<string, string> = { 'shop/migrations/0001_initial.py': INITIAL };
    let previous = '0001_initial';
    for (let n = 2; n <= 220; n++) {
      const name = `${String(n).padStart(4, '0')}_sql`;
      files[`shop/migrations/${name}.py`] = BAD_SQL.replace('0001_initial', previous);
      previous = name;
    }
    const root = makeProject(files);
    const child = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', '--jobs', '2'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const findings = JSON.parse(child.stdout) as JsonFinding[];
    assert.equal(findings.filter((f) => f.code === 'MG401').length, 219, child.stderr);
    assert.equal(child.stderr, '');
  });

  test('a wasm that fails to load: one line on stderr, the other rules still run; without RunSQL nothing is said', () => {
    // The tree-sitter wasm files as built, and a libpg-query.wasm that is not WebAssembly.
    const wasm = mkdtempSync(join(tmpdir(), 'mg-broken-wasm-'));
    for (const name of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm']) copyFileSync(join(CLI, '..', name), join(wasm, name));
    writeFileSync(join(wasm, 'libpg-query.wasm'), 'not a wasm module');
    const env = { ...process.env, MIGRATION_GUARD_WASM_DIR: wasm };
    const check = (root: string) => spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: root, encoding: 'utf8', env });

    const raw = makeProject({
      'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_sql.py': migration(`        migrations.RunSQL("ALTER TABLE shop_order ADD COLUM note text"),\n${ADD_INDEX}`),
    });
    const broken = check(raw);
    const lines = broken.stderr.trim().split('\n');
    assert.equal(lines.length, 1, broken.stderr);
    assert.match(lines[0], /^migration-guard: PostgreSQL's SQL parser could not be loaded \(.+\): SQL inside RunSQL is not checked; the other rules run\.$/);
    const codes = (JSON.parse(broken.stdout) as JsonFinding[]).map((f) => f.code).sort();
    assert.deepEqual(codes, ['MG101', 'MG302']);

    const plain = makeProject({ 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_idx.py': migration(ADD_INDEX) });
    const quiet = check(plain);
    assert.equal(quiet.stderr, '');
    assert.deepEqual((JSON.parse(quiet.stdout) as JsonFinding[]).map((f) => f.code), ['MG101']);
  });
});
