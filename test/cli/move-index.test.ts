// MG101/MG102's fix for an atomic migration with other operations (issue 13 item 14): the index operations move,
// as AddIndexConcurrently/RemoveIndexConcurrently, into a new migration after this one. Through the built CLI:
// --unsafe-fixes writes both files (as test/fixtures/move-index/expected/ has them), both parse, the re-lint is
// clean of MG101/MG102/MG109, a second run changes nothing; --diff writes nothing; an existing file is never
// written over; not offered where the new file would make a second leaf or change the order of operations.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, run, runJson } from './helpers';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'move-index');
const MIGRATIONS = 'shop/migrations';
const SOURCE = `${MIGRATIONS}/0002_order_note_and_more.py`;
const CREATED = `${MIGRATIONS}/0003_order_order_created_idx_and_more.py`;
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mg-move-index-')));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(join(dir, 'expected'), { recursive: true });
  return dir;
}

function expected(name: string): string {
  return readFileSync(join(FIXTURE, 'expected', name), 'utf8');
}

function pythonParses(path: string): void {
  const parsed = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1], encoding="utf-8").read())', path]);
  assert.equal(parsed.status, 0, String(parsed.stderr));
}

function files(dir: string): string[] {
  return readdirSync(join(dir, MIGRATIONS)).sort();
}

describe('MG101/MG102: move the index operations into a migration of their own', () => {
  test('offered first, unsafe, with the new file; the atomic = False fix stays as the alternative', () => {
    const dir = copy();
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const index = findings.filter((finding) => finding.code === 'MG101' || finding.code === 'MG102');
    assert.deepEqual(index.map((finding) => finding.code), ['MG101', 'MG102']);
    for (const finding of index) {
      const fix = finding.fix as NonNullable<typeof finding.fix> & { new_files?: { path: string; content: string }[] };
      assert.equal(fix.applicability, 'unsafe');
      assert.equal(fix.message, 'Move the 2 index operations into a migration of its own (0003_order_order_created_idx_and_more)');
      assert.deepEqual(fix.new_files?.map((file) => file.path), [join(dir, CREATED)]);
      assert.equal(fix.new_files?.[0].content, expected('0003_order_order_created_idx_and_more.py'));
    }
  });

  test('--unsafe-fixes writes both files; both parse; clean re-lint; a second run changes nothing', () => {
    const dir = copy();
    const fixed = run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stderr, /0003_order_order_created_idx_and_more\.py: created by the fix of .*0002_order_note_and_more\.py/);
    assert.match(fixed.stdout, /All checks passed \(3 files\)/);
    assert.equal(readFileSync(join(dir, SOURCE), 'utf8'), expected('0002_order_note_and_more.py'));
    assert.equal(readFileSync(join(dir, CREATED), 'utf8'), expected('0003_order_order_created_idx_and_more.py'));
    pythonParses(join(dir, SOURCE));
    pythonParses(join(dir, CREATED));
    const relint = runJson(['.', '--exit-zero'], dir);
    assert.deepEqual(relint.findings.filter((finding) => ['MG101', 'MG102', 'MG109', 'MG501'].includes(finding.code)), []);
    const before = files(dir).map((name) => readFileSync(join(dir, MIGRATIONS, name), 'utf8'));
    const again = run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(files(dir).map((name) => readFileSync(join(dir, MIGRATIONS, name), 'utf8')), before);
  });

  test('a CRLF migration: both files keep CRLF line endings', () => {
    const dir = copy();
    writeFileSync(join(dir, SOURCE), readFileSync(join(dir, SOURCE), 'utf8').replace(/\n/g, '\r\n'));
    const fixed = run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.equal(readFileSync(join(dir, SOURCE), 'utf8'), expected('0002_order_note_and_more.py').replace(/\n/g, '\r\n'));
    assert.equal(readFileSync(join(dir, CREATED), 'utf8'), expected('0003_order_order_created_idx_and_more.py').replace(/\n/g, '\r\n'));
  });

  test('--fix alone (safe fixes) leaves both files: the move is unsafe', () => {
    const dir = copy();
    run(['check', '.', '--fix', '--exit-zero'], dir);
    assert.equal(existsSync(join(dir, CREATED)), false);
    assert.equal(readFileSync(join(dir, SOURCE), 'utf8'), readFileSync(join(FIXTURE, SOURCE), 'utf8'));
  });

  test('--diff prints the new file against /dev/null and writes nothing', () => {
    const dir = copy();
    const diff = run(['check', '.', '--fix', '--unsafe-fixes', '--diff'], dir);
    assert.match(diff.stdout, /--- \/dev\/null\n\+\+\+ b\/shop\/migrations\/0003_order_order_created_idx_and_more\.py\n/);
    assert.match(diff.stdout, /^-        migrations\.AddIndex\($/m);
    assert.equal(existsSync(join(dir, CREATED)), false);
    assert.equal(readFileSync(join(dir, SOURCE), 'utf8'), readFileSync(join(FIXTURE, SOURCE), 'utf8'));
  });

  test('a file already at the new path, no migration the index can read: the move is not offered (its number is taken), the file is never written over', () => {
    const dir = copy();
    // Not a migration Django or the index can see (no Migration class): the number may be the new file's.
    writeFileSync(join(dir, CREATED), '# mine\n');
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const mg101 = findings.find((finding) => finding.code === 'MG101');
    assert.match(mg101?.fix?.message ?? '', /^Use AddIndexConcurrently and set atomic = False/);
    run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.equal(readFileSync(join(dir, CREATED), 'utf8'), '# mine\n');
  });

  test('not offered when another migration depends on this one (the new file would make a second leaf)', () => {
    const dir = copy();
    writeFileSync(join(dir, MIGRATIONS, '0003_later.py'), [
      'from django.db import migrations',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [("shop", "0002_order_note_and_more")]',
      '',
      '    operations = []',
      '',
    ].join('\n'));
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const mg101 = findings.find((finding) => finding.code === 'MG101');
    assert.match(mg101?.fix?.message ?? '', /^Use AddIndexConcurrently and set atomic = False for the whole migration$/);
  });

  test('not offered when the app\'s history is incomplete in the workspace (the next free number is unknown)', () => {
    const dir = copy();
    rmSync(join(dir, MIGRATIONS, '0001_initial.py'));
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const mg101 = findings.find((finding) => finding.code === 'MG101');
    assert.match(mg101?.fix?.message ?? '', /^Use AddIndexConcurrently and set atomic = False/);
  });

  test('not offered when a later operation of the migration touches the same model', () => {
    const dir = copy();
    const text = readFileSync(join(dir, SOURCE), 'utf8').replace(
      '        migrations.RemoveIndex(model_name="order", name="order_reference_idx"),\n',
      '        migrations.RemoveIndex(model_name="order", name="order_reference_idx"),\n        migrations.AlterField(model_name="order", name="created_at", field=models.DateTimeField(null=True)),\n',
    );
    writeFileSync(join(dir, SOURCE), text);
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const mg101 = findings.find((finding) => finding.code === 'MG101');
    assert.match(mg101?.fix?.message ?? '', /^Use AddIndexConcurrently and set atomic = False/);
  });
});

