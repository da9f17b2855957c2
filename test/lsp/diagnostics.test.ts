// Diagnostics over a real LSP connection: open, incremental changes (tree.edit + incremental re-parse),
// non-ASCII text, full-text changes, close, and documents that are not linted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, MIGRATION_PATH, TestClient, has, lacks, makeProject, rangeOf, uriOf } from './client';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

describe('diagnostics', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;

  before(async () => {
    // Every migration opened here is another leaf of `shop`: MG501 is not what these tests are about.
    client = new TestClient({ rootPath: project.root, settings: { ignore: ['MG501'] } });
    const result = await client.initialize();
    assert.equal(result.capabilities.textDocumentSync && typeof result.capabilities.textDocumentSync === 'object' && result.capabilities.textDocumentSync.change, 2, 'incremental sync');
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('open: MG101 on the AddIndex call (squiggle on its name, the call on data), with code, link, source, message, help and fixes on data', async () => {
    const path = project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    const mg101 = diagnostics.find((d) => d.code === 'MG101')!;
    // The squiggle covers `migrations.AddIndex`; the whole call (the CLI's range) stays on data.
    assert.deepEqual(mg101.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 8 + 'migrations.AddIndex'.length } });
    assert.deepEqual((mg101.data as { fullRange?: unknown }).fullRange, { start: { line: 7, character: 8 }, end: { line: 10, character: 9 } });
    assert.equal(mg101.severity, 2, 'warning');
    assert.equal(mg101.source, 'migration-guard');
    assert.match(mg101.codeDescription!.href, /#mg101-add-index-blocking$/);
    const [message, help] = (mg101.message as string).split('\n');
    assert.match(message, /`AddIndex` `order_created_idx` on `shop_order` takes a SHARE lock/);
    assert.match(help, /^Instead, /);
    const data = mg101.data as { version: number; fixes: { title: string; applicability: string; edits: { range: unknown; newText: string }[] }[] };
    assert.equal(data.version, 1);
    assert.equal(data.fixes.length, 1);
    assert.equal(data.fixes[0].title, 'Use AddIndexConcurrently');
    assert.equal(data.fixes[0].applicability, 'safe');
    assert.ok(data.fixes[0].edits.some((edit) => edit.newText === 'AddIndexConcurrently'));
    assert.ok(data.fixes[0].edits.every((edit) => typeof edit.newText === 'string' && 'start' in (edit.range as object)));
    assert.equal(client.diagnostics.get(uri)!.version, 1, 'published with the document version');
  });

  test('incremental changes: remove the problem, add it back, move it', async () => {
    const path = project.write('shop/migrations/0003_edits.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));

    // A one-character edit: AddIndex → AddIndez is no Django operation.
    await client.change(uri, rangeOf(client.text(uri), 'x('), 'z(');
    assert.deepEqual(await client.waitForCurrent(uri), []);

    // And back.
    await client.change(uri, rangeOf(client.text(uri), 'z('), 'x(');
    assert.ok(has('MG101')(await client.waitForCurrent(uri)));

    // Delete the whole operation (a multi-line range): nothing left to report.
    const operation = rangeOf(client.text(uri), '        migrations.AddIndex(');
    const whole = { start: operation.start, end: { line: 11, character: 0 } };
    await client.change(uri, whole, '');
    assert.deepEqual(await client.waitForCurrent(uri), []);
    assert.ok(!client.text(uri).includes('AddIndex'));

    // Type it back as a multi-line insertion, two lines further down than before.
    const insertAt = rangeOf(client.text(uri), '    ]\n');
    const insertion = '        # first\n        # second\n        migrations.AddIndex("order", models.Index(fields=["id"], name="order_id_idx")),\n';
    await client.change(uri, { start: insertAt.start, end: insertAt.start }, insertion);
    const back = await client.waitForCurrent(uri, has('MG101'));
    const mg101 = back.find((d) => d.code === 'MG101')!;
    assert.deepEqual(mg101.range.start, { line: 9, character: 8 });
    assert.equal(mg101.range.end.line, 9);
    assert.equal(mg101.range.end.character, 8 + 'migrations.AddIndex'.length, 'the squiggle ends after the name');
    const fullRange = (mg101.data as { fullRange: { end: { line: number; character: number } } }).fullRange;
    assert.equal(fullRange.end.character, client.text(uri).split('\n')[9].lastIndexOf(')') + 1, 'end is exclusive, after the closing parenthesis');
  });

  test('non-ASCII text before the operation, on earlier lines and on the same line', async () => {
    const text = ADD_INDEX_MIGRATION
      .replace('class Migration', '# café ☕ — naïve 😀\nclass Migration')
      .replace('    operations = [\n        migrations.AddIndex(', '    operations = [\n        migrations.AlterModelOptions(name="order", options={"verbose_name": "café ☕ 😀"}), migrations.AddIndex(');
    const path = project.write('shop/migrations/0004_unicode.py', text);
    const uri = await client.open(path, text);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    const mg101 = diagnostics.find((d) => d.code === 'MG101')!;
    const expected = rangeOf(text, 'migrations.AddIndex(');
    assert.deepEqual(mg101.range.start, expected.start, 'UTF-16 column, the emoji counts twice');
    assert.equal(mg101.range.start.line, 8);

    // Type more non-ASCII text before the operation, on the same line: the incremental re-parse must keep
    // the columns right.
    const options = rangeOf(client.text(uri), '"café ☕ 😀"}');
    await client.change(uri, { start: options.start, end: options.start }, '"🚀 ünïcödé 🚦 ", ');
    await client.change(uri, rangeOf(client.text(uri), '"🚀 ünïcödé 🚦 ", '), '"🚀 ünïcödé 🚦 " "😀",');
    const moved = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(moved.find((d) => d.code === 'MG101')!.range.start, rangeOf(client.text(uri), 'migrations.AddIndex(').start);

    // And on an earlier line, with a new line in the middle of the inserted text.
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# 日本語 🎌\n# ✓\n');
    const shifted = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(shifted.find((d) => d.code === 'MG101')!.range.start, rangeOf(client.text(uri), 'migrations.AddIndex(').start);
    assert.equal(shifted.find((d) => d.code === 'MG101')!.range.start.line, 10);
  });

  test('many incremental edits give the same diagnostics as a fresh parse of the final text', async () => {
    const path = project.write('shop/migrations/0005_many.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    // Edits in one burst and separately, several changes in one notification, deletions across lines.
    await client.changeMany(uri, [
      { range: rangeOf(client.text(uri), 'from django.db'), text: '# ñ\nfrom django.db' },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } }, text: 'é😀' },
    ]);
    await client.change(uri, rangeOf(client.text(uri), '"created_at"'), '"created_at", "note"');
    await client.change(uri, rangeOf(client.text(uri), '        ),\n    ]'), '        ),\n        migrations.AddIndex(model_name="item", index=models.Index(fields=["sku"], name="item_sku_idx")),\n    ]');
    await client.change(uri, rangeOf(client.text(uri), 'dependencies = [("shop", "0001_initial")]\n\n'), 'dependencies = [("shop", "0001_initial")]\n');
    const incremental = await client.waitForCurrent(uri, (d) => d.filter((x) => x.code === 'MG101').length === 2);

    const freshPath = project.write('shop/migrations/0006_fresh.py', client.text(uri));
    const freshUri = await client.open(freshPath, client.text(uri));
    const fresh = await client.waitForCurrent(freshUri);
    assert.deepEqual(summary(incremental), summary(fresh));
  });

  test('a burst of changes ends with the diagnostics of the last version', async () => {
    const path = project.write('shop/migrations/0007_burst.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    const at = rangeOf(client.text(uri), 'x(').start;
    // Type "zzzz" after AddIndex, one character per notification, then delete it.
    for (let i = 0; i < 4; i++) await client.change(uri, { start: { line: at.line, character: at.character + 1 + i }, end: { line: at.line, character: at.character + 1 + i } }, 'z');
    assert.ok(client.text(uri).includes('AddIndexzzzz('));
    assert.deepEqual(await client.waitForCurrent(uri), []);
    await client.change(uri, { start: { line: at.line, character: at.character + 1 }, end: { line: at.line, character: at.character + 5 } }, '');
    const final = await client.waitForCurrent(uri, has('MG101'));
    assert.equal(client.diagnostics.get(uri)!.version, 6);
    assert.equal(final.filter((d) => d.code === 'MG101').length, 1);
  });

  test('a full-text change (no range) re-parses from scratch', async () => {
    const path = project.write('shop/migrations/0008_full.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    await client.replace(uri, ADD_INDEX_MIGRATION.replace('migrations.AddIndex(', 'migrations.AlterModelOptions(').replace(/model_name="order",\n.*\n/, 'name="order", options={},\n'));
    assert.ok(lacks('MG101')(await client.waitForCurrent(uri)));
    await client.replace(uri, `# header\n${ADD_INDEX_MIGRATION}`);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    assert.equal(diagnostics.find((d) => d.code === 'MG101')!.range.start.line, 8);
    // And incremental changes still work after it.
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, '');
    const after = await client.waitForCurrent(uri, has('MG101'));
    assert.equal(after.find((d) => d.code === 'MG101')!.range.start.line, 7);
  });

  test('CRLF line endings', async () => {
    const text = ADD_INDEX_MIGRATION.replace(/\n/g, '\r\n');
    const path = project.write('shop/migrations/0009_crlf.py', text);
    const uri = await client.open(path, text);
    const first = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(first.find((d) => d.code === 'MG101')!.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 27 } });
    assert.deepEqual((first.find((d) => d.code === 'MG101')!.data as { fullRange?: unknown }).fullRange, { start: { line: 7, character: 8 }, end: { line: 10, character: 9 } });
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# one\r\n# two\r\n');
    const moved = await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(moved.find((d) => d.code === 'MG101')!.range.start, { line: 9, character: 8 });
  });

  test('close clears the diagnostics', async () => {
    const path = project.write('shop/migrations/0010_close.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    await client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  test('only file: URIs of .py files are linted', async () => {
    const notPython = await client.open(project.path('shop/migrations/0011_notes.txt'), ADD_INDEX_MIGRATION, 'plaintext');
    const untitled = 'untitled:Untitled-1';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: untitled, languageId: 'python', version: 1, text: ADD_INDEX_MIGRATION } });
    const outside = await client.open(project.write('shop/models.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
    // Documents are linted in the order they were opened: once a later one has its diagnostics, the
    // earlier ones would have theirs.
    const marker = await client.open(project.write('shop/migrations/0012_marker.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
    await client.waitForCurrent(marker, has('MG101'));
    assert.equal(client.diagnostics.get(notPython), undefined);
    assert.equal(client.diagnostics.get(untitled), undefined);
    // A .py file that is not a migration (nor settings) is linted and has nothing to report.
    assert.deepEqual(client.diagnostics.get(outside)?.diagnostics ?? [], []);
    assert.ok(uriOf(project.path('x.py')).startsWith('file://'));
  });
});

describe('bursts', () => {
  test('a burst of changes is linted once, not once per change', async () => {
    const project = makeProject();
    const client = new TestClient({ rootPath: project.root, settings: { logLevel: 'debug' } });
    try {
      await client.initialize();
      const uri = await client.open(project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
      await client.waitForCurrent(uri, has('MG101'));
      const lints = () => client.logs.filter((line) => line.includes('0002_order_created_idx.py v') && line.includes('parse + lint')).length;
      const before = lints();
      // Twenty keystrokes sent without waiting, like fast typing into a busy server.
      const sent: Promise<number>[] = [];
      for (let i = 0; i < 20; i++) sent.push(client.change(uri, { start: { line: 1, character: i }, end: { line: 1, character: i } }, i ? 'x' : '#'));
      await Promise.all(sent);
      assert.ok(client.text(uri).includes('\n#xxxxxxxxxxxxxxxxxxx\n'));
      await client.waitForCurrent(uri, has('MG101'));
      await client.waitFor(() => (lints() > before ? true : undefined), 'the lint log line');
      assert.ok(lints() - before <= 3, `${lints() - before} lints for one burst of 20 changes`);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});
