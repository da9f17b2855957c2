// Ranges must be right with non-ASCII text: tree-sitter's units, JS string indices and LSP's UTF-16 agree,
// and the CLI's 1-based columns count characters.
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/fixes/apply';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/base/parser';
import { LineIndex } from '../../server/src/base/text';
import { fixSource } from '../../server/src/engine/fix';
import { defaultConfig } from '../../server/src/config/defaults';
import { lintFixture } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => initParser());

const text = readFileSync(join(FIXTURES, 'unicode', '0003_unicode.py'), 'utf8');

test('a diagnostic after non-ASCII text starts exactly at the operation', () => {
  const result = lintFixture('0003_unicode.py', text);
  const starts = result.violations.map((v) => [v.code, text.slice(v.range.start, v.range.start + 20)]);
  assert.deepEqual(starts, [
    ['MG101', 'migrations.AddIndex('],
    ['MG201', 'migrations.AddField('],
  ]);
  const sameLine = result.violations[1];
  const lines = new LineIndex(text);
  const position = lines.position(sameLine.range.start);
  const lineText = text.split('\n')[position.line];
  // UTF-16 column (LSP): the astral emoji counts twice; the CLI column counts characters.
  assert.equal(position.character, lineText.indexOf('migrations.AddField('));
  assert.equal(lines.rowColumn(sameLine.range.start).column, [...lineText.slice(0, position.character)].length + 1);
  assert.ok(position.character > lines.rowColumn(sameLine.range.start).column - 1, 'the fixture must have an astral character before the operation');
});

test('fixes after non-ASCII text edit the right characters', () => {
  // The model in shop/models.py, with non-ASCII text before the field: MG201's fix edits it too.
  const models = 'from django.db import models\n\n\nclass Commande(models.Model):\n    """Société 🚀"""\n    état = models.CharField(max_length=9, default="brouillon", verbose_name="état 🚦")\n';
  const readFile = (path: string) => (path === '/p/shop/models.py' ? models : undefined);
  const fixed = fixSource({ path: '/p/shop/migrations/0003_unicode.py', text, config: defaultConfig(), readFile }, { unsafe: true });
  assert.match(fixed.text, /AddIndexConcurrently\(\n\s+model_name="commande"/);
  assert.match(fixed.text, /verbose_name="état 🚦", db_default="brouillon"\)/);
  const [modelsEdit] = fixed.otherFiles;
  assert.equal(modelsEdit?.path, '/p/shop/models.py');
  assert.equal(applyEdits(models, modelsEdit.edits), models.replace('verbose_name="état 🚦")', 'verbose_name="état 🚦", db_default="brouillon")'));
  assert.ok(fixed.text.includes('label = "café ☕ 🚀"'), 'the non-ASCII text is kept');
  fixed.result.tree.delete();
});

test('lines break at \\n, \\r\\n and a lone \\r, with or without a \\r in the text', () => {
  const lf = new LineIndex('a\nbb\n\nccc');
  assert.deepEqual([0, 1, 2, 3].map((line) => lf.lineStart(line)), [0, 2, 5, 6]);
  assert.equal(lf.lineCount, 4);
  assert.deepEqual(lf.position(7), { line: 3, character: 1 });
  const mixed = new LineIndex('a\r\nbb\rc\n\nd');
  assert.deepEqual([0, 1, 2, 3, 4].map((line) => mixed.lineStart(line)), [0, 3, 6, 8, 9]);
  assert.equal(mixed.lineEnd(0), 1);
  assert.equal(mixed.lineCount, 5);
  assert.equal(new LineIndex('').lineCount, 1);
  assert.equal(new LineIndex('\n').lineCount, 2);
});
