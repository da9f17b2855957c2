// Bad input never crashes the engine: half-typed code, syntax errors, huge files, a throwing rule.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { defaultConfig } from '../../server/src/config/defaults';
import { lintSource, workBoundNote } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { ALL_RULES } from '../../server/src/rules';
import { defineRule } from '../../server/src/rules/types';

before(() => initParser());

const path = '/p/shop/migrations/0002_x.py';
const GOOD = `from django.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.AddIndex(model_name="order", index=models.Index(fields=["a"], name="a_idx")),
        migrations.RunSQL("SELECT 1"),
    ]
`;

test('every prefix of a migration (as typed) lints without throwing', () => {
  for (let end = 0; end <= GOOD.length; end += 3) {
    const result = lintSource({ path, text: GOOD.slice(0, end), config: defaultConfig(), onRuleError: (rule, error) => assert.fail(`${rule.code}: ${error}`) });
    result.tree.delete();
  }
});

test('a syntax error elsewhere keeps the diagnostics on the parts that parse', () => {
  const broken = GOOD.replace('migrations.RunSQL("SELECT 1"),', 'migrations.RunSQL("SELECT 1"),\n        migrations.AddField(model_name="order", name=,\n');
  const result = lintSource({ path, text: broken, config: defaultConfig() });
  assert.ok(result.tree.rootNode.hasError);
  assert.ok(result.violations.some((v) => v.code === 'MG101'), 'MG101 survives the syntax error');
  result.tree.delete();
});

test('a huge migration (≈ 2 MB, 20,000 operations) lints, past the work bound: one note, its operations unread', () => {
  const op = '        migrations.AddField(model_name="order", name="f{i}", field=models.IntegerField(null=True)),\n';
  const body = Array.from({ length: 20000 }, (_, i) => op.replace('{i}', String(i))).join('');
  const text = `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n${body}    ]\n`;
  assert.ok(text.length > 1_900_000);
  const result = lintSource({ path, text, config: defaultConfig() });
  assert.equal(result.migration?.operations.length, 0);
  assert.equal(result.migration?.operationsOverLimit, 20000);
  assert.match(workBoundNote(result) ?? '', /^has 20,000 operations, more than 5,000: its operations are not checked/);
  result.tree.delete();
});

test('a throwing rule is reported to the caller; the other rules still run', () => {
  const broken = defineRule({ ...ALL_RULES[0], code: 'MG999', name: 'broken', check() { throw new Error('boom'); } });
  const errors: string[] = [];
  const result = lintSource({ path, text: GOOD, config: defaultConfig(), rules: [broken, ...ALL_RULES], onRuleError: (rule, error) => errors.push(`${rule.code}: ${(error as Error).message}`) });
  assert.deepEqual(errors, ['MG999: boom']);
  assert.deepEqual(result.violations.map((v) => v.code), ['MG101', 'MG302']);
  result.tree.delete();
});

test('files that are neither migrations nor settings produce nothing', () => {
  for (const other of ['/p/shop/models.py', '/p/shop/migrations/__init__.py', '/p/shop/migrations/notes.txt']) {
    const result = lintSource({ path: other, text: GOOD, config: defaultConfig() });
    assert.equal(result.fileKind, 'other');
    assert.deepEqual(result.violations, []);
    result.tree.delete();
  }
});
