// "Rewrite as safe steps" through Django and PostgreSQL 15: for each rewrite fixture, Django applies the original
// migration to one database and the rewritten sequence to another; the schemas (columns, types, nullability,
// constraints, indexes by definition) are equal, `makemigrations --check --dry-run` finds nothing to do after the
// rewrite, `sqlmigrate` of each step prints the SQL the rewrite says it runs (what test/postgres/rewrites.test.ts
// replays on PGlite), the new code's inserts succeed after step 1, migrating back to 0001 gives the schema the
// original's reverse gives, and the sequence migrates back to zero and forward again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { initParser } from '../../server/src/base/parser';
import { CASES, copyProject, rewriteProject, type Case } from '../rewrite/helpers';
import { DEBIAN_PYTHON, requireDjango } from './harness/django';
import { django5Python } from './harness/django5';
import { Postgres } from './harness/postgres';
import { run } from './harness/run';

let server: Postgres;
const cleanup: string[] = [];

before(async () => {
  server = await Postgres.start();
  await initParser();
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

/** A settings module outside the project (the project is what the linter reads), for one database. */
function settingsFor(database: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-rewrite-settings-'));
  cleanup.push(dir);
  writeFileSync(join(dir, 'mg_rewrite_settings.py'), [
    'SECRET_KEY = "rewrite-test"',
    'INSTALLED_APPS = ["shop"]',
    'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
    'USE_TZ = True',
    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${database}", "USER": "${server.user}", "HOST": "${server.host}", "PORT": "${server.port}"}}`,
    '',
  ].join('\n'));
  return dir;
}

interface Project {
  python: string;
  dir: string;
  settings: string;
}

async function django(project: Project, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: `${project.dir}:${project.settings}`, DJANGO_SETTINGS_MODULE: 'mg_rewrite_settings', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.DATABASE_URL;
  const result = await run(project.python, ['-m', 'django', ...args], { cwd: project.dir, env });
  assert.equal(result.status, 0, `django ${args.join(' ')} in ${project.dir} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Inserts a row through the ORM, as the code of `models.py` writes it, in a transaction rolled back. */
async function insertWithModel(project: Project, model: string, values: Record<string, unknown>): Promise<void> {
  const script = [
    'import json, sys, django',
    'django.setup()',
    'from django.db import transaction',
    'from django.apps import apps',
    'class Rollback(Exception): pass',
    'try:',
    '    with transaction.atomic():',
    '        apps.get_model("shop", sys.argv[1]).objects.create(**json.loads(sys.argv[2]))',
    '        raise Rollback',
    'except Rollback:',
    '    pass',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: `${project.dir}:${project.settings}`, DJANGO_SETTINGS_MODULE: 'mg_rewrite_settings', PYTHONDONTWRITEBYTECODE: '1' };
  const result = await run(project.python, ['-c', script, model, JSON.stringify(values)], { cwd: project.dir, env });
  assert.equal(result.status, 0, `the new code's insert ${JSON.stringify(values)} failed:\n${result.stderr}`);
}

/** The app's schema: columns, constraints and indexes by definition, sorted. */
async function schema(database: string): Promise<unknown> {
  const [row] = await sql<{ schema: unknown }>(database, `SELECT json_build_object(
    'columns', (SELECT json_agg(json_build_array(table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity) ORDER BY table_name, column_name)
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'shop\\_%'),
    'constraints', (SELECT json_agg(json_build_array(c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid), c.convalidated) ORDER BY 1, 2)
      FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace AND c.conrelid::regclass::text LIKE 'shop\\_%'),
    'indexes', (SELECT json_agg(json_build_array(tablename, indexname, indexdef) ORDER BY tablename, indexname)
      FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'shop\\_%')) AS schema`);
  return row.schema;
}

/** The statements of `sqlmigrate` output, without its comments and BEGIN/COMMIT. */
function statements(output: string): string[] {
  return output.split('\n').filter((line) => !line.startsWith('--') && line !== 'BEGIN;' && line !== 'COMMIT;').join('\n')
    .split(/;\s*(?:\n|$)/).map((statement) => statement.trim()).filter(Boolean);
}

let databases = 0;

async function pythonsFor(testCase: Case): Promise<string[]> {
  // The projects pinned to 3.2 (no AddConstraintNotValid): the route through RunSQL, on Debian's Django 3.2.
  if (testCase.project === 'set-not-null-django32' || testCase.project === 'add-not-null-django32') return [DEBIAN_PYTHON];
  // AddConstraintNotValid and ValidateConstraint are Django ≥ 4.0: MG106's route for a project on 5.2 runs on 5.2 only.
  if (testCase.code === 'MG106') return [await django5Python()];
  // MG201's route on Django 4.0–4.2 (before db_default; AddConstraintNotValid since 4.0): the fixture pins 4.2,
  // whose generated code (CheckConstraint(check=…)) Django 5.2 runs too; 3.2 lacks the operations (its fixture is
  // add-not-null-django32), and no 4.x is installable here.
  if (testCase.code === 'MG201') return [await django5Python()];
  if (testCase.code === 'MG204' || testCase.code === 'MG205') return [DEBIAN_PYTHON, await django5Python()];
  // Django 3.2 writes a serial primary key, 4.1+ an identity column: the reverse of MG203's step 2 follows the
  // Django version the project pins (5.2), so it runs on 5.2 only.
  if (testCase.code === 'MG203') return [await django5Python()];
  requireDjango({ modules: ['psycopg2'] });
  return [DEBIAN_PYTHON, await django5Python()];
}

for (const testCase of CASES) {
  describe(`${testCase.code} rewrite (${testCase.project}) through Django and PostgreSQL 15`, () => {
    test('same end state as the original, no changes left for makemigrations, each step\'s SQL as claimed, reversible', async () => {
      for (const python of await pythonsFor(testCase)) {
        const original = `original_${++databases}`;
        const rewritten = `rewritten_${databases}`;
        await sql('postgres', `CREATE DATABASE ${original}`);
        await sql('postgres', `CREATE DATABASE ${rewritten}`);
        const before: Project = { python, dir: copyProject(testCase.project), settings: settingsFor(original) };
        const afterRewrite: Project = { python, dir: copyProject(testCase.project), settings: settingsFor(rewritten) };
        cleanup.push(before.dir, afterRewrite.dir);
        const rewrite = rewriteProject(afterRewrite.dir, testCase);
        const version = (await run(python, ['-c', 'import django; print(django.get_version())'])).stdout.trim();
        const label = `${testCase.project} on Django ${version}`;

        // A rename rewritten runs no SQL: its end state is the schema before the migration (the column or the table keeps its name).
        const keepsSchema = testCase.code === 'MG204' || testCase.code === 'MG205';
        await django(before, keepsSchema ? ['migrate', 'shop', '0001_initial', '--noinput'] : ['migrate', '--noinput']);
        // Step 1, then what the new code writes must succeed.
        await django(afterRewrite, ['migrate', 'shop', basename(testCase.migration, '.py'), '--noinput']);
        await insertWithModel(afterRewrite, testCase.insert.model, testCase.insert.values);
        await django(afterRewrite, ['migrate', '--noinput']);
        assert.deepEqual(await schema(rewritten), await schema(original), `${label}: the schemas differ`);
        await django(afterRewrite, ['makemigrations', '--check', '--dry-run']);

        const names = [basename(testCase.migration, '.py'), ...rewrite.files.map((file) => file.name)];
        for (const [index, step] of rewrite.steps.entries()) {
          const printed = statements(await django(afterRewrite, ['sqlmigrate', 'shop', names[index]]));
          assert.deepEqual(printed, step.database.map((statement) => statement.sql), `${label}: sqlmigrate shop ${names[index]}`);
        }
        // Backwards: the reverse of every step gives back the schema the original migration's reverse gives.
        await django(before, ['migrate', 'shop', '0001_initial', '--noinput']);
        await django(afterRewrite, ['migrate', 'shop', '0001_initial', '--noinput']);
        assert.deepEqual(await schema(rewritten), await schema(original), `${label}: the schemas differ after migrating back to 0001`);
        await django(afterRewrite, ['migrate', 'shop', 'zero', '--noinput']);
        await django(afterRewrite, ['migrate', '--noinput']);
        await django(before, keepsSchema ? ['migrate', 'shop', '0001_initial', '--noinput'] : ['migrate', '--noinput']);
        assert.deepEqual(await schema(rewritten), await schema(original), `${label}: the schemas differ after migrating back and forth`);
      }
    });
  });
}
