import { ROW_LOCKS } from '../analysis/claims';
import { forwardStatements } from '../analysis/sql';
import { exampleMigration, initialMigration } from './docs';
import { defineRule } from './types';

const IMPORTS = ['from django.db import migrations'];

export const sqlUnboundedDml = defineRule({
  code: 'MG402',
  name: 'sql-unbounded-dml',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['DataMigration.update'],
  docs: {
    summary: '`UPDATE` or `DELETE` without `WHERE` in `RunSQL` changes every row of the table in one statement.',
    why: 'One statement over the whole table runs as one transaction (with the rest of the migration when it is atomic): on a big table it takes minutes, every row it changes stays locked against other writers until it commits, it bloats the table with a dead copy of each row, and replicas fall behind. A backfill in batches (by primary key ranges, each its own transaction, in a migration with `atomic = False`) changes the same rows while the application keeps writing. Statements on a table created earlier in the same migration are not reported: it is empty.',
    example: exampleMigration({
      imports: IMPORTS,
      operations: ['migrations.RunSQL("UPDATE shop_order SET status = \'new\'", reverse_sql=migrations.RunSQL.noop),'],
    }),
    useInstead: exampleMigration({
      imports: IMPORTS,
      attributes: ['atomic = False'],
      operations: [
        '# One batch; a RunPython loop repeats it over pk ranges until no row is left.',
        'migrations.RunSQL("UPDATE shop_order SET status = \'new\' WHERE id BETWEEN 1 AND 10000 AND status IS NULL", reverse_sql=migrations.RunSQL.noop),',
      ],
    }),
    // The column the UPDATE sets (PostgreSQL rejects the statement on a table without it).
    history: initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("status", models.CharField(max_length=20, null=True))]),']),
    fixSafety: 'No automatic fix: the batch size and the key to batch on depend on the table.',
    references: ['squawk: none (it lints schema changes)', 'strong_migrations: backfilling data (in batches, outside a transaction)'],
  },
  check(ctx) {
    for (const { statement, newTables } of forwardStatements(ctx.migration!, ctx.text)) {
      const action = statement.action;
      if ((action.kind !== 'update' && action.kind !== 'delete') || action.where || newTables.has(action.table.key)) continue;
      const verb = action.kind === 'update' ? 'UPDATE' : 'DELETE';
      ctx.report({
        range: statement.range,
        message: `\`${verb}\` of every row of \`${action.table.key}\` (no \`WHERE\`) in one statement: ${ROW_LOCKS}.`,
        help: `Instead, ${action.kind === 'update' ? 'update' : 'delete'} in batches by primary key range (\`WHERE id BETWEEN … AND …\`), each batch its own transaction, in a migration with \`atomic = False\`.`,
      });
    }
  },
});
