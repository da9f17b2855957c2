// Pull diagnostics (`textDocument/diagnostic`) over a real LSP connection, for a client that advertises them
// with `workspace/diagnostic/refresh`: open documents are pulled (never pushed), a pull answers the current
// version, changes the client did not make come as a refresh, files linted from disk are still pushed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { SHOP_0001, SHOP_0002 } from '../helpers/migrations';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, MIGRATION_PATH, TestClient, has, lacks, makeProject, rangeOf, uriOf } from './client';

/** The items of a full report (fails on `unchanged`). */
function itemsOf(report: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

const versionOf = (diagnostic: Diagnostic) => (diagnostic.data as { version: number }).version;

/** A project and a client that pulls, started before the suite's tests and disposed after them. */
function pullingSuite(files: Record<string, string>, settings?: Record<string, unknown>): { project: ReturnType<typeof makeProject>; client: TestClient } {
  const suite = { project: makeProject(files), client: undefined as unknown as TestClient };
  before(async () => {
    suite.client = new TestClient({ rootPath: suite.project.root, pullDiagnostics: true, settings });
    await suite.client.initialize();
  });
  after(async () => {
    await suite.client.dispose();
    suite.project.dispose();
  });
  return suite;
}

/** The workspace index is built: no re-lint of open documents because of it from now on. */
const indexed = (client: TestClient) => client.waitFor(() => (client.logs.some((line) => line.startsWith('Indexed ')) ? true : undefined), 'the workspace index');

describe('pull diagnostics: capability', () => {
  test('advertised only to clients that pull and accept refreshes; the others get pushes', async () => {
    const project = makeProject({ [MIGRATION_PATH]: ADD_INDEX_MIGRATION });
    const clients = [new TestClient({ pullDiagnostics: true }), new TestClient(), new TestClient({ pullDiagnostics: true, refreshSupport: false })];
    try {
      const [pulling, pushOnly, noRefresh] = await Promise.all(clients.map((client) => client.initialize()));
      assert.deepEqual(pulling.capabilities.diagnosticProvider, { identifier: 'migration-guard', interFileDependencies: true, workspaceDiagnostics: false });
      assert.equal(pushOnly.capabilities.diagnosticProvider, undefined);
      assert.equal(noRefresh.capabilities.diagnosticProvider, undefined);
      const client = clients[2];
      const uri = await client.open(project.path(MIGRATION_PATH), ADD_INDEX_MIGRATION);
      await client.waitForCurrent(uri, has('MG101'));
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      project.dispose();
    }
  });
});

describe('pull diagnostics: open documents', () => {
  // Every migration opened here is another leaf of `shop`: MG501 is not what these tests are about.
  const suite = pullingSuite({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION }, { ignore: ['MG501'], logLevel: 'debug' });
  const { project } = suite;
  let client: TestClient;

  before(async () => {
    client = suite.client;
    await indexed(client);
  });

  test('a pull right after didOpen answers MG101 for version 1; nothing is pushed for the document', async () => {
    const path = project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    const report = await client.pull(uri);
    const items = itemsOf(report);
    assert.ok(has('MG101')(items));
    assert.ok(items.every((d) => versionOf(d) === 1));
    assert.equal(typeof (report.kind === 'full' && report.resultId), 'string');
    // A push would have been sent before the lint's result could answer the pull.
    assert.equal(client.publishCount.get(uri), undefined);
  });

  test('unchanged while nothing changed; a pull right after an edit answers the new version, linted once', async () => {
    const path = project.write('shop/migrations/0003_edits.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    const first = await client.pull(uri);
    assert.ok(has('MG101')(itemsOf(first)));
    const resultId = first.kind === 'full' ? first.resultId : undefined;
    assert.deepEqual(await client.pull(uri, resultId), { kind: 'unchanged', resultId });

    // AddIndex → AddIndez: no Django operation. Pulled before the lint of version 2 ran.
    await client.change(uri, rangeOf(client.text(uri), 'x('), 'z(');
    const second = await client.pull(uri, resultId);
    assert.deepEqual(itemsOf(second), []);
    assert.notEqual(second.kind === 'full' && second.resultId, resultId);

    // A burst of edits, then a pull: the diagnostics of the last version.
    await client.change(uri, rangeOf(client.text(uri), 'z('), 'x(');
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# one\n');
    const version = await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# two\n');
    const items = itemsOf(await client.pull(uri));
    assert.ok(has('MG101')(items));
    assert.ok(items.every((d) => versionOf(d) === version));
    assert.equal(items.find((d) => d.code === 'MG101')!.range.start.line, 9, 'two lines added above');
    const lints = client.logs.filter((line) => line.startsWith(`${path} v${version}:`));
    assert.equal(lints.length, 1, `one lint of version ${version}:\n${lints.join('\n')}`);
    assert.equal(client.publishCount.get(uri), undefined);
  });

  test('a half-typed document (syntax error) still answers', async () => {
    const path = project.write('shop/migrations/0004_typing.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    const version = await client.change(uri, rangeOf(client.text(uri), '        ),\n    ]\n'), '        migrations.AddIndex(model_name="order", index=models.Ind');
    const items = itemsOf(await client.pull(uri));
    assert.ok(items.every((d) => versionOf(d) === version));
  });

  test('documents that are not linted, or not open, answer an empty full report', async () => {
    const notes = await client.open(project.path('shop/notes.txt'), 'AddIndex\n', 'plaintext');
    assert.deepEqual(await client.pull(notes), { kind: 'full', items: [] });
    assert.deepEqual(await client.pull('untitled:Untitled-1'), { kind: 'full', items: [] });
    assert.deepEqual(await client.pull(uriOf(project.path('shop/migrations/0001_initial.py'))), { kind: 'full', items: [] });
  });

  test('a pull waiting for a lint: the document closing answers empty, a cancel answers RequestCancelled', async () => {
    // New documents' lints wait for their settings: held, the pulls wait.
    const release = client.holdConfiguration();
    try {
      const closing = await client.open(project.write('shop/migrations/0005_closed.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
      await client.waitFor(() => (client.configurationItems.some((item) => item.scopeUri === closing) ? true : undefined), 'the lint asking for its settings');
      const answer = client.pull(closing);
      await client.close(closing);
      // Well before the server gives up on the settings (5 s) and the lint ends by itself.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no answer while the lint waits')), 2500); });
      assert.deepEqual(await Promise.race([answer, late]).finally(() => clearTimeout(timer)), { kind: 'full', items: [] });

      const cancelled = await client.open(project.write('shop/migrations/0006_cancelled.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
      const source = new CancellationTokenSource();
      const pull = client.pull(cancelled, undefined, source.token);
      source.cancel();
      await assert.rejects(pull, (error: { code?: number }) => error.code === LSPErrorCodes.RequestCancelled);
      release();
      assert.ok(has('MG101')(itemsOf(await client.pull(cancelled))));
    } finally {
      release();
    }
  });
});

describe('pull diagnostics: changes the client did not make', () => {
  const suite = pullingSuite({
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': SHOP_0001,
    'shop/migrations/0002_order_note_required.py': SHOP_0002,
  });
  const first = suite.project.path('shop/migrations/0001_initial.py');
  const second = suite.project.path('shop/migrations/0002_order_note_required.py');
  let client: TestClient;
  before(() => { client = suite.client; });

  test('editing the open 0001 refreshes; the next pull of the open 0002 has the new result', async () => {
    const uri = await client.open(second, SHOP_0002);
    // Before the index is ready 0002 knows nothing of `note`: the index then re-lints it and refreshes.
    await client.pullUntil(uri, has('MG106'));
    const firstUri = await client.open(first, SHOP_0001);
    await client.pull(firstUri);
    const refreshes = client.refreshes;
    // `note` NOT NULL from the start: 0002 changes nothing about NULLs.
    await client.change(firstUri, rangeOf(client.text(firstUri), 'max_length=100, null=True'), 'max_length=100');
    await client.pull(firstUri);
    await client.pullUntil(uri, lacks('MG106'));
    await client.waitFor(() => (client.refreshes > refreshes ? true : undefined), 'a refresh after the edit of 0001');
    // Closed without saving: the file on disk counts again.
    const beforeClose = client.refreshes;
    await client.close(firstUri);
    await client.pullUntil(uri, has('MG106'));
    // The pull may answer the re-lint before its refresh arrives: wait for it, so it cannot land in the next test.
    await client.waitFor(() => (client.refreshes > beforeClose ? true : undefined), 'a refresh after closing 0001');
    assert.equal(client.publishCount.get(uri), undefined);
  });

  test('a settings change refreshes', async () => {
    const uri = uriOf(second);
    const asked = client.configurationItems.length;
    await client.changeConfiguration({ ignore: ['MG106'] });
    // Only a refresh sent after the server asked for the new settings counts: the server sends one once no lint
    // is pending or running, and the re-lint is pending from the change on, so such a refresh comes after the
    // re-lint with the new settings. One queued by an earlier lint may still be on its way: it does not count.
    let refreshesWhenAsked: number | undefined;
    await client.waitFor(() => {
      if (refreshesWhenAsked === undefined && client.configurationItems.length > asked) refreshesWhenAsked = client.refreshes;
      return refreshesWhenAsked !== undefined && client.refreshes > refreshesWhenAsked ? true : undefined;
    }, 'a refresh after the server asked for the new settings');
    assert.ok(lacks('MG106')(itemsOf(await client.pull(uri))), 'the pull after the refresh still has MG106');
    await client.changeConfiguration({});
    await client.pullUntil(uri, has('MG106'));
  });
});

describe('pull diagnostics: Lint Workspace', () => {
  const suite = pullingSuite({
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
    [MIGRATION_PATH]: ADD_INDEX_MIGRATION,
  });
  const path = suite.project.path(MIGRATION_PATH);
  let client: TestClient;
  before(() => { client = suite.client; });

  test('closed files are pushed; opening one clears its push and pulls serve it; closing pushes from disk again', async () => {
    const result = await client.lintWorkspace();
    assert.equal(result.files, 2);
    const uri = uriOf(path);
    await client.waitForDiagnostics(uri, has('MG101'));

    await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    const items = itemsOf(await client.pull(uri));
    assert.ok(has('MG101')(items));
    assert.ok(items.every((d) => versionOf(d) === 1), 'with the document version: quick fixes apply');
    assert.deepEqual(await client.lintWorkspace(), result, 'the open document counts its last lint');
    assert.deepEqual(client.diagnostics.get(uri), { uri, diagnostics: [] }, 'nothing pushed while it is open');

    await client.close(uri);
    await client.waitForDiagnostics(uri, has('MG101'));
    assert.equal(client.diagnostics.get(uri)!.version, undefined);
  });
});
