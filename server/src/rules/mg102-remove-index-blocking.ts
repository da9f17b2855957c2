import { argument, databaseOperations, isNewTable } from '../analysis/migration';
import { CLAIMS, lockClause } from '../analysis/claims';
import { literal } from '../analysis/syntax';
import { exampleMigration } from './docs';
import { tableFor } from '../analysis/operation-context';
import { ownMigrationAdvice } from '../fixes/concurrently';
import { concurrentFixes, sqlConcurrentFixes } from '../fixes/move-index';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { existingTableStatements, modelOfTable, tableOfIndex } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const removeIndexBlocking = defineRule({
  code: 'MG102',
  name: 'remove-index-blocking',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
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
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "DROP INDEX order_created_idx",',
        '    reverse_sql="CREATE INDEX order_created_idx ON shop_order (created_at)",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      attributes: ['atomic = False'],
      operations: [
        'migrations.RunSQL(',
        '    "DROP INDEX CONCURRENTLY order_created_idx",',
        '    reverse_sql="CREATE INDEX CONCURRENTLY order_created_idx ON shop_order (created_at)",',
        '),',
      ],
    }),
    fixSafety: 'The fix replaces `RemoveIndex` with `RemoveIndexConcurrently` (or writes `DROP INDEX CONCURRENTLY` in a `RunSQL`), imports it from `django.contrib.postgres.operations` and sets `atomic = False`. It is safe when index operations are the only operations of the migration (or it is already non-atomic); otherwise it is offered as unsafe, titled so, because the other operations would then run without a transaction. For `RemoveIndex` in such a migration, a second fix, offered first, is that better route: it moves the index operations into a new migration of their own after this one (`atomic = False`, depending on it), offered when the workspace shows this migration is the only leaf of its app and no later operation in it touches the same model.',
    references: [
      'django-migration-linter: DROP_INDEX',
      'squawk: require-concurrent-index-deletion',
      'django-safe-migrations: SM030',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'RemoveIndex')) {
      if (isNewTable(migration, op)) continue;
      const table = tableFor(ctx, op);
      const name = literal(argument(op, 'name'));
      const index = name.kind === 'string' ? ` \`${name.value}\`` : '';
      ctx.report({
        node: op.node,
        message: `\`RemoveIndex\`${index} on \`${table}\` ${lockClause(CLAIMS.RemoveIndex, { table })}${migration.atomic === false ? '' : ', and holds it until the migration commits'}.`,
        help: ownMigrationAdvice(ctx, migration, 'Instead, use `RemoveIndexConcurrently` in a migration with `atomic = False`: it drops the index without blocking reads or writes.'),
        fixes: concurrentFixes(ctx, migration, op, 'RemoveIndexConcurrently'),
      });
    }
  },
});

/** `DROP INDEX` without `CONCURRENTLY` in a RunSQL; its table is read from the project state. */
function checkStatements(ctx: SqlRuleContext): void {
  const migration = ctx.migration!;
  for (const item of existingTableStatements(migration, ctx.text, 'drop-index')) {
    const { statement, action } = item;
    if (action.concurrently) continue;
    const tables = action.names.map((name) => tableOfIndex(ctx, migration, ctx.text, name, item));
    if (tables.every((table) => table !== undefined && item.newTables.has(table))) continue;
    const known = [...new Set(tables.filter((table): table is string => table !== undefined))];
    const names = action.names.map((name) => `\`${name}\``).join(', ');
    const single = known.length === 1 && tables.every((table) => table === known[0]);
    const subject = single
      ? `\`DROP INDEX\` ${names} on \`${known[0]}\`${modelNote(ctx, known[0])}`
      : known.length > 0 && tables.every((table) => table !== undefined)
        ? `\`DROP INDEX\` ${names} on ${known.map((table) => `\`${table}\``).join(', ')}`
        : `\`DROP INDEX\` ${names} (on a table the migrations do not show: the index was not created by an \`AddIndex\` or \`CREATE INDEX\` in them)`;
    ctx.report({
      range: statement.range,
      message: `${subject} ${sqlLockClause(SQL_CLAIMS.RemoveIndex, single ? { table: known[0] } : {})}.`,
      help: ownMigrationAdvice(ctx, migration, 'Instead, write `DROP INDEX CONCURRENTLY` (one index per statement) in a migration with `atomic = False`.'),
      fixes: sqlConcurrentFixes(ctx, migration, item),
    });
  }
}

function modelNote(ctx: SqlRuleContext, table: string): string {
  const model = modelOfTable(ctx, table);
  return model ? ` (model \`${model}\`)` : '';
}
