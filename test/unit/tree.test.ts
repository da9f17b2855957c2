// The plain-JS tree (base/tree.ts) against web-tree-sitter's own Node API, node by node: the copy walk calls
// web-tree-sitter's wasm exports directly (base/parser.ts), so this fails when a new web-tree-sitter changes them.
// MG_TREE_CORPUS=DIR also compares every .py file under DIR (e.g. an unpacked corpus).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Node as WasmNode } from 'web-tree-sitter';
import { initParser, nodesReusedByLastCopy, parsePython, parseWasm, TreeEdit, walksExports, type Node, type Tree } from '../../server/src/base/parser';
import { withPythonLineBreaks } from '../../server/src/base/text';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';

before(() => initParser());

function pythonFiles(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pythonFiles(path, into);
    else if (name.endsWith('.py')) into.push(path);
  }
  return into;
}

const FIELDS = ['name', 'body', 'arguments', 'function', 'object', 'attribute', 'left', 'right', 'value', 'key', 'condition', 'alternative', 'consequence', 'parameters', 'superclasses', 'module_name', 'operator', 'argument', 'type', 'subscript', 'definition', 'return_type', 'alias'];

/** Every difference between the copy and web-tree-sitter for one source, as lines (empty: the same). */
function differences(text: string): string[] {
  const wasm = parseWasm(text);
  const copy = parsePython(text);
  const problems: string[] = [];
  const compare = (mine: Node, theirs: WasmNode, path: string) => {
    if (problems.length > 20) return;
    const expect = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${path} ${theirs.type}: ${what} ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    };
    expect('type', mine.type, theirs.type);
    expect('range', [mine.startIndex, mine.endIndex], [theirs.startIndex, theirs.endIndex]);
    expect('positions', [mine.startPosition, mine.endPosition], [theirs.startPosition, theirs.endPosition]);
    expect('text', mine.text, theirs.text);
    expect('flags', [mine.isNamed, mine.isMissing, mine.isError, mine.hasError], [theirs.isNamed, theirs.isMissing, theirs.isError, theirs.hasError]);
    expect('children', mine.children.map((c) => c.type), theirs.children.map((c) => c?.type));
    expect('named children', mine.namedChildren.map((c) => c.startIndex), theirs.namedChildren.map((c) => c?.startIndex));
    expect('parent', mine.parent?.startIndex, theirs.parent?.startIndex);
    expect('next named sibling', mine.nextNamedSibling?.startIndex, theirs.nextNamedSibling?.startIndex);
    expect('next sibling', mine.nextSibling?.startIndex, theirs.nextSibling?.startIndex);
    expect('last child', mine.lastChild?.startIndex, theirs.lastChild?.startIndex);
    for (const field of FIELDS) {
      expect(`field ${field}`, [mine.childForFieldName(field)?.startIndex, mine.childForFieldName(field)?.type], [theirs.childForFieldName(field)?.startIndex, theirs.childForFieldName(field)?.type]);
      expect(`fields ${field}`, mine.childrenForFieldName(field).map((c) => c.startIndex), theirs.childrenForFieldName(field).map((c) => c?.startIndex));
    }
    mine.children.forEach((child, index) => compare(child, theirs.children[index]!, `${path}/${index}`));
  };
  compare(copy.rootNode, wasm.rootNode, '');
  for (const types of ['call', ['attribute', 'comment'], 'ERROR']) {
    const a = copy.rootNode.descendantsOfType(types).map((n) => n.startIndex);
    const b = wasm.rootNode.descendantsOfType(types).map((n) => n?.startIndex);
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`descendantsOfType ${types}: ${a.length} ≠ ${b.length}`);
  }
  const source = withPythonLineBreaks(text);
  for (let offset = 0; offset <= source.length; offset += Math.max(1, Math.floor(source.length / 97))) {
    for (const end of [offset, Math.min(source.length, offset + 7)]) {
      const a = copy.rootNode.descendantForIndex(offset, end);
      const b = wasm.rootNode.descendantForIndex(offset, end);
      if (a?.startIndex !== b?.startIndex || a?.endIndex !== b?.endIndex || a?.type !== b?.type) problems.push(`descendantForIndex(${offset}, ${end}): ${a?.type} ≠ ${b?.type}`);
    }
  }
  wasm.delete();
  copy.delete();
  return problems;
}

const BROKEN = [
  'class Migration(migrations.Migration):\n    operations = [\n        migrations.AddField(\n',
  'def f(:\n  return )\n',
  'x = "café 🚀"\r\ny = (1,\r\n',
  'if x:\n\ty = [1, 2\nelse:\n  pass\n',
  'a = 1\rb = 2\r',
  '',
  '\n\n# only a comment',
];

