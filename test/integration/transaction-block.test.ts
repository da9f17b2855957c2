// What Django's `migrate` does with the statements PostgreSQL accepts only outside, or only inside, a transaction
// block, on Debian's Django 3.2 and PostgreSQL 15: `VACUUM` in an atomic migration fails as MG109 says, and the
// migration MG109's fix writes (`atomic = False`, by the built CLI's --fix) migrates forward, back and forward
// again; `LOCK TABLE` in a migration with `atomic = False` fails as MG114 says, and works inside the SQL's own
// `BEGIN … COMMIT` or in one list item with other statements (an implicit transaction block), where MG114 gives
// the lock instead; a string of several statements is one execute call on PostgreSQL (Django sends it whole), so
// CREATE INDEX CONCURRENTLY in one fails even with `atomic = False` (MG109), and in a list item of its own runs.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEBIAN_PYTHON, djangoEnv, djangoProblems } from './harness/django';
import { requirePrograms } from './harness/packages';
import { Postgres } from './harness/postgres';
import { run } from './harness/run';
import { removeTempDirs, tempDir } from '../settings/project';
import { REPO_ROOT } from '../helpers/paths';

let server: Postgres;
let databases = 0;

before(async () => {
  requirePrograms('These tests need Debian\'s Django and psycopg2', djangoProblems({ python: DEBIAN_PYTHON, modules: ['psycopg2'] }));
  server = await Postgres.start();
});

after(() => {
  server?.stopSync();
  removeTempDirs();
});

const INITIAL = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = []',
  '',
  '    operations = [',
  '        migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("note", models.TextField(default=""))]),',
  '    ]',
  '',
].join('\n');

function migration(attributes: string[], operations: string[]): string {
  return [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...attributes.map((line) => `    ${line}`),
    '    dependencies = [("shop", "0001_initial")]',
    '',
    '    operations = [',
    ...operations.map((line) => `        ${line}`),
    '    ]',
    '',
  ].join('\n');
}

