// "Ignore MGxxx in this file", "Show documentation for MGxxx" (a server command that asks the client to
// open the rule's page), and the hover on a code inside `# noqa:`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, TestClient, applyTextEdits, has, lacks, makeProject, rangeOf } from './client';


const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
const shown: unknown[] = [];
let client: TestClient;

before(async () => {
  client = new TestClient({ rootPath: project.root });
  client.connection.onRequest('window/showDocument', (params: unknown) => {
    shown.push(params);
    return { success: true };
  });
  const result = await client.initialize();
  assert.deepEqual(result.capabilities.executeCommandProvider?.commands, ['migrationGuard.showDocumentation', 'migrationGuard.openCreatedMigration']);
});

after(async () => {
  await client.dispose();
  project.dispose();
});

test('"Ignore MG101 in this file" adds the file-level comment and the diagnostic goes', async () => {
  const uri = await client.open(project.write('shop/migrations/0002_ignore_file.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
  const diagnostics = await client.waitForCurrent(uri, has('MG101'));
  const diagnostic = diagnostics.find((d) => d.code === 'MG101')!;
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const ignore = actions.find((action) => action.title === 'Migration Guard: Ignore MG101 in this file');
  assert.ok(ignore?.edit?.changes, actions.map((a) => a.title).join(', '));
  const fixed = applyTextEdits(client.text(uri), ignore.edit.changes[uri]);
  assert.ok(fixed.startsWith('# migration-guard: ignore-file[MG101]\n'), fixed.slice(0, 80));
  await client.replace(uri, fixed);
  await client.waitForCurrent(uri, lacks('MG101'));
});

test('"Show documentation for MG101" runs a server command that opens the rule\'s page externally', async () => {
  const uri = await client.open(project.write('shop/migrations/0003_docs.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
  const diagnostic = (await client.waitForCurrent(uri, has('MG101'))).find((d) => d.code === 'MG101')!;
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const docs = actions.find((action) => action.title === 'Migration Guard: Show documentation for MG101');
  assert.ok(docs?.command, actions.map((a) => a.title).join(', '));
  assert.deepEqual(docs.command.arguments, ['MG101']);
  const result = await client.connection.sendRequest('workspace/executeCommand', { command: docs.command.command, arguments: docs.command.arguments });
  assert.deepEqual(result, { success: true });
  assert.deepEqual(shown, [{ uri: diagnostic.codeDescription!.href, external: true }]);
  // Anything but our own documentation is refused.
  assert.equal(await client.connection.sendRequest('workspace/executeCommand', { command: docs.command.command, arguments: ['file:///etc/passwd'] }), null);
  assert.equal(shown.length, 1);
});

test('hover on a code inside # noqa: shows the rule\'s docs', async () => {
  const text = ADD_INDEX_MIGRATION.replace('migrations.AddIndex(', 'migrations.AddIndex(  # noqa: MG101');
  const uri = await client.open(project.write('shop/migrations/0004_hover.py', text), text);
  await client.waitForCurrent(uri, lacks('MG101'));
  const range = rangeOf(text, 'MG101');
  const hover = await client.hover(uri, { line: range.start.line, character: range.start.character + 2 });
  const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(value, /\*\*MG101 add-index-blocking\*\*/);
  assert.match(value, /`SHARE` lock/);
  assert.deepEqual(hover?.range, range);
});

test('migrationGuard/status: the config file that applies and the size of the folder\'s index', async () => {
  project.write('pyproject.toml', '[tool.migration-guard]\nignore = ["MG9"]\n');
  await client.fileChanged(project.path('pyproject.toml'));
  const uri = `file://${project.path('shop/migrations/0001_initial.py')}`;
  let status: { configFile?: string; migrations: number; settingsModules: number; indexing: boolean } | undefined;
  // Polls: the index is built in the background.
  const deadline = Date.now() + 10_000;
  for (;;) {
    status = await client.connection.sendRequest<{ configFile?: string; migrations: number; settingsModules: number; indexing: boolean }>('migrationGuard/status', { uri });
    if (!status.indexing && status.migrations >= 1 && status.configFile) break;
    assert.ok(Date.now() < deadline, `status never showed an indexed folder with a config file: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(status!.configFile, project.path('pyproject.toml'));
  assert.ok(status!.migrations >= 1);
  assert.deepEqual(await client.connection.sendRequest('migrationGuard/status', { uri: 'untitled:1' }), { migrations: 0, settingsModules: 0, indexing: false });
});