test('the copy walks web-tree-sitter\'s exports directly (the pinned 0.27.2)', () => {
  assert.equal(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).dependencies['web-tree-sitter'], '0.27.2');
  assert.ok(walksExports(), 'an export the copy walk calls is missing: web-tree-sitter changed its internals');
});

test('the JS tree answers as web-tree-sitter does, node by node, on every fixture and on broken sources', () => {
  const files = [...pythonFiles(FIXTURES), ...pythonFiles(join(REPO_ROOT, 'examples'))];
  if (process.env.MG_TREE_CORPUS) pythonFiles(process.env.MG_TREE_CORPUS, files);
  assert.ok(files.length > 100);
  const problems: string[] = [];
  for (const source of BROKEN) for (const line of differences(source)) problems.push(`${JSON.stringify(source.slice(0, 30))}: ${line}`);
  for (const file of files) for (const line of differences(readFileSync(file, 'utf8'))) problems.push(`${file}: ${line}`);
  assert.deepEqual(problems.slice(0, 30), []);
});

test('nodes are the same objects when read twice; an edited kept tree re-parses incrementally', () => {
  const tree = parsePython('a = 1\nb = 2\n', undefined, true);
  assert.equal(tree.rootNode.namedChild(1), tree.rootNode.namedChildren[1]);
  assert.equal(tree.rootNode.namedChild(0)!.parent, tree.rootNode);
  tree.edit(new TreeEdit({ startIndex: 5, oldEndIndex: 5, newEndIndex: 6, startPosition: { row: 0, column: 5 }, oldEndPosition: { row: 0, column: 5 }, newEndPosition: { row: 0, column: 6 } }));
  const incremental = parsePython('a = 10\nb = 2\n', tree, true);
  assert.ok(incremental.wasm, 'the re-parse keeps its wasm tree for the next keystroke');
  assert.equal(incremental.rootNode.toString(), parsePython('a = 10\nb = 2\n').rootNode.toString());
  assert.equal(incremental.rootNode.namedChild(1)!.startIndex, 7);
  tree.delete();
  incremental.delete();
  assert.equal(incremental.wasm, undefined);
});

test('a tree that forgot its node objects answers the same with new ones, and still re-parses incrementally', () => {
  const tree = parsePython('a = 1\nb = 2\n', undefined, true);
  const before = tree.rootNode.namedChild(1)!;
  const printed = tree.rootNode.toString();
  tree.forgetNodes();
  const after = tree.rootNode.namedChild(1)!;
  assert.notEqual(after, before, 'nodes asked for again are new objects');
  assert.equal(after, tree.rootNode.namedChildren[1], 'and, from then on, the same ones when read twice');
  assert.equal(tree.rootNode.toString(), printed);
  const rest = Array.from({ length: 20 }, (_, index) => `c${index} = f(${index}, [${index}])\n`).join('');
  const long = parsePython(`a = 1\n${rest}`, undefined, true);
  long.rootNode.descendantsOfType('call'); // node objects for forgetNodes to let go of
  long.forgetNodes();
  long.edit(new TreeEdit({ startIndex: 5, oldEndIndex: 5, newEndIndex: 6, startPosition: { row: 0, column: 5 }, oldEndPosition: { row: 0, column: 5 }, newEndPosition: { row: 0, column: 6 } }));
  const incremental = parsePython(`a = 10\n${rest}`, long, true);
  assert.ok(nodesReusedByLastCopy() > 0, 'the copy after the edit took unchanged subtrees from the forgetful tree');
  assert.equal(incremental.rootNode.toString(), parsePython(`a = 10\n${rest}`).rootNode.toString());
  long.delete();
  tree.delete();
  incremental.delete();
});

test('a tree that forgot its child lists keeps its node objects and makes the lists again, the same', () => {
  const tree = parsePython('def f(a, b):\n    return [a, b, (a + b)]\n');
  const nodes = tree.rootNode.descendantsOfType(['identifier', 'list', 'return_statement']);
  const lists = nodes.map((node) => node.parent!.children);
  const printed = tree.rootNode.toString();
  tree.forgetChildLists();
  nodes.forEach((node, index) => {
    const again = node.parent!.children;
    assert.notEqual(again, lists[index], 'a new list');
    assert.equal(again.length, lists[index].length);
    assert.ok(again.every((child, position) => child === lists[index][position]), 'of the same node objects');
    assert.ok(again.includes(node));
  });
  assert.equal(tree.rootNode.toString(), printed);
});

