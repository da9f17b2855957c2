import { databaseOperations } from '../analysis/migration';
import { addNoopReverse, lacksArgument } from './mg301-runpython-no-reverse';
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
    fixSafety: 'Unsafe: with `reverse_sql=RunSQL.noop` a rollback succeeds without undoing the SQL.',
    references: ['django-migration-linter: RUNSQL_REVERSIBLE', 'django-safe-migrations: SM007'],
  },
  check(ctx) {
    for (const op of databaseOperations(ctx.migration!, 'RunSQL')) {
      if (!lacksArgument(op, 'reverse_sql')) continue;
      ctx.report({
        node: op.node,
        message: '`RunSQL` has no `reverse_sql`: rolling back past this migration fails with `IrreversibleError`.',
        help: 'Instead, pass the SQL that undoes it, or `reverse_sql=migrations.RunSQL.noop` when undoing needs nothing.',
        fixes: addNoopReverse(ctx, op, 'reverse_sql'),
      });
    }
  },
});
