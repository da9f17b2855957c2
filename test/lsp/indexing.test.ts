// No flicker while the workspace is indexed: a migration opened at start-up gets its diagnostics once its folder's
// index is built (start-after, the graph and the history applied), never first a set the index then takes back.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers/paths';
import { TestClient, has, makeProject } from './client';

/** The start-after fixture (shop: start-after = 0003_order_paid). */
function files(): Record<string, string> {
  const root = join(FIXTURES, 'projects', 'start-after-graph');
  const found: Record<string, string> = { 'pyproject.toml': readFileSync(join(root, 'pyproject.toml'), 'utf8') };
  for (const name of readdirSync(join(root, 'shop/migrations'))) found[`shop/migrations/${name}`] = readFileSync(join(root, 'shop/migrations', name), 'utf8');
  return found;
}

test('a migration opened while the index builds: no diagnostics until it is ready, then the right ones at once', async () => {
  const all = files();
  const project = makeProject(all);
  const client = new TestClient({ rootPath: project.root, settings: {}, workDoneProgress: true });
  // The index waits for its progress to be accepted: it is still building, however fast it would be.
  const releaseIndex = client.holdProgress();
  try {
    await client.initialize();
    await client.waitFor(() => (client.progressTokens.length > 0 ? true : undefined), 'the index asking for its progress');
    const ancestor = 'shop/migrations/auto_20200101_0000.py'; // silenced by start-after, through the graph
    const branch = 'shop/migrations/0002_order_coupon.py'; // another branch: linted
    const ancestorUri = await client.open(project.path(ancestor), all[ancestor]);
    const branchUri = await client.open(project.path(branch), all[branch]);
    const status = (uri: string) => client.connection.sendRequest<{ indexing: boolean; fileKind?: string }>('migrationGuard/status', { uri });
    // Both documents are linted (their kind is known) while the index is building: nothing is published for them.
    for (const uri of [ancestorUri, branchUri]) {
      for (;;) {
        const seen = await status(uri);
        assert.equal(seen.indexing, true, 'the index is held back until the release');
        if (seen.fileKind) break;
      }
    }
    assert.equal(client.published.filter((params) => params.uri === ancestorUri || params.uri === branchUri).length, 0, 'nothing published while the index builds');
    releaseIndex();
    await client.waitForDiagnostics(branchUri, has('MG201'));
    await client.waitForDiagnostics(ancestorUri, (diagnostics) => diagnostics.length === 0);
    const ancestorPublishes = client.published.filter((params) => params.uri === ancestorUri);
    assert.deepEqual(ancestorPublishes.map((params) => params.diagnostics.map((d) => d.code)), [[]], 'one publish, empty: never MG101 first');
    const branchPublishes = client.published.filter((params) => params.uri === branchUri);
    assert.equal(branchPublishes.length, 1, 'one publish, after the index: no partial set first');
  } finally {
    releaseIndex();
    await client.dispose();
    project.dispose();
  }
});
