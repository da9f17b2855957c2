// Lint Workspace (files linted from disk, never opened) reads vendor branches as the lint of an open file does:
// operations under `if connection.vendor == …` for another database are not checked, under PostgreSQL and under
// another `database` alike.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { INITIAL_MIGRATION, TestClient, makeProject, uriOf } from './client';

const VENDOR_MIGRATION = [
  'from django.db import connection, migrations, models',
  '',
  '',
  'def forwards(apps, schema_editor):',
  '    pass',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    if connection.vendor == "postgresql":',
  '        operations = [',
  '            migrations.AddIndex(model_name="order", index=models.Index(fields=["created_at"], name="pg_idx")),', // line 12
  '            migrations.RunPython(forwards),', // line 13
  '        ]',
  '    else:',
  '        operations = [',
  '            migrations.RunPython(forwards),', // line 17
  '        ]',
  '',
].join('\n');

/** (line, code) pairs, sorted: what the two ways of linting must agree on. */
const pairs = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line}:${String(d.code)}`).sort();

describe('vendor branches in Lint Workspace', () => {
  const project = makeProject({
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
    'shop/migrations/0002_vendor.py': VENDOR_MIGRATION,
  });
  const path = project.path('shop/migrations/0002_vendor.py');
  const uri = uriOf(path);
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  /** Lint Workspace's diagnostics for the file (not open), then the open file's, which must be the same. */
  async function bothWays(): Promise<string[]> {
    const published = client.publishCount.get(uri) ?? 0;
    await client.lintWorkspace();
    await client.waitFor(() => ((client.publishCount.get(uri) ?? 0) > published ? true : undefined), 'Lint Workspace to publish 0002_vendor.py');
    const fromDisk = pairs(client.diagnostics.get(uri)!.diagnostics);
    await client.open(path, VENDOR_MIGRATION);
    const open = pairs(await client.waitForCurrent(uri));
    await client.close(uri);
    assert.deepEqual(fromDisk, open, 'Lint Workspace and the open file disagree');
    return fromDisk;
  }

  test('PostgreSQL: the postgresql branch is checked, the else branch is not', async () => {
    const found = await bothWays();
    assert.ok(found.includes('12:MG101') && found.includes('13:MG301'), found.join(' '));
    assert.ok(!found.some((pair) => pair.startsWith('17:')), found.join(' '));
  });

  test('database = mysql: the else branch is checked, the postgresql branch is not', async () => {
    await client.changeConfiguration({ database: 'mysql' });
    const found = await bothWays();
    assert.deepEqual(found, ['17:MG301']);
    await client.changeConfiguration({});
  });
});