/** tree-sitter's point of an offset (rows at `\n`, columns in the same units as offsets). */
function pointAt(text: string, offset: number) {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** Every slot of two copies that differs, as lines (empty: the same tree). */
function slotDifferences(a: Tree, b: Tree): string[] {
  const problems: string[] = [];
  if (a.arrays.count !== b.arrays.count) return [`count ${a.arrays.count} ≠ ${b.arrays.count}`];
  for (const key of ['types', 'fields', 'flags', 'starts', 'ends', 'parents', 'after'] as const) {
    for (let id = 0; id < a.arrays.count && problems.length < 5; id++) {
      if (a.arrays[key][id] !== b.arrays[key][id]) problems.push(`${key}[${id}] ${a.arrays[key][id]} ≠ ${b.arrays[key][id]}`);
    }
  }
  return problems;
}

test('after one edit, the copy takes the unchanged subtrees from the previous copy, and equals a full copy', () => {
  const files = [...pythonFiles(FIXTURES), ...pythonFiles(join(REPO_ROOT, 'examples'))].filter((file) => file.includes('migrations'));
  if (process.env.MG_TREE_CORPUS) pythonFiles(process.env.MG_TREE_CORPUS, files);
  // Deterministic edits of every kind a keystroke makes: a letter, a newline, a comment, a bracket, a deletion, a paste.
  const inserts = ['x', '\n', '  # note', ')', '(', '"', ' ', 'migrations.RunSQL("SELECT 1"),\n', '\n    '];
  let seed = 11;
  const random = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % Math.max(1, below));
  const problems: string[] = [];
  let edits = 0;
  let reused = 0;
  for (const file of files) {
    let text = withPythonLineBreaks(readFileSync(file, 'utf8'));
    if (text.includes('\r')) continue;
    let tree = parsePython(text, undefined, true);
    for (let round = 0; round < 6 && problems.length < 10; round++) {
      const start = random(text.length + 1);
      const deleted = round % 3 === 2 ? Math.min(random(12), text.length - start) : 0;
      const inserted = round % 3 === 1 ? '' : inserts[random(inserts.length)];
      const next = text.slice(0, start) + inserted + text.slice(start + deleted);
      tree.edit(new TreeEdit({
        startIndex: start, oldEndIndex: start + deleted, newEndIndex: start + inserted.length,
        startPosition: pointAt(text, start), oldEndPosition: pointAt(text, start + deleted), newEndPosition: pointAt(next, start + inserted.length),
      }));
      const incremental = parsePython(next, tree, true);
      reused += nodesReusedByLastCopy();
      const full = parsePython(next);
      for (const line of slotDifferences(incremental, full)) problems.push(`${file} edit ${round} at ${start} (-${deleted} +${JSON.stringify(inserted)}): ${line}`);
      tree.delete();
      tree = incremental;
      text = next;
      edits++;
    }
    tree.delete();
  }
  assert.deepEqual(problems, []);
  assert.ok(edits > 300, `${edits} edits`);
  assert.ok(reused > edits * 20, `the copies reused ${reused} nodes over ${edits} edits: the incremental copy is not in use`);
});

test('two edits before a re-parse, or a tree with errors, are copied whole', () => {
  const text = 'a = 1\nb = [1, 2, 3]\nc = 3\n';
  const tree = parsePython(text, undefined, true);
  const edit = (at: number, inserted: string, before: string) => new TreeEdit({
    startIndex: at, oldEndIndex: at, newEndIndex: at + inserted.length, startPosition: pointAt(before, at), oldEndPosition: pointAt(before, at), newEndPosition: pointAt(before.slice(0, at) + inserted, at + inserted.length),
  });
  tree.edit(edit(5, '0', text));
  const once = 'a = 10\nb = [1, 2, 3]\nc = 3\n';
  tree.edit(edit(6, '0', once));
  const twice = parsePython('a = 100\nb = [1, 2, 3]\nc = 3\n', tree, true);
  assert.equal(nodesReusedByLastCopy(), 0);
  assert.deepEqual(slotDifferences(twice, parsePython('a = 100\nb = [1, 2, 3]\nc = 3\n')), []);
  const broken = 'a = 100\nb = [1, 2, 3\nc = 3\n';
  twice.edit(new TreeEdit({ startIndex: 19, oldEndIndex: 20, newEndIndex: 19, startPosition: { row: 1, column: 12 }, oldEndPosition: { row: 1, column: 13 }, newEndPosition: { row: 1, column: 12 } }));
  const withErrors = parsePython(broken, twice, true);
  assert.equal(nodesReusedByLastCopy(), 0);
  assert.deepEqual(slotDifferences(withErrors, parsePython(broken)), []);
  for (const kept of [tree, twice, withErrors]) kept.delete();
});
