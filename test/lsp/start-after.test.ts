// `start-after` over a real LSP connection: migrations that already ran are known by their place in the
// workspace's graph (an unnumbered ancestor is silent, another branch's lower number is not), and an entry
// that names no migration is MG000 on its line of pyproject.toml and is ignored.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES } from '../helpers/paths';
import { TestClient, has, lacks, makeProject, uriOf } from './client';

function fixtureFiles(project: string): Record<string, string> {
  const root = join(FIXTURES, 'projects', project);
  const files: Record<string, string> = { 'pyproject.toml': readFileSync(join(root, 'pyproject.toml'), 'utf8') };
  for (const name of readdirSync(join(root, 'shop/migrations'))) files[`shop/migrations/${name}`] = readFileSync(join(root, 'shop/migrations', name), 'utf8');
  return files;
}

describe('start-after in the language server', () => {
  const files = fixtureFiles('start-after-graph');
  const project = makeProject(files);
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, settings: {} });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('an unnumbered ancestor of the configured migration is silent; a lower number from another branch is linted', async () => {
    const ancestor = 'shop/migrations/auto_20200101_0000.py';
    const branch = 'shop/migrations/0002_order_coupon.py';
    const ancestorUri = await client.open(project.path(ancestor), files[ancestor]);
    const branchUri = await client.open(project.path(branch), files[branch]);
    await client.waitForDiagnostics(branchUri, has('MG201'));
    await client.waitForDiagnostics(ancestorUri, (diagnostics) => diagnostics.length === 0);
  });

  test('a start-after naming no migration: MG000 on its line, the entry ignored', async () => {
    const pyproject = project.path('pyproject.toml');
    const pyprojectUri = uriOf(pyproject);
    const text = files['pyproject.toml'].replace('shop = "0003_order_paid"', 'shop = "0O03"');
    writeFileSync(pyproject, text);
    await client.fileChanged(pyproject);
    const problems = await client.waitForDiagnostics(pyprojectUri, has('MG000'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].range.start.line, text.split('\n').findIndex((line) => line.startsWith('shop = ')));
    assert.match(problems[0].message as string, /`start-after\.shop` = "0O03" names no migration of `shop`/);
    // Ignored: the migrations that were silent are linted again.
    await client.waitForDiagnostics(uriOf(project.path('shop/migrations/auto_20200101_0000.py')), has('MG101'));

    writeFileSync(pyproject, files['pyproject.toml']);
    await client.fileChanged(pyproject);
    await client.waitForDiagnostics(pyprojectUri, lacks('MG000'));
    await client.waitForDiagnostics(uriOf(project.path('shop/migrations/auto_20200101_0000.py')), (diagnostics) => diagnostics.length === 0);
  });
});
