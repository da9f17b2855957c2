// MG201's fixes over a real LSP connection edit the migration and the app's models.py in one WorkspaceEdit:
// `documentChanges` (each document with its version) when the client supports them, `changes` otherwise; not
// offered when models.py changed since the diagnostic, or has no such field.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TextDocumentEdit, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { INITIAL_MIGRATION, TestClient, applyTextEdits, has, makeProject, uriOf } from './client';

const MIGRATION = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, default="new")),',
  '    ]',
  '',
].join('\n');

const MODELS = 'from django.db import models\n\n\nclass Order(models.Model):\n    status = models.CharField(max_length=20, default="new")\n';

const PYPROJECT = '[tool.migration-guard]\ndjango-version = "5.2"\n';

async function mg201Actions(documentChanges: boolean, models: string | undefined, before?: (client: TestClient, modelsPath: string) => Promise<void>): Promise<{ actions: CodeAction[]; migrationUri: string; modelsUri: string; dispose(): Promise<void> }> {
  const project = makeProject({
    'pyproject.toml': PYPROJECT, 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
    ...(models === undefined ? {} : { 'shop/models.py': models }),
  });
  const client = new TestClient({ rootPath: project.root, documentChanges });
  await client.initialize();
  const path = project.write('shop/migrations/0002_order_status.py', MIGRATION);
  const migrationUri = await client.open(path, MIGRATION);
  const diagnostics = await client.waitForCurrent(migrationUri, has('MG201'));
  const diagnostic = diagnostics.find((d) => d.code === 'MG201') as Diagnostic;
  await before?.(client, project.path('shop/models.py'));
  const actions = (await client.codeActions(migrationUri, diagnostic.range, [diagnostic])).filter((action) => action.title.startsWith('Migration Guard (MG201)'));
  return { actions, migrationUri, modelsUri: uriOf(project.path('shop/models.py')), dispose: async () => { await client.dispose(); project.dispose(); } };
}

describe('MG201 fixes edit models.py too (LSP)', () => {
  const opened: { dispose(): Promise<void> }[] = [];
  after(async () => { for (const item of opened) await item.dispose(); });

  test('documentChanges: the migration at its version and models.py (on disk: version null); both texts fixed', async () => {
    const result = await mg201Actions(true, MODELS);
    opened.push(result);
    const action = result.actions.find((candidate) => candidate.title.includes('db_default'));
    assert.ok(action, result.actions.map((candidate) => candidate.title).join(', '));
    assert.equal(action.isPreferred, true);
    const changes = action.edit?.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((change) => [change.textDocument.uri, typeof change.textDocument.version]), [[result.migrationUri, 'number'], [result.modelsUri, 'object']]);
    assert.equal(applyTextEdits(MODELS, changes[1].edits as never), MODELS.replace('default="new")', 'default="new", db_default="new")'));
    assert.match(applyTextEdits(MIGRATION, changes[0].edits as never), /default="new", db_default="new"\)\),/);
  });

  test('no documentChanges support: `changes` with both files', async () => {
    const result = await mg201Actions(false, MODELS);
    opened.push(result);
    const action = result.actions.find((candidate) => candidate.title.includes('null=True'));
    assert.ok(action);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}).sort(), [result.migrationUri, result.modelsUri].sort());
    assert.match(applyTextEdits(MODELS, action.edit!.changes![result.modelsUri]), /default="new", null=True\)/);
  });

  test('models.py open and edited since the diagnostic: the fix is not offered; no models.py: none either', async () => {
    const changed = await mg201Actions(true, MODELS, async (client, modelsPath) => {
      await client.open(modelsPath, MODELS.replace('max_length=20', 'max_length=30'));
    });
    opened.push(changed);
    assert.deepEqual(changed.actions, []);
    const missing = await mg201Actions(true, undefined);
    opened.push(missing);
    assert.deepEqual(missing.actions, []);
  });
});