describe('MG101/MG103 in RunSQL: the index-only RunSQL operations move, CONCURRENTLY written', () => {
  const SQL_FIXTURE = join(ROOT, 'test', 'fixtures', 'move-index-sql');
  const SQL_SOURCE = `${MIGRATIONS}/0002_order_note.py`;
  const SQL_CREATED = `${MIGRATIONS}/0003_order_reference_uniq_order_note_idx.py`;

  test('--unsafe-fixes writes both files as expected; clean re-lint; a second run changes nothing', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mg-move-index-sql-')));
    dirs.push(dir);
    cpSync(SQL_FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'expected'), { recursive: true });
    const { findings } = runJson(['.', '--exit-zero'], dir);
    assert.deepEqual(findings.map((finding) => [finding.code, finding.fix?.message]), [
      ['MG103', 'Move the 2 index operations into a migration of its own (0003_order_reference_uniq_order_note_idx)'],
      ['MG101', 'Move the 2 index operations into a migration of its own (0003_order_reference_uniq_order_note_idx)'],
    ]);
    const fixed = run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    for (const [path, name] of [[SQL_SOURCE, '0002_order_note.py'], [SQL_CREATED, '0003_order_reference_uniq_order_note_idx.py']]) {
      assert.equal(readFileSync(join(dir, path), 'utf8'), readFileSync(join(SQL_FIXTURE, 'expected', name), 'utf8'));
      pythonParses(join(dir, path));
    }
    assert.deepEqual(runJson(['.', '--exit-zero'], dir).findings, []);
    const before = files(dir).map((name) => readFileSync(join(dir, MIGRATIONS, name), 'utf8'));
    run(['check', '.', '--fix', '--unsafe-fixes'], dir);
    assert.deepEqual(files(dir).map((name) => readFileSync(join(dir, MIGRATIONS, name), 'utf8')), before);
  });

  test('a RunSQL that also does something else stays, and so the move is not offered for it', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mg-move-index-sql-')));
    dirs.push(dir);
    cpSync(SQL_FIXTURE, dir, { recursive: true });
    const path = join(dir, SQL_SOURCE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"CREATE INDEX order_note_idx ON shop_order (note)"', '"CREATE INDEX order_note_idx ON shop_order (note); UPDATE shop_order SET note = \'\'"'));
    const { findings } = runJson(['.', '--exit-zero'], dir);
    const mg101 = findings.find((finding) => finding.code === 'MG101');
    assert.ok(mg101);
    assert.doesNotMatch(mg101.fix?.message ?? '', /migration of its own/);
  });
});
