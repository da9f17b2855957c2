// "Start From Here" and `migrationGuard.since` over a real LSP connection: the server writes start-after from the
// graph's leaves (and the old migrations go quiet once it is saved); `since` limits Lint Workspace to the migrations
// git says changed, and an unknown ref says so in the status and lints everything.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, TestClient, has, makeProject, uriOf } from './client';

const PYPROJECT = '[project]\nname = "shop"  # the shop\n\n[tool.ruff]\nline-length = 120\n';
const THIRD = ADD_INDEX_MIGRATION.replace('("shop", "0001_initial")', '("shop", "0002_order_created_idx")').replace(/order_created_idx/g, 'order_id_idx').replace('"created_at"', '"id"');

test('Start From Here: start-after from the current leaves, into the existing pyproject.toml, keeping it', async () => {
  const project = makeProject({
    'pyproject.toml': PYPROJECT,
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
    'shop/migrations/0002_order_created_idx.py': ADD_INDEX_MIGRATION,
  });
  const client = new TestClient({ rootPath: project.root });
  try {
    await client.initialize();
    const path = project.path('shop/migrations/0002_order_created_idx.py');
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForDiagnostics(uri, has('MG101'));
    const result = await client.connection.sendRequest<{ path: string; exists: boolean; text: string; entries: Record<string, string> }>('migrationGuard/startFromHere', { uri });
    assert.equal(result.path, project.path('pyproject.toml'));
    assert.equal(result.exists, true);
    assert.deepEqual(result.entries, { shop: '0002_order_created_idx' });
    assert.ok(result.text.startsWith(PYPROJECT), 'the file is kept as it was, the table appended');
    assert.deepEqual({ ...(parse(result.text) as { tool: { 'migration-guard': { 'start-after': object } } }).tool['migration-guard']['start-after'] }, { shop: '0002_order_created_idx' });
    // Saved (as the client does): the migrations up to now go quiet.
    writeFileSync(result.path, result.text);
    await client.fileChanged(result.path);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
  } finally {
    await client.dispose();
    project.dispose();
  }
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'ignore' });
}

test('migrationGuard.since: Lint Workspace reports only the migrations changed since the ref; an unknown ref says so and lints all', async () => {
  const project = makeProject({
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
    'shop/migrations/0002_order_created_idx.py': ADD_INDEX_MIGRATION,
  });
  git(project.root, 'init', '-q', '-b', 'main');
  git(project.root, 'add', '.');
  git(project.root, 'commit', '-q', '-m', 'history');
  project.write('shop/migrations/0003_order_id_idx.py', THIRD); // new on this branch: untracked
  const client = new TestClient({ rootPath: project.root, settings: { since: 'main' } });
  try {
    await client.initialize();
    const result = await client.lintWorkspace();
    assert.equal(result.files, 1, 'only 0003 is linted');
    assert.ok(has('MG101')(client.diagnostics.get(uriOf(project.path('shop/migrations/0003_order_id_idx.py')))?.diagnostics ?? []));
    assert.equal(client.diagnostics.get(uriOf(project.path('shop/migrations/0002_order_created_idx.py'))), undefined, '0002 ran before main: not reported');
    const folder = uriOf(project.root);
    const status = await client.connection.sendRequest<{ since?: { ref: string; problem?: string } }>('migrationGuard/status', { uri: folder });
    assert.deepEqual(status.since, { ref: 'main' });

    client.settings = { since: 'no-such-branch' };
    await client.changeConfiguration({ since: 'no-such-branch' });
    const all = await client.lintWorkspace();
    assert.equal(all.files, 3, 'an unknown ref: every migration');
    const unknown = await client.connection.sendRequest<{ since?: { ref: string; problem?: string } }>('migrationGuard/status', { uri: folder });
    assert.equal(unknown.since?.ref, 'no-such-branch');
    assert.match(unknown.since?.problem ?? '', /unknown git revision `no-such-branch`.*linting every file/);
    assert.equal(client.logs.filter((line) => /migrationGuard\.since: .*no-such-branch/.test(line)).length, 1, 'said once in the log');
    await client.lintWorkspace();
    assert.equal(client.logs.filter((line) => /migrationGuard\.since: .*no-such-branch/.test(line)).length, 1, 'not again on the next run');
  } finally {
    await client.dispose();
    project.dispose();
  }
});
