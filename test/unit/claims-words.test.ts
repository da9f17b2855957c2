// A rule's docs and messages may name a PostgreSQL lock only if a verified claim of the rule takes it: each rule
// lists the rows of the claims table (analysis/claims.ts) it describes, which test/postgres checks on PostgreSQL.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CLAIMS, type LockMode } from '../../server/src/analysis/claims';
import { initParser } from '../../server/src/base/parser';
import { ALL_RULES } from '../../server/src/rules';
import { lintDocsExample } from '../helpers/engine';

before(() => initParser());

/** Lock modes named in a text, longest names first so `SHARE` inside `SHARE ROW EXCLUSIVE` is not counted. */
export function namedLocks(text: string): Set<string> {
  const names = text.match(/ACCESS EXCLUSIVE|SHARE ROW EXCLUSIVE|SHARE UPDATE EXCLUSIVE|ROW EXCLUSIVE|ACCESS SHARE|ROW SHARE|(?<![A-Z_])EXCLUSIVE(?! \w)|(?<![A-Z_ ])SHARE(?![A-Z_])|\bSHARE lock/g) ?? [];
  return new Set(names.map((name) => name.replace(/ lock$/, '')));
}

test('namedLocks reads the mode names a sentence uses', () => {
  assert.deepEqual([...namedLocks('takes a SHARE lock, then an ACCESS EXCLUSIVE lock; not SHARE ROW EXCLUSIVE')].sort(), ['ACCESS EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE']);
  assert.deepEqual([...namedLocks('`SHARE UPDATE EXCLUSIVE` and ROW EXCLUSIVE')].sort(), ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE']);
});

for (const rule of ALL_RULES) {
  test(`${rule.code}: every lock its docs and messages name is taken by one of its claims`, () => {
    const claimed = new Set<string>((rule.claims ?? []).flatMap((id) => Object.values(CLAIMS[id].locks) as LockMode[]));
    const docs = [rule.docs.summary, rule.docs.why, rule.docs.example, rule.docs.useInstead, rule.docs.fixSafety].join('\n');
    const example = lintDocsExample(rule.docs.example, rule.docs.history, rule.docs.exampleConfig);
    const messages = example.violations.filter((v) => v.code === rule.code).map((v) => `${v.message}\n${v.help ?? ''}`).join('\n');
    const named = namedLocks(`${docs}\n${messages}`);
    assert.deepEqual([...named].filter((mode) => !claimed.has(mode)), [], `${rule.code} names locks none of its claims (${(rule.claims ?? []).join(', ') || 'none'}) takes`);
  });
}
