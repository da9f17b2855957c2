import { argument, columnName, databaseOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { callArguments, literal } from '../analysis/syntax';
import { insertImport, replaceNode, setMigrationAttribute } from '../fixes/edits';
import type { Edit, Fix } from '../fixes/types';
import { exampleMigration } from './docs';
import { defineRule, type RuleContext } from './types';

const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

/** `AddIndex` → `AddIndexConcurrently`, imported, in a non-atomic migration. */
/**
 * Turning off the transaction changes nothing else when the migration's only other database work is
 * concurrent (or state-only): then the fix is safe.
 */
export function isOnlyTransactionalOperation(migration: Migration): boolean {
  const transactional = migration.operations.filter((op) => op.scope !== 'state' && op.kind !== 'SeparateDatabaseAndState' && !op.kind.endsWith('Concurrently'));
  return transactional.length <= 1;
}

export function useConcurrently(ctx: RuleContext, migration: Migration, op: Operation, concurrent: string, safe: boolean): Fix {
  const edits: Edit[] = [replaceNode(op.callee, concurrent)];
  const importEdit = insertImport(ctx.text, ctx.tree.rootNode, POSTGRES_OPERATIONS, concurrent);
  if (importEdit) edits.push(importEdit);
  const atomicEdit = migration.atomic === false ? undefined : setMigrationAttribute(ctx.text, migration, 'atomic', 'False');
  if (atomicEdit) edits.push(atomicEdit);
  return { title: `Use ${concurrent}`, applicability: safe ? 'safe' : 'unsafe', edits };
}

function indexName(op: Operation): string {
  const index = argument(op, 'index');
  const name = index?.type === 'call' ? literal(callArguments(index).keywords.get('name')) : undefined;
  return name?.kind === 'string' ? ` \`${name.value}\`` : '';
}

export const addIndexBlocking = defineRule({
  code: 'MG101',
  name: 'add-index-blocking',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'Creating an index on an existing table blocks writes until the index is built.',
    why: '`CREATE INDEX` takes a `SHARE` lock on the table: every `INSERT`, `UPDATE` and `DELETE` waits until the whole table has been scanned and the index written, which on a large table means minutes of failed requests. Inside an atomic migration that also altered the table (`AddField(db_index=True)`), the index is built while an `ACCESS EXCLUSIVE` lock is held, so even reads wait.',
    example: exampleMigration({
      operations: [
        'migrations.AddIndex(',
        '    model_name="order",',
        '    index=models.Index(fields=["created_at"], name="order_created_idx"),',
        '),',
      ],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.operations import AddIndexConcurrently', 'from django.db import migrations, models'],
      attributes: ['atomic = False'],
      operations: [
        'AddIndexConcurrently(',
        '    model_name="order",',
        '    index=models.Index(fields=["created_at"], name="order_created_idx"),',
        '),',
      ],
    }),
    fixSafety: 'The fix replaces `AddIndex` with `AddIndexConcurrently`, imports it and sets `atomic = False`. It is safe when the index is the only operation of the migration; otherwise unsafe, because the other operations no longer run in one transaction.',
    references: [
      'django-migration-linter: CREATE_INDEX',
      'squawk: require-concurrent-index-creation',
      'strong_migrations: add_index',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    // Turning off the transaction changes what a failure leaves behind when other operations share the migration.
    const safe = isOnlyTransactionalOperation(migration);
    for (const op of databaseOperations(migration, 'AddIndex', 'AddField')) {
      if (isNewTable(migration, op)) continue;
      const table = tableName(migration, op.modelName);
      if (op.kind === 'AddIndex') {
        ctx.report({
          node: op.node,
          message: `\`AddIndex\`${indexName(op)} on \`${table}\` takes a SHARE lock: inserts, updates and deletes wait until the index is built.`,
          help: `Instead, use \`AddIndexConcurrently\` in a migration with \`atomic = False\`: it builds the index while writes continue.`,
          fixes: [useConcurrently(ctx, migration, op, 'AddIndexConcurrently', safe)],
        });
        continue;
      }
      const field = op.field;
      if (!field || field.dbIndex !== true || field.unique === true || field.primaryKey === true) continue;
      const column = columnName(migration, op);
      const what = field.isRelation && !field.keywords.has('db_index') ? `\`${field.type}\` \`${column}\` gets an index` : `\`AddField\` of \`${column}\` with \`db_index=True\` builds an index`;
      const underExclusive = migration.atomic !== false;
      ctx.report({
        node: op.node,
        message: underExclusive
          ? `${what} in the same transaction as \`ALTER TABLE … ADD COLUMN\`, which holds an ACCESS EXCLUSIVE lock: reads and writes on \`${table}\` wait until the index is built.`
          : `${what} under a SHARE lock: inserts, updates and deletes on \`${table}\` wait until the index is built.`,
        help: `Instead, add the field with \`db_index=False\`, then add the index with \`AddIndexConcurrently\` in a later migration with \`atomic = False\`.`,
      });
    }
  },
});
