// The table policy in the editor: `migrationGuard.tables` (mirroring `[tool.migration-guard.tables]`) and the
// pyproject table itself give the same severities and messages as the CLI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, MIGRATION_PATH, TestClient, has, makeProject } from './client';

describe('table policy over LSP', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, settings: {} });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('migrationGuard.tables: large makes MG101 an error that says "large table"; small makes it info; empty lists are unset', async () => {
    const path = project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));

    await client.changeConfiguration({ tables: { large: ['shop_ord*'] } });
    const large = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'MG101' && x.severity === 1));
    assert.match(large.find((x) => x.code === 'MG101')!.message as string, /`shop_order` is a large table/);

    await client.changeConfiguration({ tables: { small: ['shop_order'] } });
    const small = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'MG101' && x.severity === 3));
    assert.match(small.find((x) => x.code === 'MG101')!.message as string, /`shop_order` is a small table .*: the lock is brief\./);

    // An editor sends its defaults: empty lists mean "not set", and pyproject.toml's policy applies.
    project.write('pyproject.toml', '[tool.migration-guard.tables]\nlarge = ["shop_order"]\n');
    await client.changeConfiguration({ tables: { large: [], small: [] } });
    const fromFile = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'MG101' && x.severity === 1));
    assert.match(fromFile.find((x) => x.code === 'MG101')!.message as string, /large table/);
  });
});
