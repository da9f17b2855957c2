// Bad input must never crash the server: half-typed code, replacement characters, lone surrogates, lone
// carriage returns, huge files, nonsense requests. And shutdown/exit ends the process with 0.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  DidOpenTextDocumentNotification, ExitNotification, IPCMessageReader, IPCMessageWriter, InitializeRequest,
  InitializedNotification, PublishDiagnosticsNotification, ShutdownRequest, createProtocolConnection, type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, SERVER, TestClient, has, makeProject, rangeOf, uriOf } from './client';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

/** A small deterministic random sequence (the same edits on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function positionAt(text: string, offset: number) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('robustness', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '' });
  let client: TestClient;
  let counter = 10;
  const nextPath = (suffix = 'x') => project.write(`shop/migrations/00${counter++}_${suffix}.py`, '');

  /** The server still works: a fresh migration gets its MG101. */
  async function stillAnswers(): Promise<void> {
    const uri = await client.open(nextPath('probe'), ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    const diagnostic = client.diagnostics.get(uri)!.diagnostics.find((d) => d.code === 'MG101')!;
    assert.ok((await client.codeActions(uri, diagnostic.range, [diagnostic])).length > 0);
    await client.close(uri);
  }

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('half-typed migrations (syntax errors) are linted without a crash', async () => {
    const half = 'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AddIndex(model_name="order", index=models.Index(fields=[';
    const uri = await client.open(nextPath('half'), half);
    await client.waitForCurrent(uri);
    for (const text of ['class Migration(', 'class Migration(migrations.Migration):\n    operations = [[[[', ')))]]]', 'def (:\n\tclass\n  x = """', '']) {
      await client.replace(uri, text);
      await client.waitForCurrent(uri);
    }
    await stillAnswers();
  });

  test('typing a whole migration one character at a time ends with the right diagnostics', async () => {
    const uri = await client.open(nextPath('typed'), '');
    let text = '';
    for (const char of ADD_INDEX_MIGRATION) {
      await client.change(uri, { start: positionAt(text, text.length), end: positionAt(text, text.length) }, char);
      text += char;
    }
    assert.equal(client.text(uri), ADD_INDEX_MIGRATION);
    const typed = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(typed.find((d) => d.code === 'MG101')!.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 27 } });
    assert.deepEqual((typed.find((d) => d.code === 'MG101')!.data as { fullRange?: unknown }).fullRange, { start: { line: 7, character: 8 }, end: { line: 10, character: 9 } });
  });

  test('random edits (deletions, insertions, non-ASCII, CRLF) agree with a fresh parse', async () => {
    const next = random(42);
    const pieces = ['x', '\n', '    ', 'é', '😀', '☕ ', '(', ')', '"', '# noqa: MG101', '\r\n', 'migrations.AddIndex(model_name="a", index=models.Index(fields=["b"], name="c"))', ','];
    const uri = await client.open(nextPath('random'), ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    for (let round = 0; round < 200; round++) {
      const text = client.text(uri);
      let start = Math.floor(next() * (text.length + 1));
      let end = Math.min(text.length, start + Math.floor(next() * 6));
      // Stay on UTF-16 boundaries the way an editor does.
      if (/[\udc00-\udfff]/.test(text[start] ?? '')) start--;
      if (/[\udc00-\udfff]/.test(text[end] ?? '')) end++;
      const insert = next() < 0.6 ? pieces[Math.floor(next() * pieces.length)] : '';
      await client.change(uri, { start: positionAt(text, start), end: positionAt(text, end) }, insert);
      if (round % 50 === 0) await client.waitForCurrent(uri);
    }
    const incremental = await client.waitForCurrent(uri);
    const fresh = await client.open(nextPath('fresh'), client.text(uri));
    assert.deepEqual(summary(incremental), summary(await client.waitForCurrent(fresh)));
  });

  test('a lone carriage return (a line break for LSP, not for tree-sitter) keeps ranges right', async () => {
    const text = ADD_INDEX_MIGRATION.replace('from django.db import migrations, models\n', '# old\rmac line\nfrom django.db import migrations, models\n');
    const uri = await client.open(nextPath('cr'), text);
    await client.waitForCurrent(uri);
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# more\n');
    const incremental = await client.waitForCurrent(uri);
    const fresh = await client.open(nextPath('cr_fresh'), client.text(uri));
    assert.deepEqual(summary(incremental), summary(await client.waitForCurrent(fresh)));
  });

  test('text that was not valid UTF-8 (U+FFFD) and lone surrogates', async () => {
    const replaced = ADD_INDEX_MIGRATION.replace('class Migration', '# caf\ufffd \ufffd\ufffd\nX = "\ufffd"\nclass Migration');
    const uri = await client.open(nextPath('fffd'), replaced);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(diagnostics.find((d) => d.code === 'MG101')!.range.start, rangeOf(replaced, 'migrations.AddIndex(').start);
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\ufffd\ufffd');
    await client.waitForCurrent(uri, has('MG101'));

    const surrogates = ADD_INDEX_MIGRATION.replace('class Migration', '# \ud800 and \udfff alone\nclass Migration');
    const broken = await client.open(nextPath('surrogates'), surrogates);
    await client.waitForCurrent(broken);
    await client.change(broken, { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } }, '\udc00\ud83d');
    await client.waitForCurrent(broken);
    // Binary garbage decoded as text.
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('utf8');
    const binary = await client.open(nextPath('binary'), garbage);
    await client.waitForCurrent(binary);
    await stillAnswers();
  });

  test('a 2 MB migration (a data migration with a big literal) is linted and the server still answers', async () => {
    const row = '    {"sku": "SKU-000123", "name": "Café crème ☕", "price": "12.50", "tags": ["a", "b"]},\n';
    const count = Math.ceil((2 * 1024 * 1024) / row.length);
    const big = [
      'from django.db import migrations, models',
      '',
      `PRODUCTS = [\n${row.repeat(count)}]`,
      '',
      '',
      'def load(apps, schema_editor):',
      '    Product = apps.get_model("shop", "Product")',
      '    Product.objects.bulk_create(Product(**p) for p in PRODUCTS)',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [("shop", "0001_initial")]',
      '',
      '    operations = [',
      '        migrations.RunPython(load, migrations.RunPython.noop),',
      '        migrations.AddIndex(model_name="order", index=models.Index(fields=["id"], name="order_id_idx")),',
      '    ]',
      '',
    ].join('\n');
    assert.ok(big.length > 2 * 1024 * 1024);
    const uri = await client.open(nextPath('big'), big);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'), 60_000);
    assert.deepEqual(diagnostics.find((d) => d.code === 'MG101')!.range.start, rangeOf(big, 'migrations.AddIndex(').start);
    // Edits in the middle and at the end: incremental re-parses of a big tree.
    const middle = Math.floor(count / 2) + 3;
    await client.change(uri, { start: { line: middle, character: 4 }, end: { line: middle, character: 4 } }, '# ☕\n    ');
    const moved = await client.waitForCurrent(uri, has('MG101'), 60_000);
    assert.deepEqual(moved.find((d) => d.code === 'MG101')!.range.start, rangeOf(client.text(uri), 'migrations.AddIndex(').start);
    await client.change(uri, rangeOf(client.text(uri), 'migrations.AddIndex('), 'migrations.AddIndez(');
    await client.waitForCurrent(uri, (d) => !has('MG101')(d), 60_000);
    await client.close(uri);
    await stillAnswers();
  });

  test('a migration with thousands of operations is linted', async () => {
    const operation = '        migrations.AddIndex(model_name="order", index=models.Index(fields=["created_at"], name="order_idx")),\n';
    const count = 2000;
    const many = `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n${operation.repeat(count)}    ]\n`;
    const uri = await client.open(nextPath('many'), many);
    const diagnostics = await client.waitForCurrent(uri, (d) => d.length > 0, 60_000);
    assert.equal(diagnostics.filter((d) => d.code === 'MG101').length, count);
    await client.close(uri);
    await stillAnswers();
  });

  test('a file over the size limit is not linted, and nothing breaks', async () => {
    const huge = `# ${'x'.repeat(6 * 1024 * 1024)}\n${ADD_INDEX_MIGRATION}`;
    const uri = await client.open(nextPath('huge'), huge);
    assert.deepEqual(await client.waitForCurrent(uri, undefined, 60_000), []);
    await client.close(uri);
    await stillAnswers();
  });

  test('nonsense: unknown documents, out-of-range edits, double opens', async () => {
    const unknown = uriOf(project.path('shop/migrations/9999_unknown.py'));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: unknown, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] });
    await client.close(unknown);
    assert.deepEqual(await client.codeActions(unknown, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    const oddPath = nextPath('odd');
    const uri = await client.open(oddPath, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    // A range past the end of the document (clamped, as LSP says).
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 500, character: 3 }, end: { line: 900, character: 1 } }, text: '# tail\n' }],
    });
    await client.waitForDiagnostics(uri, has('MG101'), { version: 2 });
    // Opening an open document again replaces it.
    assert.equal(await client.open(oddPath, ''), uri);
    await client.waitForCurrent(uri, (d) => d.length === 0);
    // A request with garbage params gets an error or nothing, not a dead server.
    await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: null, context: null }).catch(() => undefined);
    await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [{ source: 'migration-guard', code: 'MG101', data: { version: 1, fixes: 'nope' }, range: null }] } }).catch(() => undefined);
    await stillAnswers();
    assert.deepEqual(client.protocolErrors, [], 'nothing but JSON-RPC on stdout');
  });
});

