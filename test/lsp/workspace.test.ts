// "Lint Workspace" (migrationGuard/lintWorkspace) over a real LSP connection: files on disk get diagnostics,
// kept fresh through watched-file events; open documents keep their live text; settings modules named by
// DJANGO_SETTINGS_MODULE count.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, TestClient, has, makeProject, uriOf } from './client';


const CLEAN_MIGRATION = [
  'from django.db import migrations',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = []',
  '    operations = []',
  '',
].join('\n');

/** A second migration with nothing to report: depends on 0001 (so `shop` keeps a single leaf). */
const CLEAN_SECOND = CLEAN_MIGRATION.replace('    initial = True\n    dependencies = []', '    dependencies = [("shop", "0001_initial")]');

describe('lint workspace', () => {
  const project = makeProject({
    'pyproject.toml': '[tool.migration-guard]\nexclude = ["legacy/**"]\n',
    'shop/__init__.py': '',
    'shop/models.py': 'from django.db import models\n',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': CLEAN_MIGRATION,
    'shop/migrations/0002_order_created_idx.py': ADD_INDEX_MIGRATION,
    'legacy/migrations/0002_old.py': ADD_INDEX_MIGRATION,
    'node_modules/pkg/migrations/0002_x.py': ADD_INDEX_MIGRATION,
  });
  const indexed = project.path('shop/migrations/0002_order_created_idx.py');
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('publishes diagnostics for the migrations on disk, skipping excluded and vendored files', async () => {
    const result = await client.lintWorkspace();
    assert.equal(result.files, 2, 'the two shop migrations');
    assert.ok(result.problems >= 1);
    const diagnostics = await client.waitForDiagnostics(uriOf(indexed), has('MG101'));
    assert.equal(client.diagnostics.get(uriOf(indexed))!.version, undefined, 'not an open document');
    assert.equal((diagnostics[0].data as { version: number }).version, -1, 'no quick fixes from disk');
    assert.deepEqual(client.diagnostics.get(uriOf(project.path('shop/migrations/0001_initial.py')))?.diagnostics, []);
    assert.equal(client.diagnostics.get(uriOf(project.path('legacy/migrations/0002_old.py'))), undefined);
    assert.equal(client.diagnostics.get(uriOf(project.path('node_modules/pkg/migrations/0002_x.py'))), undefined);
    assert.equal(client.diagnostics.get(uriOf(project.path('shop/models.py'))), undefined);
  });

  test('opening a linted file lints the buffer; closing it goes back to the file on disk', async () => {
    const uri = await client.open(indexed, CLEAN_SECOND);
    assert.deepEqual(await client.waitForCurrent(uri), []);
    await client.close(uri);
    await client.waitForDiagnostics(uri, has('MG101'));
    assert.equal(client.diagnostics.get(uri)!.version, undefined);
  });

  test('watched changes on disk refresh the diagnostics; deleting the file clears them', async () => {
    const uri = uriOf(indexed);
    writeFileSync(indexed, CLEAN_SECOND);
    await client.fileChanged(indexed);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    writeFileSync(indexed, ADD_INDEX_MIGRATION);
    await client.fileChanged(indexed);
    await client.waitForDiagnostics(uri, has('MG101'));
    rmSync(indexed);
    await client.fileChanged(indexed, FileChangeType.Deleted);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    writeFileSync(indexed, ADD_INDEX_MIGRATION);
  });

  test('a settings change re-lints what the workspace lint published', async () => {
    await client.lintWorkspace();
    const uri = uriOf(indexed);
    await client.waitForDiagnostics(uri, has('MG101'));
    await client.changeConfiguration({ ignore: ['MG101'] });
    await client.waitForDiagnostics(uri, (d) => !has('MG101')(d));
    await client.changeConfiguration({});
    await client.waitForDiagnostics(uri, has('MG101'));
  });
});

describe('settings modules named by DJANGO_SETTINGS_MODULE', () => {
  test('a settings module with an unusual name is linted as settings when manage.py names it', async () => {
    const settingsText = 'SECRET_KEY = "x"\nDEBUG = False\n';
    const project = makeProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.base")\n',
      'conf/__init__.py': '',
      'conf/base.py': settingsText,
    });
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.path('conf/base.py'), settingsText);
      await client.waitForCurrent(uri);
      assert.ok(client.logs.every((line) => !/failed/.test(line)), client.logs.join('\n'));
      // Whether a rule reports on it depends on the settings rules; the server must at least treat it as
      // settings: the debug log says so.
      await client.changeConfiguration({ logLevel: 'debug' });
      await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
      await client.waitForCurrent(uri);
      await client.waitFor(() => (client.logs.some((line) => line.includes('conf/base.py v2') && line.includes(', settings,')) ? true : undefined), 'a lint of conf/base.py as settings');
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});
