// The LSP adapter's pieces without a connection: tree edits against fresh parses (positions included),
// Violation → Diagnostic, minimal edits, code action kinds, settings sanitizing, MG000 lines.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initParser, parsePython, type Node, type Tree } from '../../server/src/base/parser';
import { LineIndex } from '../../server/src/base/text';
import { kindRequested, minimalEdit } from '../../server/src/lsp/codeActions';
import { locateProblem, parseSettings, unwrapSettings } from '../../server/src/lsp/configuration';
import { toDiagnostics } from '../../server/src/lsp/diagnostics';
import { DocumentStore } from '../../server/src/lsp/documents';
import type { Violation } from '../../server/src/rules/types';
import { ADD_INDEX_MIGRATION } from './client';

before(() => initParser());

/** Every node as type, indices and points: what must agree between an edited tree's re-parse and a fresh one. */
function shape(tree: Tree): string[] {
  const out: string[] = [];
  const visit = (node: Node) => {
    out.push(`${node.type} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`);
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('DocumentStore: tree.edit keeps the tree in step with the text', () => {
  const pieces = ['x', '\n', '    ', 'é', '😀', 'café ☕', '(', ')', '"', '"""', '# c\n', '\r\n', '\t', 'migrations.AddIndex(model_name="a", index=models.Index(fields=["b"], name="c"))', ',', ''];

  for (const [name, initial] of [['LF', ADD_INDEX_MIGRATION], ['CRLF', ADD_INDEX_MIGRATION.replace(/\n/g, '\r\n')], ['empty', '']] as const) {
    test(`random edits on a ${name} document: the incremental re-parse equals a fresh parse, positions included`, () => {
      const store = new DocumentStore();
      const uri = pathToFileURL('/p/shop/migrations/0002_x.py').href;
      const stored = store.open({ uri, languageId: 'python', version: 1, text: initial });
      store.replaceTree(stored, parsePython(initial));
      const next = random(name.length * 7919);
      for (let round = 1; round <= 300; round++) {
        const text = stored.document.getText();
        const document = TextDocument.create(uri, 'python', 0, text);
        let start = Math.floor(next() * (text.length + 1));
        let end = Math.min(text.length, start + Math.floor(next() * 8));
        if (/[\udc00-\udfff]/.test(text[start] ?? '')) start--;
        if (/[\udc00-\udfff]/.test(text[end] ?? '')) end++;
        const insert = pieces[Math.floor(next() * pieces.length)];
        // Sometimes two changes in one notification, the second relative to the first.
        const changes = [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text: insert }];
        if (round % 7 === 0) changes.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'ü' });
        store.change({ textDocument: { uri, version: round + 1 }, contentChanges: changes });
        if (round % 3 !== 0) continue; // several edits between parses, as in a burst
        const current = stored.document.getText();
        const incremental = parsePython(current, stored.tree);
        const fresh = parsePython(current);
        assert.deepEqual(shape(incremental), shape(fresh), `round ${round}: ${JSON.stringify(current)}`);
        fresh.delete();
        store.replaceTree(stored, incremental);
      }
      assert.equal(stored.version, 301);
      store.clear();
      assert.equal(stored.tree, undefined, 'trees are freed');
    });
  }

  test('a lone carriage return falls back to a full parse', () => {
    const store = new DocumentStore();
    const uri = pathToFileURL('/p/shop/migrations/0002_x.py').href;
    const stored = store.open({ uri, languageId: 'python', version: 1, text: 'a = 1\rb = 2\n' });
    store.replaceTree(stored, parsePython(stored.document.getText()));
    store.change({ textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'c = 3\n' }] });
    assert.equal(stored.tree, undefined);
    assert.equal(stored.document.getText(), 'a = 1\rb = 2\nc = 3\n');
    // Typing one.
    const other = store.open({ uri: `${uri}2`, languageId: 'python', version: 1, text: 'a = 1\r\nb = 2\r\n' });
    store.replaceTree(other, parsePython(other.document.getText()));
    store.change({ textDocument: { uri: `${uri}2`, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '\r' }] });
    assert.equal(other.document.getText(), 'a = 1\r\r\nb = 2\r\n');
    assert.equal(other.tree, undefined);
    // \r\n typed into a CRLF file keeps the tree.
    const third = store.open({ uri: `${uri}3`, languageId: 'python', version: 1, text: 'a = 1\r\nb = 2\r\n' });
    store.replaceTree(third, parsePython(third.document.getText()));
    store.change({ textDocument: { uri: `${uri}3`, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'c = 3\r\n' }] });
    assert.ok(third.tree);
    store.clear();
  });

  test('only file: URIs of .py files get a path', () => {
    const store = new DocumentStore();
    assert.equal(store.open({ uri: 'file:///p/a.py', languageId: 'python', version: 1, text: '' }).path, '/p/a.py');
    assert.equal(store.open({ uri: 'file:///p/a.txt', languageId: 'plaintext', version: 1, text: '' }).path, undefined);
    assert.equal(store.open({ uri: 'untitled:Untitled-1', languageId: 'python', version: 1, text: '' }).path, undefined);
    assert.equal(store.open({ uri: 'file:///p/caf%C3%A9%20x.py', languageId: 'python', version: 1, text: '' }).path, '/p/café x.py');
  });
});