describe('lifecycle', () => {
  test('shutdown then exit: the process exits with 0', async () => {
    const project = makeProject();
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.write('shop/migrations/0002_x.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
      await client.waitForCurrent(uri, has('MG101'));
      assert.equal(await client.shutdown(), 0);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });

  test('documents opened right after initialize wait for the parser instead of failing', async () => {
    const project = makeProject();
    const client = new TestClient({ rootPath: project.root });
    try {
      const initialized = client.initialize();
      await initialized;
      const uri = await client.open(project.write('shop/migrations/0002_x.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
      await client.waitForCurrent(uri, has('MG101'));
      assert.ok(!client.logs.some((line) => /failed|Uncaught|Unhandled/.test(line)), client.logs.join('\n'));
      assert.equal(await client.shutdown(), 0);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });

  test('--node-ipc works too (how VS Code starts it)', { timeout: 20_000 }, async () => {
    const project = makeProject();
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<Diagnostic[]>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        if (params.diagnostics.length > 0) resolve(params.diagnostics);
      }));
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: uriOf(project.root), capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      const path = project.write('shop/migrations/0002_x.py', ADD_INDEX_MIGRATION);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(path), languageId: 'python', version: 1, text: ADD_INDEX_MIGRATION } });
      const diagnostics = await published;
      assert.ok(diagnostics.some((d) => d.code === 'MG101'));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
      project.dispose();
    }
  });
});
