// Multi-migration safe routes in rule docs: `docsFiles` splits a `useInstead` into its files, and each file is
// linted on top of the history and the files before it (the docs test in registry.test.ts runs every rule).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/engine/parser';
import { loadSqlParser } from '../../server/src/engine/sql-parser';
import { findRule } from '../../server/src/rules';
import { docsFiles } from '../../server/src/rules/docs';
import { lintDocsSteps } from '../helpers/engine';

before(() => Promise.all([initParser(), loadSqlParser()]));

test('a route over several migrations: one file per path line, in order', () => {
  const docs = findRule('MG106')!.docs;
  const files = docsFiles(docs.useInstead);
  assert.equal(files.length, 3);
  assert.match(files[1], /^# shop\/migrations\/0003_validate_note_not_null\.py\n/);
  assert.match(files[2], /^# shop\/migrations\/0004_order_note_not_null\.py\n/);
  assert.equal(files.join('\n'), docs.useInstead, 'nothing is lost in the split');
});

test('each step is judged with the earlier steps in the workspace: without the validation, step 3 is MG106', () => {
  const docs = findRule('MG106')!.docs;
  const [first, , third] = docsFiles(docs.useInstead);
  const skipped = `${first}\n${third.replace('0003_validate_note_not_null', '0002_example')}`;
  const results = lintDocsSteps(skipped, docs.history);
  assert.deepEqual(results.map((result) => result.violations.map((v) => v.code)), [[], ['MG106']]);
});

test('MG103: the constraint attached USING INDEX is clean; added with its own index build it is MG103', () => {
  const docs = findRule('MG103')!.docs;
  const [first, second] = docsFiles(docs.useInstead);
  assert.deepEqual(lintDocsSteps(`${first}\n${second}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], []]);
  const building = second.replace(' USING INDEX order_reference_uniq', ' (reference)');
  assert.deepEqual(lintDocsSteps(`${first}\n${building}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], ['MG103']]);
});

test('MG203: DROP TABLE after the state-only DeleteModel is clean; without that first step it is MG203', () => {
  const docs = findRule('MG203')!.docs;
  const [, second] = docsFiles(docs.useInstead);
  assert.deepEqual(lintDocsSteps(docs.useInstead, docs.history).map((r) => r.violations.map((v) => v.code)), [[], []]);
  const alone = second.replace('0002_example', '0001_initial');
  assert.deepEqual(lintDocsSteps(alone, docs.history).map((r) => r.violations.map((v) => v.code)), [['MG203']]);
});

test('MG105: the constraint added NOT VALID, then validated, is clean; added validating it is MG105', () => {
  const docs = findRule('MG105')!.docs;
  const [first, second] = docsFiles(docs.useInstead);
  assert.deepEqual(lintDocsSteps(docs.useInstead, docs.history).map((r) => r.violations.map((v) => v.code)), [[], [], []]);
  const validating = second.replace(' DEFERRABLE INITIALLY DEFERRED NOT VALID', ' DEFERRABLE INITIALLY DEFERRED');
  assert.deepEqual(lintDocsSteps(`${first}\n${validating}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], ['MG105']]);
});
