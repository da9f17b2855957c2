import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { ALL_RULES, findRule } from '../../server/src/rules';
import { ruleUrl } from '../../server/src/rules/types';
import { lintDocsExample, lintDocsSteps } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

// The SQL rules need PostgreSQL's parser, as the CLI and the server load it before linting RunSQL.
before(() => Promise.all([initParser(), loadSqlParser()]));

test('rule codes are unique, sorted and well-formed; names are kebab-case', () => {
  const codes = ALL_RULES.map((rule) => rule.code);
  assert.deepEqual(codes, [...new Set(codes)].sort());
  for (const rule of ALL_RULES) {
    assert.match(rule.code, /^MG\d{3}$/);
    assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(findRule(rule.code), rule);
    assert.equal(findRule(rule.name), rule);
    assert.ok(ruleUrl(rule).endsWith(`#${rule.code.toLowerCase()}-${rule.name}`));
  }
});

test('every rule has fixtures and complete docs', () => {
  for (const rule of ALL_RULES) {
    const dir = join(FIXTURES, 'rules', rule.code);
    assert.ok(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.py')), `${rule.code} has no fixtures`);
    for (const key of ['summary', 'why', 'example', 'useInstead', 'fixSafety'] as const) assert.ok(rule.docs[key].trim().length > 10, `${rule.code} docs.${key}`);
    if (rule.fix !== 'never') assert.ok(readdirSync(dir).some((f) => f.endsWith('.fixed.py')), `${rule.code} has a fix but no golden`);
  }
});

for (const rule of ALL_RULES) {
  test(`${rule.code} docs: the example triggers it, "use instead" does not`, () => {
    const example = lintDocsExample(rule.docs.example, rule.docs.history, rule.docs.exampleConfig);
    assert.ok(example.violations.some((v) => v.code === rule.code), `${rule.code} example did not trigger`);
    const safe = lintDocsExample(rule.docs.useInstead, rule.docs.history, rule.docs.exampleConfig);
    assert.deepEqual(safe.violations.map((v) => v.code), [], `${rule.code} "use instead" triggers`);
    // Each later step of the route, on top of the history and the steps before it.
    const earlier = [...historyFiles(rule.docs.history), withPath(rule.docs.useInstead, 'shop/migrations/0002_example.py')];
    for (const [index, followUp] of (rule.docs.followUps ?? []).entries()) {
      const step = lintDocsExample(followUp, earlier, rule.docs.exampleConfig);
      assert.deepEqual(step.violations.map((v) => `${v.code} ${v.message}`), [], `${rule.code} "use instead" step ${index + 2} triggers`);
      earlier.push(followUp);
    }
  });
}

for (const rule of ALL_RULES.filter((candidate) => candidate.docs.sqlExample)) {
  test(`${rule.code} docs: the RunSQL example triggers it, its "use instead" does not`, () => {
    const example = lintDocsExample(rule.docs.sqlExample!, rule.docs.history, rule.docs.exampleConfig);
    const found = example.violations.filter((v) => v.code === rule.code);
    assert.ok(found.length > 0, `${rule.code} RunSQL example did not trigger: ${example.violations.map((v) => v.code).join(', ')}`);
    // On the statement inside the string (MG109 goes on the RunSQL call: the migration, not a statement, is wrong).
    const onCall = found.filter((v) => rule.docs.sqlExample!.startsWith('migrations.RunSQL(', v.range.start));
    assert.equal(onCall.length, rule.code === 'MG109' ? found.length : 0, `${rule.code}: where the finding starts`);
    if (rule.docs.sqlUseInstead) {
      const safe = lintDocsExample(rule.docs.sqlUseInstead, rule.docs.history, rule.docs.exampleConfig);
      assert.deepEqual(safe.violations.map((v) => `${v.code}: ${v.message}`), [], `${rule.code} RunSQL "use instead" triggers`);
    }
  });
}

test('the rules Django operations and RunSQL share show their SQL form', () => {
  const mapped = ['MG101', 'MG102', 'MG103', 'MG104', 'MG105', 'MG106', 'MG107', 'MG108', 'MG109', 'MG112', 'MG201', 'MG202', 'MG203', 'MG204', 'MG205'];
  assert.deepEqual(mapped.filter((code) => !findRule(code)?.docs.sqlExample), []);
});

test('messages name the user\'s table and help starts with "Instead,"', () => {
  for (const rule of ALL_RULES) {
    const example = lintDocsExample(rule.docs.example, rule.docs.history, rule.docs.exampleConfig);
    for (const violation of example.violations) {
      assert.ok(!violation.message.includes('\n'), `${violation.code} message is one line`);
      if (violation.help) assert.match(violation.help, /^Instead, /, violation.code);
    }
  }
});

function historyFiles(history: string | string[] | undefined): string[] {
  return history === undefined ? [] : typeof history === 'string' ? [history] : history;
}

/** A docs file indexed as history keeps its own path: one that names none is at the default `fallback`. */
function withPath(text: string, fallback: string): string {
  return /^# [\w/]+\.py\b/.test(text) ? text : `# ${fallback}\n${text}`;
}
