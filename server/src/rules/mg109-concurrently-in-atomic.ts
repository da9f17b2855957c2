import { databaseOperations, type Operation } from '../analysis/migration';
import { runSql } from '../analysis/sql';
import { refusedInTransaction } from '../analysis/sql-classify';
import { setMigrationAttribute } from '../fixes/edits';
import { exampleMigration } from './docs';
import { defineRule } from './types';

/**
 * The first statement of a RunSQL's forward SQL that PostgreSQL refuses inside a transaction block (a concurrent
 * index operation, VACUUM, …), read from the parse tree (so not the word `CONCURRENTLY` in a comment or a string
 * literal, nor `REFRESH MATERIALIZED VIEW CONCURRENTLY`, which may run in a transaction). SQL built at run time
 * cannot be judged.
 */
function refusedStatement(op: Operation, source: string): { label: string; alone: boolean } | undefined {
  const sql = runSql(op, source).sql;
  let first: { label: string; alone: boolean } | undefined;
  for (const piece of sql.kind === 'pieces' ? sql.pieces : []) {
    if (piece.parsed.ok !== true) continue;
    for (const statement of piece.parsed.statements) {
      const label = refusedInTransaction(statement.action);
      // One sent with other statements in the same execute call comes first: atomic = False does not help it.
      if (label && !statement.alone) return { label, alone: false };
      first ??= label ? { label, alone: true } : undefined;
    }
  }
  return first;
}

const CONCURRENT_IMPORTS = ['from django.contrib.postgres.operations import AddIndexConcurrently', 'from django.db import migrations, models'];
const CONCURRENT_INDEX = ['AddIndexConcurrently(model_name="order", index=models.Index(fields=["created_at"], name="order_created_idx")),'];

export const concurrentlyInAtomic = defineRule({
  code: 'MG109',
  name: 'concurrently-in-atomic',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'error',
  fix: 'always',
  docs: {
    summary: 'A concurrent index operation (or `VACUUM`, or another statement PostgreSQL refuses in a transaction) in an atomic migration fails.',
    why: '`CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` cannot run inside a transaction block. Django wraps every migration in one unless the class sets `atomic = False`, so the migration fails at deploy time (Django raises `NotSupportedError` for `AddIndexConcurrently`; PostgreSQL rejects the raw SQL). The same holds for the other statements of a `RunSQL` that PostgreSQL refuses inside a transaction block: `REINDEX … CONCURRENTLY`, `VACUUM` (plain or `FULL`: "VACUUM cannot run inside a transaction block"), `CLUSTER` without a table, `REINDEX SCHEMA`/`DATABASE`/`SYSTEM`. On PostgreSQL Django sends a `RunSQL` string (or one list item) in one call, and several statements in one call run as one transaction block: such a statement needs a string of its own, with `atomic = False` too.',
    example: exampleMigration({
      imports: CONCURRENT_IMPORTS,
      operations: CONCURRENT_INDEX,
    }),
    useInstead: exampleMigration({
      imports: CONCURRENT_IMPORTS,
      attributes: ['atomic = False'],
      operations: CONCURRENT_INDEX,
    }),
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "CREATE INDEX CONCURRENTLY order_created_idx ON shop_order (created_at)",',
        '    reverse_sql="DROP INDEX CONCURRENTLY order_created_idx",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      attributes: ['atomic = False'],
      operations: [
        'migrations.RunSQL(',
        '    "CREATE INDEX CONCURRENTLY order_created_idx ON shop_order (created_at)",',
        '    reverse_sql="DROP INDEX CONCURRENTLY order_created_idx",',
        '),',
      ],
    }),
    fixSafety: 'Safe: the migration cannot run as it is; `atomic = False` is what Django requires.',
    references: ['squawk: ban-concurrent-index-creation-in-transaction', 'django-safe-migrations: SM018'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddIndexConcurrently', 'RemoveIndexConcurrently', 'RunSQL')) {
      const statement = op.kind === 'RunSQL' ? refusedStatement(op, ctx.text) : undefined;
      if (op.kind === 'RunSQL' && !statement) continue;
      const what = statement ? `\`RunSQL\` with \`${statement.label}\`` : `\`${op.kind}\``;
      if (statement && !statement.alone) {
        // Django's PostgreSQL backend sends a string (or a list item) whole: its statements run as one implicit
        // transaction block, atomic or not (test/integration/transaction-block.test.ts).
        ctx.report({
          node: op.node,
          message: `${what} is sent to PostgreSQL in one string with other statements, which run as one transaction block: it fails at deploy time${migration.atomic === false ? ', even with `atomic = False`' : ''}.`,
          help: `Instead, give \`${statement.label}\` a string of its own (a list item: \`RunSQL(["SET lock_timeout = …", "${statement.label} …"])\`) in a migration with \`atomic = False\`.`,
        });
        continue;
      }
      if (migration.atomic !== true) continue;
      const edit = setMigrationAttribute(ctx.text, migration, 'atomic', 'False');
      ctx.report({
        node: op.node,
        message: `${what} cannot run inside a transaction, and this migration is atomic: it fails at deploy time.`,
        help: `Instead, set \`atomic = False\` on the \`Migration\` class (keep ${statement && !statement.label.includes('CONCURRENTLY') ? `\`${statement.label}\`` : 'concurrent operations'} in a migration of their own).`,
        fixes: edit ? [{ title: 'Set atomic = False', applicability: 'safe', edits: [edit] }] : [],
      });
    }
  },
});
