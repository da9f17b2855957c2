import { argument, databaseOperations, type Operation } from '../analysis/migration';
import { knownStatements, runSql } from '../analysis/sql';
import { insertKeywordArgument, replaceNode } from '../fixes/edits';
import { inverseStatements } from '../fixes/sql-inverse';
import type { Fix } from '../fixes/types';
import type { RuleContext } from './types';
import { addNoopReverse, lacksArgument } from '../fixes/noop-reverse';
import { exampleMigration } from './docs';
import { defineRule } from './types';

const UPDATE_SQL = `"UPDATE shop_order SET status = 'new' WHERE status = ''"`;

export const runSqlNoReverse = defineRule({
  code: 'MG302',
  name: 'runsql-no-reverse',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'always',
  docs: {
    summary: '`RunSQL` without `reverse_sql` makes the migration irreversible.',
    why: 'A rollback stops with `IrreversibleError` at this migration. Give the SQL that undoes it, or `RunSQL.noop` when nothing needs undoing (a `SET`, an `ANALYZE`).',
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      dependency: ['shop', '0002_order_status'],
      operations: [`migrations.RunSQL(${UPDATE_SQL}),`],
    }),
    useInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunSQL(', `    ${UPDATE_SQL},`, '    reverse_sql=migrations.RunSQL.noop,', '),'],
    }),
    fixSafety: 'Unsafe. When every statement creates something it names (`CREATE INDEX x`, `CREATE TABLE t`, `ADD COLUMN c`, `ADD CONSTRAINT k`), the fix writes the `reverse_sql` that drops it (`DROP INDEX [CONCURRENTLY] IF EXISTS x`, `DROP TABLE IF EXISTS t`, `DROP COLUMN IF EXISTS c`…): a rollback then removes it, with its data, and migrating forward again succeeds. Otherwise (data changes, `IF NOT EXISTS`, an unnamed index) it writes `reverse_sql=RunSQL.noop`: a rollback succeeds without undoing the SQL.',
    references: ['django-migration-linter: RUNSQL_REVERSIBLE', 'django-safe-migrations: SM007'],
  },
  check(ctx) {
    for (const op of databaseOperations(ctx.migration!, 'RunSQL')) {
      if (!lacksArgument(op, 'reverse_sql')) continue;
      ctx.report({
        node: op.node,
        message: '`RunSQL` has no `reverse_sql`: rolling back past this migration fails with `IrreversibleError`.',
        help: 'Instead, pass the SQL that undoes it (for what it creates: `DROP … IF EXISTS`), or `reverse_sql=migrations.RunSQL.noop` when undoing needs nothing.',
        fixes: addInverse(ctx, op) ?? addNoopReverse(ctx, op, 'reverse_sql'),
      });
    }
  },
});

/**
 * `reverse_sql=` the statements that drop what the SQL creates (CREATE INDEX, CREATE TABLE, ADD COLUMN, ADD
 * CONSTRAINT), so a rollback removes it and migrating forward again succeeds. Undefined when some statement
 * has no such inverse: the caller offers `RunSQL.noop`.
 */
function addInverse(ctx: RuleContext, op: Operation): Fix[] | undefined {
  const statements = knownStatements(runSql(op, ctx.text).sql);
  const inverse = statements && inverseStatements(statements);
  // A quote of each kind (or a backslash) in a name would need escaping: noop instead.
  if (!inverse || inverse.some((sql) => /\\/.test(sql) || (sql.includes('"') && sql.includes("'")))) return undefined;
  const strings = inverse.map((sql) => (sql.includes('"') ? `'${sql}'` : `"${sql}"`));
  const value = strings.length === 1 ? strings[0] : `[${strings.join(', ')}]`;
  const current = argument(op, 'reverse_sql');
  const edit = current ? replaceNode(current, value) : insertKeywordArgument(ctx.text, op.node, 'reverse_sql', value);
  // Unsafe: a rollback now drops the object and the data in it.
  return edit ? [{ title: `Add reverse_sql=${value}`, applicability: 'unsafe', edits: [edit] }] : undefined;
}
