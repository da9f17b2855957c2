import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { initParser, parsePython, pythonLanguage, TreeEdit } from '../../server/src/base/parser';
import { REPO_ROOT } from '../helpers/paths';

before(() => initParser());

test('the pinned web-tree-sitter loads grammars/tree-sitter-python.wasm (ABI 15) in this Node', () => {
  assert.match(process.version, /^v20\./);
  const pinned = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).dependencies['web-tree-sitter'];
  assert.equal(pinned, '0.27.2');
  assert.equal(pythonLanguage().abiVersion, 15);
  const readme = readFileSync(join(REPO_ROOT, 'grammars', 'README.md'), 'utf8');
  assert.match(readme, /tree-sitter-python@0\.25\.0/);
  assert.match(readme, /ABI.*15/);
});

test('parses Python with tree-sitter and reports byte-free (UTF-16) offsets', () => {
  const text = 'x = "café 🚀"\ny = 1\n';
  const tree = parsePython(text);
  const second = tree.rootNode.namedChild(1)!;
  assert.equal(second.startIndex, text.indexOf('y = 1'));
  assert.deepEqual(second.startPosition, { row: 1, column: 0 });
  assert.equal(tree.rootNode.namedChild(0)!.endPosition.column, 'x = "café 🚀"'.length);
  tree.delete();
});

test('an edited tree re-parses incrementally to the same result as a fresh parse', () => {
  const before = 'a = 1\nb = 2\n';
  const after = 'a = 10\nb = 2\n';
  const tree = parsePython(before);
  tree.edit(new TreeEdit({ startIndex: 5, oldEndIndex: 5, newEndIndex: 6, startPosition: { row: 0, column: 5 }, oldEndPosition: { row: 0, column: 5 }, newEndPosition: { row: 0, column: 6 } }));
  const incremental = parsePython(after, tree);
  const fresh = parsePython(after);
  assert.equal(incremental.rootNode.toString(), fresh.rootNode.toString());
  assert.equal(incremental.rootNode.namedChild(1)!.startIndex, 7);
  for (const t of [tree, incremental, fresh]) t.delete();
});
