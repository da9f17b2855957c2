// Menus that say what they do: unsafe fixes marked and never preferred, one entry per distinct edit (MG601 and
// MG602 share their fix), one "ignore" for every code on a line, and Fix All saying what it applied and left.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { INITIAL_MIGRATION, TestClient, applyTextEdits, has, lacks, makeProject } from './client';

const SETTINGS = [
  'DATABASES = {',
  '    "default": {',
  '        "ENGINE": "django.db.backends.postgresql",',
  '        "NAME": "shop",',
  '    },',
  '}',
  '',
].join('\n');

const RUN_PYTHON = [
  'from django.db import migrations',
  '',
  '',
  'def forwards(apps, schema_editor):',
  '    pass',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.RunPython(forwards),',
  '    ]',
  '',
].join('\n');

const project = makeProject({
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
  'config/settings.py': SETTINGS,
});
let client: TestClient;
const titles = (actions: CodeAction[]) => actions.map((action) => action.title);

before(async () => {
  client = new TestClient({ rootPath: project.root });
  await client.initialize();
});

after(async () => {
  await client.dispose();
  project.dispose();
});

test('an unsafe fix says so, and why, in its title and is never preferred', async () => {
  const uri = await client.open(project.write('shop/migrations/0002_data.py', RUN_PYTHON), RUN_PYTHON);
  const diagnostic = (await client.waitForCurrent(uri, has('MG301'))).find((d) => d.code === 'MG301')!;
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const fix = actions.find((action) => action.title.startsWith('Migration Guard (MG301): Add reverse_code='));
  assert.ok(fix, titles(actions).join(' | '));
  assert.equal(fix.title, 'Migration Guard (MG301): Add reverse_code=migrations.RunPython.noop (unsafe: a rollback then leaves the data as it is)');
  assert.notEqual(fix.isPreferred, true);
});

test('a settings line: MG601 and MG602 share one fix, and one action ignores every code of the line', async () => {
  const uri = await client.open(project.path('config/settings.py'), SETTINGS);
  const diagnostics = await client.waitForCurrent(uri, (found) => has('MG601')(found) && has('MG602')(found) && has('MG603')(found));
  const line = diagnostics.find((d) => d.code === 'MG601')!.range.start.line;
  const onLine = diagnostics.filter((d) => d.range.start.line === line);
  const actions = await client.codeActions(uri, onLine[0].range, onLine);
  const all = titles(actions);
  assert.equal(new Set(all).size, all.length, `no two entries with one title: ${all.join(' | ')}`);
  const edits = actions.filter((action) => action.edit).map((action) => JSON.stringify(action.edit));
  assert.equal(new Set(edits).size, edits.length, `no two entries with one edit: ${all.join(' | ')}`);
  const timeouts = actions.filter((action) => /statement_timeout/.test(action.title));
  assert.equal(timeouts.length, 1, all.join(' | '));
  assert.match(timeouts[0].title, /^Migration Guard \(MG601, MG602\): Add `-c statement_timeout=30000 -c lock_timeout=4000` to OPTIONS\["options"\] \(unsafe: /);
  assert.deepEqual(timeouts[0].diagnostics?.map((d) => d.code).sort(), ['MG601', 'MG602']);
  const codes = [...new Set(onLine.map((d) => String(d.code)))].sort();
  const ignores = actions.filter((action) => / on this line$/.test(action.title));
  assert.deepEqual(titles(ignores), [`Migration Guard: Ignore ${codes.join(', ')} on this line`]);
  const ignored = applyTextEdits(SETTINGS, ignores[0].edit!.changes![uri]);
  assert.ok(ignored.split('\n')[line].endsWith(`  # noqa: ${codes.join(', ')}`), ignored);
  await client.replace(uri, ignored);
  await client.waitForCurrent(uri, (found) => codes.every((code) => lacks(code)(found)));
  await client.replace(uri, SETTINGS);
});

test('Fix All names what it applied and the unsafe fixes it left', async () => {
  const text = RUN_PYTHON.replace('class Migration(migrations.Migration):\n', 'class Migration(migrations.Migration):\n    atomic = True\n')
    .replace('        migrations.RunPython(forwards),\n', '        migrations.RunPython(forwards),\n        migrations.RunSQL("CREATE INDEX CONCURRENTLY i ON shop_order (id)", reverse_sql="DROP INDEX i"),\n');
  const uri = await client.open(project.write('shop/migrations/0003_fix_all.py', text), text);
  await client.waitForCurrent(uri, (found) => has('MG109')(found) && has('MG301')(found));
  const nowhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const [action] = await client.codeActions(uri, nowhere, [], ['source.fixAll.migrationGuard']);
  assert.equal(action?.title, 'Migration Guard: Fix all safe problems (1 safe fix; 1 unsafe fix left (MG301): they may change behaviour, use the lightbulb)');
});
