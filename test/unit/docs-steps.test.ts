// Multi-migration safe routes in rule docs (`useInstead`, then `followUps`): each file is linted on top of the
// history and the files before it (the docs test in registry.test.ts runs every rule); here each step is shown
// to matter, by removing or changing one.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { ALL_RULES, findRule } from '../../server/src/rules';
import type { RuleDocs } from '../../server/src/rules/types';
import { docsFiles } from '../../server/src/rules/docs';
import { lintDocsSteps } from '../helpers/engine';

before(() => Promise.all([initParser(), loadSqlParser()]));

/** The route's files in order: the first migration, then each later one (each starts with its path line). */
function routeFiles(docs: RuleDocs): string[] {
  return [docs.useInstead, ...(docs.followUps ?? [])];
}

test('a route over several migrations: one file per path line, in order', () => {
  const docs = findRule('MG106')!.docs;
  const files = routeFiles(docs);
  assert.equal(files.length, 3);
  assert.match(files[1], /^# shop\/migrations\/0003_validate_order_note_not_null\.py\n/);
  assert.match(files[2], /^# shop\/migrations\/0004_order_note_not_null\.py\n/);
  assert.deepEqual(docsFiles(files.join('\n')), files, 'the steps split back apart at their path lines');
});

test('each step is judged with the earlier steps in the workspace: without the validation, step 3 is MG106', () => {
  const docs = findRule('MG106')!.docs;
  const [first, , third] = routeFiles(docs);
  const skipped = `${first}\n${third.replace('0003_validate_order_note_not_null', '0002_example')}`;
  const results = lintDocsSteps(skipped, docs.history);
  assert.deepEqual(results.map((result) => result.violations.map((v) => v.code)), [[], ['MG106']]);
});

test('MG103: the constraint attached USING INDEX is clean; added with its own index build it is MG103', () => {
  const docs = findRule('MG103')!.docs;
  const [first, second] = routeFiles(docs);
  assert.deepEqual(lintDocsSteps(`${first}\n${second}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], []]);
  const building = second.replace(' USING INDEX order_reference_uniq', ' (reference)');
  assert.deepEqual(lintDocsSteps(`${first}\n${building}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], ['MG103']]);
});

test('MG203: DROP TABLE after the state-only DeleteModel is clean; without that first step it is MG203', () => {
  const docs = findRule('MG203')!.docs;
  const [, second] = routeFiles(docs);
  assert.deepEqual(lintDocsSteps(routeFiles(docs).join('\n'), docs.history).map((r) => r.violations.map((v) => v.code)), [[], []]);
  const alone = second.replace('0002_delete_coupon', '0001_initial');
  assert.deepEqual(lintDocsSteps(alone, docs.history).map((r) => r.violations.map((v) => v.code)), [['MG203']]);
});

test('MG105: the constraint added NOT VALID, then validated, is clean; added validating it is MG105', () => {
  const docs = findRule('MG105')!.docs;
  const [first, second] = routeFiles(docs);
  assert.deepEqual(lintDocsSteps(routeFiles(docs).join('\n'), docs.history).map((r) => r.violations.map((v) => v.code)), [[], [], []]);
  const validating = second.replace(' DEFERRABLE INITIALLY DEFERRED NOT VALID', ' DEFERRABLE INITIALLY DEFERRED');
  assert.deepEqual(lintDocsSteps(`${first}\n${validating}`, docs.history).map((r) => r.violations.map((v) => v.code)), [[], ['MG105']]);
});

// The docs' other routes (`otherRoutes`: an older Django, renaming the column itself) are linted like the main one.
for (const rule of ALL_RULES.filter((candidate) => candidate.docs.otherRoutes?.length)) {
  for (const route of rule.docs.otherRoutes!) {
    test(`${rule.code} docs, other route "${route.when}": every step is clean on the ones before it`, () => {
      const results = lintDocsSteps(route.steps.join('\n'), route.history ?? rule.docs.history, { ...rule.docs.exampleConfig, ...route.config });
      assert.equal(results.length, route.steps.length, 'one file per step');
      assert.deepEqual(results.map((result) => result.violations.map((v) => `${v.code} ${v.message}`)), route.steps.map(() => []));
    });
  }
}

test('MG204, renaming the column itself: dropping `note` without the state-only removal first is MG202', () => {
  const rule = findRule('MG204')!;
  const [first, second, , fourth] = rule.docs.otherRoutes![0].steps;
  const skipped = `${first}\n${second}\n${fourth.replace('0004_remove_order_note', '0003_copy_order_note')}`;
  assert.deepEqual(lintDocsSteps(skipped, rule.docs.history).map((r) => r.violations.map((v) => v.code)), [[], [], ['MG202']]);
});

test('MG201 before Django 5.0: NOT NULL without the validated CHECK first is MG106; added NOT NULL at once it is MG201', () => {
  const rule = findRule('MG201')!;
  const route = rule.docs.otherRoutes![0];
  const [first, second, , , last] = route.steps;
  const config = { ...rule.docs.exampleConfig, ...route.config };
  const unchecked = `${first}\n${second}\n${last.replace('0005_validate_order_status_not_null', '0003_backfill_order_status')}`;
  assert.deepEqual(lintDocsSteps(unchecked, route.history, config).map((r) => r.violations.map((v) => v.code)), [[], [], ['MG106']]);
  assert.deepEqual(lintDocsSteps(first.replace('null=True, ', ''), route.history, config).map((r) => r.violations.map((v) => v.code)), [['MG201']]);
});

test('MG106 help before Django 4.0 names the RunSQL route, not AddConstraintNotValid, which Django 3.2 lacks', () => {
  const rule = findRule('MG106')!;
  const help = (djangoVersion: string) => lintDocsSteps(rule.docs.example, rule.docs.history, { djangoVersion })[0].violations.find((v) => v.code === 'MG106')?.help ?? '';
  assert.match(help('3.2'), /RunSQL.*NOT VALID|NOT VALID.*RunSQL/);
  assert.doesNotMatch(help('3.2'), /with `AddConstraintNotValid`/);
  assert.match(help('4.2'), /with `AddConstraintNotValid`/);
});

test('MG101, a new field with an index: the index built with the field (db_index=True) is MG101', () => {
  const route = findRule('MG101')!.docs.otherRoutes![0];
  const [first] = route.steps;
  assert.deepEqual(lintDocsSteps(first.replace('db_index=False', 'db_index=True'), route.history).map((r) => r.violations.map((v) => v.code)), [['MG101']]);
});
