// No flicker while the workspace is indexed: a migration opened at start-up gets its diagnostics once its folder's
// index is built (start-after, the graph and the history applied), never first a set the index then takes back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers/paths';
import { TestClient, has, makeProject } from './client';

/** The start-after fixture (shop: start-after = 0003_order_paid) and a long chain of empty migrations to index. */
function files(): Record<string, string> {
  const root = join(FIXTURES, 'projects', 'start-after-graph');
  const found: Record<string, string> = { 'pyproject.toml': readFileSync(join(root, 'pyproject.toml'), 'utf8') };
  for (const name of readdirSync(join(root, 'shop/migrations'))) found[`shop/migrations/${name}`] = readFileSync(join(root, 'shop/migrations', name), 'utf8');
  found['filler/migrations/__init__.py'] = '';
  for (let i = 1; i <= 3000; i++) {
    const name = `${String(i).padStart(4, '0')}_step`;
    const dependencies = i === 1 ? '[]' : `[("filler", "${String(i - 1).padStart(4, '0')}_step")]`;
    found[`filler/migrations/${name}.py`] = `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = ${dependencies}\n    operations = []\n`;
  }
  return found;
}

test('a migration opened while the index builds: no diagnostics until it is ready, then the right ones at once', async () => {
  const all = files();
  const project = makeProject(all);
  const client = new TestClient({ rootPath: project.root, settings: {} });
  try {
    await client.initialize();
    const ancestor = 'shop/migrations/auto_20200101_0000.py'; // silenced by start-after, through the graph
    const branch = 'shop/migrations/0002_order_coupon.py'; // another branch: linted
    const ancestorUri = await client.open(project.path(ancestor), all[ancestor]);
    const branchUri = await client.open(project.path(branch), all[branch]);
    const status = await client.connection.sendRequest<{ indexing: boolean }>('migrationGuard/status', { uri: branchUri });
    assert.equal(status.indexing, true, 'the test needs the index still building when the documents open');
    await client.waitForDiagnostics(branchUri, has('MG201'));
    await client.waitForDiagnostics(ancestorUri, (diagnostics) => diagnostics.length === 0);
    const ancestorPublishes = client.published.filter((params) => params.uri === ancestorUri);
    assert.deepEqual(ancestorPublishes.map((params) => params.diagnostics.map((d) => d.code)), [[]], 'one publish, empty: never MG101 first');
    const branchPublishes = client.published.filter((params) => params.uri === branchUri);
    assert.equal(branchPublishes.length, 1, 'one publish, after the index: no partial set first');
  } finally {
    await client.dispose();
    project.dispose();
  }
});
