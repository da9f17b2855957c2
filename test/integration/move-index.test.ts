// MG101/MG102/MG103's "Move the index operations into a migration of their own" through Django and PostgreSQL
// 15 (issue 13 item 14): the built CLI applies the fix to test/fixtures/move-index and move-index-sql; then
// Debian's Django 3.2 and Django 5.2 migrate each forward (the new migration runs CONCURRENTLY, outside a
// transaction), the schema equals the original's end state with the index valid, `makemigrations --check
// --dry-run` finds nothing to do, and it migrates one step back, to zero and forward again.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { REPO_ROOT } from '../helpers/paths';
import { DEBIAN_PYTHON, requireDjango } from './harness/django';
import { django5Python } from './harness/django5';
import { Postgres } from './harness/postgres';
import { run } from './harness/run';

/** The fixture projects: Django's index operations, and index-only RunSQL (what the end state must hold). */
const CASES = [
  { fixture: 'move-index', created: '0003_order_order_created_idx_and_more', holds: /"order_created_idx","CREATE INDEX order_created_idx ON public\.shop_order USING btree \(created_at\)",true/, before: /order_reference_idx/ },
  { fixture: 'move-index-sql', created: '0003_order_reference_uniq_order_note_idx', holds: /"order_reference_uniq","CREATE UNIQUE INDEX order_reference_uniq ON public\.shop_order USING btree \(reference\)",true/, before: /^(?![\s\S]*order_note_idx)/ },
];

let server: Postgres;
const cleanup: string[] = [];

before(async () => {
  server = await Postgres.start();
});

after(() => {
  server?.stopSync();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

async function sql<T>(database: string, text: string): Promise<T[]> {
  const client = new Client({ host: server.host, port: server.port, user: server.user, database });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/** The fixture project (without its expected files) and a settings module outside it, for one database. */
function project(fixture: string, database: string): { dir: string; settings: string } {
  const dir = temporary('mg-move-index-');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', fixture), dir, { recursive: true });
  rmSync(join(dir, 'expected'), { recursive: true });
  const settings = temporary('mg-move-index-settings-');
  writeFileSync(join(settings, 'mg_move_settings.py'), [
    'SECRET_KEY = "move-index-test"',
    'INSTALLED_APPS = ["shop"]',
    'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
    'USE_TZ = True',
    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${database}", "USER": "${server.user}", "HOST": "${server.host}", "PORT": "${server.port}"}}`,
    '',
  ].join('\n'));
  return { dir, settings };
}

async function django(python: string, where: { dir: string; settings: string }, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: `${where.dir}:${where.settings}`, DJANGO_SETTINGS_MODULE: 'mg_move_settings', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.DATABASE_URL;
  const result = await run(python, ['-m', 'django', ...args], { cwd: where.dir, env });
  assert.equal(result.status, 0, `django ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Columns, constraints and indexes (by definition, with validity) of the app's tables. */
async function schema(database: string): Promise<unknown> {
  const [row] = await sql<{ schema: unknown }>(database, `SELECT json_build_object(
    'columns', (SELECT json_agg(json_build_array(table_name, column_name, data_type, is_nullable) ORDER BY table_name, column_name)
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'shop\\_%'),
    'indexes', (SELECT json_agg(json_build_array(c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid) ORDER BY c.relname)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relname LIKE 'shop\\_%')) AS schema`);
  return row.schema;
}

let databases = 0;

describe('Move the index into a migration of its own, through Django and PostgreSQL 15', () => {
  for (const { fixture, created, holds, before: stepBack } of CASES) {
    test(`${fixture}: Django migrates the fixed project forward and back; the end state is the original's; makemigrations finds nothing`, async () => {
      requireDjango({ modules: ['psycopg2'] });
      for (const python of [DEBIAN_PYTHON, await django5Python()]) {
        const version = (await run(python, ['-c', 'import django; print(django.get_version())'])).stdout.trim();
        const original = `move_original_${++databases}`;
        const fixed = `move_fixed_${databases}`;
        await sql('postgres', `CREATE DATABASE ${original}`);
        await sql('postgres', `CREATE DATABASE ${fixed}`);
        const before = project(fixture, original);
        const afterFix = project(fixture, fixed);

        const cli = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', '.', '--fix', '--unsafe-fixes'], { cwd: afterFix.dir });
        assert.equal(cli.status, 0, `${cli.stdout}\n${cli.stderr}`);
        assert.ok(existsSync(join(afterFix.dir, 'shop', 'migrations', `${created}.py`)), cli.stderr);

        await django(python, before, ['migrate', '--noinput']);
        const plan = await django(python, afterFix, ['migrate', '--noinput']);
        assert.match(plan, new RegExp(`Applying shop\\.${created}\\.\\.\\. OK`), `Django ${version}`);
        const end = await schema(fixed);
        assert.deepEqual(end, await schema(original), `Django ${version}: the end state is the original's`);
        assert.match(JSON.stringify(end), holds);
        await django(python, afterFix, ['makemigrations', '--check', '--dry-run', 'shop']);

        // One step back (the moved operations' reverse, outside a transaction), then to zero, then forward again.
        await django(python, afterFix, ['migrate', 'shop', '0002', '--noinput']);
        assert.match(JSON.stringify(await schema(fixed)), stepBack);
        await django(python, afterFix, ['migrate', 'shop', 'zero', '--noinput']);
        await django(python, afterFix, ['migrate', '--noinput']);
        assert.deepEqual(await schema(fixed), end, `Django ${version}: forward again`);
      }
    });
  }
});