describe('toDiagnostics', () => {
  const base: Violation = {
    code: 'MG101', name: 'add-index-blocking', severity: 'warning', message: 'Blocked.', help: 'Instead, do this.',
    range: { start: 0, end: 1 }, fixes: [], url: 'https://example.com/#mg101',
  };

  test('severity, message and help, code link, source, data', () => {
    const text = '# ☕😀 x\nline two\n';
    const start = text.indexOf('x');
    const [error, info, bare] = toDiagnostics([
      { ...base, severity: 'error', range: { start, end: text.indexOf('two') + 3 }, fixes: [{ title: 'Do it', applicability: 'unsafe', edits: [{ start, end: start + 1, text: 'y' }] }] },
      { ...base, severity: 'info' },
      { ...base, help: undefined, code: 'MG900' },
    ], '/p/a.py', text, 7);
    assert.equal(error.severity, 1);
    assert.equal(info.severity, 3);
    assert.deepEqual(error.range, { start: { line: 0, character: 6 }, end: { line: 1, character: 8 } });
    assert.equal(error.message, 'Blocked.\nInstead, do this.');
    assert.equal(bare.message, 'Blocked.');
    assert.deepEqual(bare.tags, [1], 'unused noqa is shown as unnecessary');
    assert.equal(error.source, 'migration-guard');
    assert.deepEqual(error.codeDescription, { href: 'https://example.com/#mg101' });
    assert.deepEqual(error.data, { version: 7, fixes: [{ title: 'Do it', applicability: 'unsafe', edits: [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, newText: 'y' }] }] });
    assert.equal(error.relatedInformation, undefined);
  });

  test('related locations: from the given text, from disk, or line 0 when unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-related-'));
    try {
      const settings = join(dir, 'settings.py');
      const settingsText = 'DEBUG = False\nDATABASES = {\n    "default": {},\n}\n';
      writeFileSync(settings, settingsText);
      const offset = settingsText.indexOf('"default"');
      const [diagnostic] = toDiagnostics([{
        ...base,
        related: [
          { path: settings, range: { start: offset, end: offset + 9 }, message: 'read from disk' },
          { path: join(dir, 'other.py'), range: { start: 4, end: 5 }, text: 'ab\ncdef', message: 'given text' },
          { path: join(dir, 'missing.py'), range: { start: 40, end: 50 }, message: 'unreadable' },
        ],
      }], join(dir, 'shop/migrations/0002_x.py'), 'x', 1);
      assert.deepEqual(diagnostic.relatedInformation, [
        { location: { uri: pathToFileURL(settings).href, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 13 } } }, message: 'read from disk' },
        { location: { uri: pathToFileURL(join(dir, 'other.py')).href, range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } } }, message: 'given text' },
        { location: { uri: pathToFileURL(join(dir, 'missing.py')).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, message: 'unreadable' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('related locations in an open document are placed in its live text, not the file on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-related-'));
    try {
      const initial = join(dir, 'shop/migrations/0001_initial.py');
      const onDisk = '("note", models.TextField(null=True)),\n';
      const live = `# edited\n# not saved\n${onDisk}`;
      const offset = live.indexOf('("note"');
      const violation: Violation = { ...base, related: [{ path: initial, range: { start: offset, end: offset + 7 }, message: 'defined here' }] };
      const [diagnostic] = toDiagnostics([violation], join(dir, 'shop/migrations/0002_x.py'), 'x', 1, (path) => (path === initial ? new LineIndex(live) : undefined));
      assert.deepEqual(diagnostic.relatedInformation?.[0].location.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 7 } });
      // A related location in the linted file itself uses its text.
      const self: Violation = { ...base, related: [{ path: join(dir, 'a.py'), range: { start: 2, end: 3 }, message: 'here' }] };
      const [own] = toDiagnostics([self], join(dir, 'a.py'), 'a\nbc', 1, () => new LineIndex('unused'));
      assert.deepEqual(own.relatedInformation?.[0].location.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('code action helpers', () => {
  test('minimalEdit covers only the difference and never splits \\r\\n or a surrogate pair', () => {
    const cases: [string, string][] = [
      ['abc', 'abc'], ['', 'x'], ['x', ''], ['abcdef', 'abXYef'], ['a\r\nb', 'a\nb'], ['a\nb', 'a\r\nb'],
      ['x😀y', 'x😃y'], ['aaa', 'aaaa'], ['class A:\n    pass\n', 'class A:\n    atomic = False\n    pass\n'],
    ];
    for (const [before, after] of cases) {
      const edit = minimalEdit(before, after);
      assert.equal(before.slice(0, edit.start) + edit.text + before.slice(edit.end), after, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      assert.ok(!/^[\n\udc00-\udfff]/.test(before.slice(edit.start)) || !/[\r\ud800-\udbff]$/.test(before.slice(0, edit.start)));
    }
    assert.deepEqual(minimalEdit('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
    assert.deepEqual(minimalEdit('x😀y', 'x😃y'), { start: 1, end: 3, text: '😃' });
    assert.deepEqual(minimalEdit('a\r\nb', 'a\nb'), { start: 1, end: 3, text: '\n' });
  });

  test('kindRequested', () => {
    assert.ok(kindRequested(undefined, 'quickfix'));
    assert.ok(!kindRequested(undefined, 'source.fixAll.migrationGuard'));
    assert.ok(kindRequested(['source'], 'source.fixAll.migrationGuard'));
    assert.ok(kindRequested(['source.fixAll'], 'source.fixAll.migrationGuard'));
    assert.ok(kindRequested(['source.fixAll.migrationGuard'], 'source.fixAll.migrationGuard'));
    assert.ok(!kindRequested(['source.fixAll.eslint'], 'source.fixAll.migrationGuard'));
    assert.ok(!kindRequested(['source.organizeImports'], 'source.fixAll.migrationGuard'));
    assert.ok(!kindRequested(['quickfix'], 'source.fixAll.migrationGuard'));
    assert.ok(!kindRequested(['source'], 'quickfix'));
    assert.ok(!kindRequested(['sourc'], 'source.fixAll.migrationGuard'));
  });
});

describe('settings', () => {
  test('server keys, engine overrides, editor defaults as "not set", bad values dropped with a problem', () => {
    const settings = parseSettings({
      enable: true, logLevel: 'debug', trace: { server: 'verbose' }, serverPath: '/x',
      ignore: [], select: ['MG1', 'NOPE'], database: 'postgres', 'lock-timeout-ms': 2000, djangoVersion: '', statement_timeout_ms: 'soon',
      severity: { MG101: 'error', MG102: 'fatal' },
    });
    assert.equal(settings.enable, true);
    assert.equal(settings.logLevel, 'debug');
    // The severity map has no prototype (rule codes are user text): compare its entries.
    assert.deepEqual({ ...settings.overrides, severity: { ...(settings.overrides.severity ?? {}) } }, { select: ['MG1'], database: 'postgres', lockTimeoutMs: 2000, severity: { MG101: 'error' } });
    assert.equal(settings.problems.length, 3, settings.problems.join('\n'));
    assert.deepEqual(parseSettings({ enable: 'yes', logLevel: 7 }).problems.length, 2);
    assert.equal(parseSettings({ enable: false }).enable, false);
    assert.deepEqual(parseSettings(undefined), { enable: true, overrides: {}, problems: [] });
    assert.deepEqual(parseSettings(['x']), { enable: true, overrides: {}, problems: [] });
  });

  test('initializationOptions may wrap the settings', () => {
    assert.deepEqual(unwrapSettings({ migrationGuard: { enable: false } }), { enable: false });
    assert.deepEqual(unwrapSettings({ settings: { enable: false } }), { enable: false });
    assert.deepEqual(unwrapSettings({ enable: false }), { enable: false });
    assert.deepEqual(unwrapSettings(null), {});
  });

  test('locateProblem finds the key, the TOML error line, or the table', () => {
    const text = '[project]\nname = "x"\n\n[tool.migration-guard]\nselect = ["MG1"]\n"database" = "x"\n\n[tool.migration-guard.severity]\nMG101 = "fatal"\n';
    assert.equal(locateProblem(text, 'database'), 5);
    assert.equal(locateProblem(text, 'select'), 4);
    assert.equal(locateProblem(text, 'severity.MG101'), 8);
    assert.equal(locateProblem(text, 'statement-timeout-ms'), 3);
    assert.equal(locateProblem('[tool.migration-guard]\nselect = [\n\n', ''), 1);
    assert.equal(locateProblem('a = 1\nb = = 2\n', ''), 1);
    assert.equal(locateProblem('x = 1\n', 'select'), 0);
  });
});
