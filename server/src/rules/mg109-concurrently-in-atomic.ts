import { argument, databaseOperations } from '../analysis/migration';
import { literal } from '../analysis/syntax';
import { setMigrationAttribute } from '../fixes/edits';
import { exampleMigration } from './docs';
import { defineRule } from './types';

/** Strings only: SQL built at run time cannot be judged. Comments are not stripped (rare in practice). */
function sqlMentionsConcurrently(node: ReturnType<typeof argument>): boolean {
  const sql = literal(node);
  if (sql.kind === 'string') return /\bCONCURRENTLY\b/i.test(sql.value);
  if (node?.type === 'list' || node?.type === 'tuple') return node.namedChildren.some((item) => sqlMentionsConcurrently(item ?? undefined));
  return false;
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
    summary: 'A concurrent index operation in an atomic migration fails: PostgreSQL cannot run it in a transaction.',
    why: '`CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` cannot run inside a transaction block. Django wraps every migration in one unless the class sets `atomic = False`, so the migration fails at deploy time (Django raises `NotSupportedError` for `AddIndexConcurrently`; PostgreSQL rejects the raw SQL).',
    example: exampleMigration({
      imports: CONCURRENT_IMPORTS,
      operations: CONCURRENT_INDEX,
    }),
    useInstead: exampleMigration({
      imports: CONCURRENT_IMPORTS,
      attributes: ['atomic = False'],
      operations: CONCURRENT_INDEX,
    }),
    fixSafety: 'Safe: the migration cannot run as it is; `atomic = False` is what Django requires.',
    references: ['squawk: ban-concurrent-index-creation-in-transaction'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    if (migration.atomic !== true) return;
    for (const op of databaseOperations(migration, 'AddIndexConcurrently', 'RemoveIndexConcurrently', 'RunSQL')) {
      if (op.kind === 'RunSQL' && !sqlMentionsConcurrently(argument(op, 'sql'))) continue;
      const what = op.kind === 'RunSQL' ? '`RunSQL` with `CONCURRENTLY`' : `\`${op.kind}\``;
      const edit = setMigrationAttribute(ctx.text, migration, 'atomic', 'False');
      ctx.report({
        node: op.node,
        message: `${what} cannot run inside a transaction, and this migration is atomic: it fails at deploy time.`,
        help: 'Instead, set `atomic = False` on the `Migration` class (keep concurrent operations in a migration of their own).',
        fixes: edit ? [{ title: 'Set atomic = False', applicability: 'safe', edits: [edit] }] : [],
      });
    }
  },
});