/** A Django project on its own database with shop/migrations/0001 (Order) and 0002 = `second`. */
async function project(second: string): Promise<string> {
  const dir = tempDir('mg-txblock-');
  const database = `txblock_${++databases}`;
  const created = await run('/usr/lib/postgresql/15/bin/psql', ['-h', server.host, '-p', String(server.port), '-U', server.user, '-d', 'postgres', '-c', `CREATE DATABASE ${database}`]);
  assert.equal(created.status, 0, created.stderr);
  const files: Record<string, string> = {
    'txsite/__init__.py': '',
    'txsite/settings.py': [
      'SECRET_KEY = "tx"',
      'INSTALLED_APPS = ["shop"]',
      'USE_TZ = True',
      `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${database}", "HOST": "${server.host}", "PORT": "${server.port}", "USER": "${server.user}"}}`,
      '',
    ].join('\n'),
    'pyproject.toml': '[tool.migration-guard]\ndjango-version = "3.2"\n',
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL,
    'shop/migrations/0002_change.py': second,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function migrate(dir: string, ...target: string[]): Promise<{ ok: boolean; output: string }> {
  const result = await run(DEBIAN_PYTHON, ['-m', 'django', 'migrate', ...target], { cwd: dir, env: djangoEnv(dir, 'txsite.settings'), timeoutMs: 120_000 });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

/** The built CLI's findings on the project, as `CODE message` lines. */
async function check(dir: string, ...flags: string[]): Promise<string[]> {
  const result = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', '.', '--format', 'json', '--exit-zero', ...flags], { cwd: dir });
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout) as { code: string; message: string }[]).map((v) => `${v.code} ${v.message}`);
}

describe('statements and transaction blocks, through Django 3.2 on PostgreSQL 15', () => {
  test('VACUUM in an atomic migration fails (MG109); with its fix, atomic = False, it migrates forward, back and forward', async () => {
    const dir = await project(migration([], ['migrations.RunSQL("VACUUM ANALYZE shop_order", reverse_sql=migrations.RunSQL.noop),']));
    assert.ok((await check(dir)).some((line) => line.startsWith('MG109 `RunSQL` with `VACUUM` cannot run inside a transaction')));
    const failed = await migrate(dir);
    assert.equal(failed.ok, false);
    assert.match(failed.output, /VACUUM cannot run inside a transaction block/);
    await check(dir, '--fix');
    const fixed = readFileSync(join(dir, 'shop/migrations/0002_change.py'), 'utf8');
    assert.match(fixed, /atomic = False/);
    assert.deepEqual((await check(dir)).filter((line) => line.startsWith('MG109')), []);
    for (const target of [[], ['shop', 'zero'], []]) {
      const step = await migrate(dir, ...target);
      assert.ok(step.ok, `migrate ${target.join(' ')}:\n${step.output}`);
    }
  });

  test('VACUUM FULL with atomic = False runs (MG114 names its lock, MG109 is silent)', async () => {
    const dir = await project(migration(['atomic = False'], ['migrations.RunSQL("VACUUM FULL shop_order", reverse_sql=migrations.RunSQL.noop),']));
    const findings = await check(dir);
    assert.deepEqual(findings.filter((line) => /^MG1(09|14)/.test(line)).map((line) => line.slice(0, 5)), ['MG114']);
    const result = await migrate(dir);
    assert.ok(result.ok, result.output);
  });

  test('LOCK TABLE alone with atomic = False fails (MG114); inside the SQL\'s own BEGIN … COMMIT, or sent with other statements in one string, it runs', async () => {
    const alone = await project(migration(['atomic = False'], ['migrations.RunSQL("LOCK TABLE shop_order IN SHARE MODE", reverse_sql=migrations.RunSQL.noop),']));
    const aloneFindings = await check(alone);
    assert.ok(aloneFindings.some((line) => line.startsWith('MG114 `LOCK TABLE` `shop_order` (model `shop.order`) in a migration with `atomic = False` fails at deploy time')), aloneFindings.join('\n'));
    const failed = await migrate(alone);
    assert.equal(failed.ok, false, failed.output);
    assert.match(failed.output, /LOCK TABLE can only be used in transaction blocks/);

    // Django's PostgreSQL backend sends a string whole (prepare_sql_script returns [sql]): several statements in
    // one string run as one implicit transaction block, as do several in one list item.
    const block = await project(migration(['atomic = False'], [
      'migrations.RunSQL("BEGIN; LOCK TABLE shop_order IN SHARE MODE; UPDATE shop_order SET note = \'\' WHERE id = 1; COMMIT;", reverse_sql=migrations.RunSQL.noop),',
      'migrations.RunSQL("LOCK TABLE shop_order IN SHARE MODE; UPDATE shop_order SET note = \'\' WHERE id = 2", reverse_sql=migrations.RunSQL.noop),',
      'migrations.RunSQL(["LOCK TABLE shop_order IN SHARE MODE; UPDATE shop_order SET note = \'\' WHERE id = 3"], reverse_sql=migrations.RunSQL.noop),',
    ]));
    const findings = (await check(block)).filter((line) => line.startsWith('MG114'));
    assert.equal(findings.length, 3, findings.join('\n'));
    assert.ok(findings.every((line) => /takes a SHARE lock and keeps it until the transaction ends/.test(line)), findings.join('\n'));
    const result = await migrate(block);
    assert.ok(result.ok, result.output);
  });

  test('a string of several statements is one transaction block: CREATE INDEX CONCURRENTLY in it fails even with atomic = False (MG109)', async () => {
    const dir = await project(migration(['atomic = False'], [
      'migrations.RunSQL("CREATE INDEX CONCURRENTLY order_note_idx ON shop_order (note); CREATE INDEX CONCURRENTLY order_id_note_idx ON shop_order (id, note)", reverse_sql=migrations.RunSQL.noop),',
    ]));
    assert.ok((await check(dir)).some((line) => /^MG109 `RunSQL` with `CREATE INDEX CONCURRENTLY` is sent to PostgreSQL in one string with other statements/.test(line)));
    const failed = await migrate(dir);
    assert.equal(failed.ok, false, failed.output);
    assert.match(failed.output, /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    // One statement per string (or per list item) runs.
    const split = await project(migration(['atomic = False'], [
      'migrations.RunSQL(["CREATE INDEX CONCURRENTLY order_note_idx ON shop_order (note)", "CREATE INDEX CONCURRENTLY order_id_note_idx ON shop_order (id, note)"], reverse_sql=migrations.RunSQL.noop),',
    ]));
    assert.deepEqual((await check(split)).filter((line) => line.startsWith('MG109')), []);
    const result = await migrate(split);
    assert.ok(result.ok, result.output);
  });
});
