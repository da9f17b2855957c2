// The plain-JS tree (base/tree.ts) against web-tree-sitter's own Node API, node by node: the copy walk calls
// web-tree-sitter's wasm exports directly (base/parser.ts), so this fails when a new web-tree-sitter changes them.
// MG_TREE_CORPUS=DIR also compares every .py file under DIR (e.g. an unpacked corpus).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Node as WasmNode } from 'web-tree-sitter';
import { initParser, parsePython, parseWasm, TreeEdit, walksExports, type Node } from '../../server/src/base/parser';
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
