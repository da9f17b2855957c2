// MG302's inverse reverse_sql (fixes/sql-inverse.ts): in the fixed golden, every reverse_sql parses with
// PostgreSQL's parser (no MG401), reads back as the drop of what the forward SQL creates, and no MG302 is left.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { databaseOperations } from '../../server/src/analysis/migration';
import { knownStatements, runSql } from '../../server/src/analysis/sql';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { lintFixture } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => Promise.all([initParser(), loadSqlParser()]));

test('the inverse statements of creates.fixed.py parse and drop what each RunSQL creates', () => {
  const text = readFileSync(join(FIXTURES, 'rules', 'MG302', 'creates.fixed.py'), 'utf8');
  const result = lintFixture('creates.fixed.py', text);
  assert.deepEqual(result.violations.map((v) => `${v.code} ${v.message}`), []);
  const drops: string[] = [];
  for (const op of databaseOperations(result.migration!, 'RunSQL')) {
    const { sql, reverse } = runSql(op, text);
    if (reverse.kind === 'noop') continue;
    const forward = knownStatements(sql)!;
    const backward = knownStatements(reverse);
    assert.ok(backward, `reverse_sql of ${op.node.text} parses`);
    assert.equal(backward.length, forward.length);
    drops.push(...backward.map((statement) => statement.action.kind));
  }
  assert.deepEqual(drops, ['drop-table', 'drop-index', 'drop-index', 'alter-table', 'drop-index', 'drop-table']);
  result.tree.delete();
});
