import { argument, databaseOperations, isNewTable } from '../analysis/migration';
import { CLAIMS, lockClause } from '../analysis/claims';
import { literal } from '../analysis/syntax';
import { exampleMigration } from './docs';
import { tableFor } from '../analysis/operation-context';
import { isOnlyTransactionalOperation, useConcurrently } from '../fixes/concurrently';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const removeIndexBlocking = defineRule({
  code: 'MG102',
  name: 'remove-index-blocking',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'always',
  claims: ['RemoveIndex', 'RemoveIndexConcurrently'],
  docs: {
    summary: 'Dropping an index takes an ACCESS EXCLUSIVE lock on its table, queued behind every running query.',
    why: '`DROP INDEX` needs an `ACCESS EXCLUSIVE` lock on the table. The drop itself is quick, but the lock must wait for every query already running on the table, and every query that arrives meanwhile (reads included) queues behind it: one slow report turns into an outage. In an atomic migration the lock is then held until the whole migration commits. `DROP INDEX CONCURRENTLY` waits for running transactions without blocking anyone.',
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RemoveIndex(model_name="order", name="order_created_idx"),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.operations import RemoveIndexConcurrently', 'from django.db import migrations'],
      attributes: ['atomic = False'],
      operations: ['RemoveIndexConcurrently(model_name="order", name="order_created_idx"),'],
    }),
    fixSafety: 'The fix replaces `RemoveIndex` with `RemoveIndexConcurrently`, imports it from `django.contrib.postgres.operations` and sets `atomic = False`. It is safe when the index removal is the only operation of the migration; otherwise unsafe, because the other operations no longer run in one transaction.',
    references: [
      'django-migration-linter: DROP_INDEX',
      'squawk: require-concurrent-index-deletion',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const safe = isOnlyTransactionalOperation(migration);
    for (const op of databaseOperations(migration, 'RemoveIndex')) {
      if (isNewTable(migration, op)) continue;
      const table = tableFor(ctx, op);
      const name = literal(argument(op, 'name'));
      const index = name.kind === 'string' ? ` \`${name.value}\`` : '';
      ctx.report({
        node: op.node,
        message: `\`RemoveIndex\`${index} on \`${table}\` ${lockClause(CLAIMS.RemoveIndex, { table })}${migration.atomic === false ? '' : ', and holds it until the migration commits'}.`,
        help: 'Instead, use `RemoveIndexConcurrently` in a migration with `atomic = False`: it drops the index without blocking reads or writes.',
        fixes: [useConcurrently(ctx, migration, op, 'RemoveIndexConcurrently', safe)],
      });
    }
  },
});

/** `DROP INDEX` without `CONCURRENTLY` in a RunSQL (the index's table is not named in the statement). */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'drop-index')) {
    if (action.concurrently) continue;
    ctx.report({
      range: statement.range,
      message: `\`DROP INDEX\` ${action.names.map((name) => `\`${name}\``).join(', ')} ${sqlLockClause(SQL_CLAIMS.RemoveIndex, {})} on the index's table.`,
      help: 'Instead, write `DROP INDEX CONCURRENTLY` in a migration with `atomic = False`.',
    });
  }
}
