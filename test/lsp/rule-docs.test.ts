// Rule docs offline: the server answers a rule's docs (the same markdown as `migration-guard rules MG101 --format
// markdown`, then the web link), the list of rules, and for a client that shows docs itself links the diagnostic
// and "Show documentation" to its read-only document instead of the web page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, REPO_ROOT, TestClient, has, makeProject } from './client';

const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
const shown: { uri: string; external?: boolean }[] = [];
let client: TestClient;

before(async () => {
  client = new TestClient({ rootPath: project.root, experimental: { migrationGuardDocs: 'migration-guard-docs' } });
  client.connection.onRequest('window/showDocument', (params: { uri: string; external?: boolean }) => {
    shown.push(params);
    return { success: true };
  });
  await client.initialize();
});

after(async () => {
  await client.dispose();
  project.dispose();
});

test('migrationGuard/ruleDocs: the CLI\'s markdown docs of the rule, then the web page as a second link', async () => {
  const cli = execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'rules', 'MG101', '--format', 'markdown'], { encoding: 'utf8' });
  const docs = (await client.connection.sendRequest<string | null>("migrationGuard/ruleDocs", { code: "MG101" })) ?? "";
  assert.ok(docs?.startsWith(cli), docs?.slice(0, 200));
  assert.match(docs, /## MG101 add-index-blocking/);
  assert.match(docs, /\[Open this page on the web\]\(https:\/\/[^)]+#mg101-add-index-blocking\)\n$/);
  assert.equal(await client.connection.sendRequest('migrationGuard/ruleDocs', { code: '../etc/passwd' }), null);
});

test('migrationGuard/rules: every rule with code, name, severity and fix', async () => {
  const rules = await client.connection.sendRequest<{ code: string; name: string; severity: string; fix: string }[]>('migrationGuard/rules');
  const mg101 = rules.find((rule) => rule.code === 'MG101');
  assert.deepEqual({ ...mg101, summary: undefined, url: undefined }, { code: 'MG101', name: 'add-index-blocking', severity: 'warning', fix: 'sometimes', summary: undefined, url: undefined });
  assert.ok(rules.length > 30);
});

test('a client with in-editor docs: the code links to its document and "Show documentation" opens it there', async () => {
  const uri = await client.open(project.write('shop/migrations/0002_docs.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
  const diagnostic = (await client.waitForCurrent(uri, has('MG101'))).find((d) => d.code === 'MG101')!;
  assert.equal(diagnostic.codeDescription?.href, 'migration-guard-docs:/MG101.md');
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const docs = actions.find((action) => action.title === 'Migration Guard: Show documentation for MG101');
  assert.ok(docs?.command);
  await client.connection.sendRequest('workspace/executeCommand', { command: docs.command.command, arguments: docs.command.arguments });
  assert.deepEqual(shown, [{ uri: 'migration-guard-docs:/MG101.md', takeFocus: true }]);
});
