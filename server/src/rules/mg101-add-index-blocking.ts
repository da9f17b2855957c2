import { CLAIMS, lockClause, WAITING, type ClaimId } from '../analysis/claims';
import { argument, databaseOperations, isNewTable, type Migration, type Operation } from '../analysis/migration';
import { exclusiveHolder } from '../analysis/operation-claims';
import { addedSets, columnFor, definedAt, formatSets, newField, previousField, tableFor, tableOfModel } from '../analysis/operation-context';
import { callArguments, literal } from '../analysis/syntax';
import { ownMigrationAdvice } from '../fixes/concurrently';
import { concurrentFixes, sqlConcurrentFixes } from '../fixes/move-index';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule, type RuleContext } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements, tableOfIndex } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

function indexName(op: Operation): string {
  const index = argument(op, 'index');
  const name = index?.type === 'call' ? literal(callArguments(index).keywords.get('name')) : undefined;
  return name?.kind === 'string' ? ` \`${name.value}\`` : '';
}

/**
 * What the index build makes wait: the claim's own lock, or, when an earlier operation of this atomic migration
 * already holds ACCESS EXCLUSIVE on the table, that lock for as long as the index takes.
 */
function waitClause(ctx: RuleContext, migration: Migration, op: Operation, id: ClaimId, table: string): string {
  const holder = exclusiveHolder(ctx, migration, op, ctx.config);
  if (holder) {
    return `it is built while this atomic migration holds the ACCESS EXCLUSIVE lock \`${holder.kind}\` took above: ${WAITING['ACCESS EXCLUSIVE']} on \`${table}\` wait while every row is read`;
  }
  return `\`${CLAIMS[id].sql}\` ${lockClause(CLAIMS[id], { table })}`;
}

export const addIndexBlocking = defineRule({
  code: 'MG101',
  name: 'add-index-blocking',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  claims: ['AddIndex', 'AddField.dbIndex', 'AddField.foreignKey', 'AlterField.dbIndex', 'AlterIndexTogether', 'RunSQL.reindex'],
  docs: {
    summary: 'Creating an index on an existing table blocks writes until the index is built.',
    why: '`CREATE INDEX` takes a `SHARE` lock on the table: every `INSERT`, `UPDATE` and `DELETE` waits until the whole table has been scanned and the index written, which on a large table means minutes of failed requests. Django runs it for `AddIndex`, for `AddField`/`AlterField` with `db_index=True` (a `ForeignKey` has it by default), and for `AlterIndexTogether`. Inside an atomic migration that also altered the table (`AddField(db_index=True)`), the index is built while an `ACCESS EXCLUSIVE` lock is held, so even reads wait. In a `RunSQL`, `CREATE INDEX` and `REINDEX INDEX` / `REINDEX TABLE` without `CONCURRENTLY` are reported the same way (`REINDEX` builds the index again from every row under the same `SHARE` lock).',
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
    otherRoutes: [{
      when: 'For a new field with `db_index=True`: the field without the index, then the index built concurrently',
      history: CREATE_ORDER,
      steps: [
        exampleMigration({
          imports: ['# shop/migrations/0002_order_reference.py', '# No index yet: ADD COLUMN alone holds its lock only briefly.', 'from django.db import migrations, models'],
          operations: ['migrations.AddField(model_name="order", name="reference", field=models.CharField(max_length=32, null=True, db_index=False)),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0003_order_reference_idx.py',
            'from django.contrib.postgres.operations import AddIndexConcurrently',
            'from django.db import migrations, models',
          ],
          attributes: ['atomic = False'],
          dependency: ['shop', '0002_order_reference'],
          operations: ['AddIndexConcurrently(model_name="order", index=models.Index(fields=["reference"], name="order_reference_idx")),'],
        }),
      ],
    }],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "CREATE INDEX order_created_idx ON shop_order (created_at)",',
        '    reverse_sql="DROP INDEX order_created_idx",',
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
    fixSafety: 'The fix (for `AddIndex`, and for `CREATE INDEX` in a `RunSQL`) makes the build concurrent and sets `atomic = False`. It is safe when index operations are the only operations of the migration (or it is already non-atomic); otherwise it is offered as unsafe, titled so, because the other operations would then run without a transaction: a failure half-way leaves them applied. In such a migration a second fix, offered first, is that better route: it moves the index operations (`AddIndex`/`RemoveIndex` as `AddIndexConcurrently`/`RemoveIndexConcurrently`, index-only `RunSQL` with `CONCURRENTLY` written) into a new migration of their own after this one (`atomic = False`, depending on it, numbered and named as `makemigrations` would), so the other operations keep their transaction. It is unsafe too (a failed concurrent build leaves an `INVALID` index to drop before retrying), and offered only when the workspace shows this migration is the only leaf of its app and no later operation in it touches the same model.',
    references: [
      'django-migration-linter: CREATE_INDEX',
      'squawk: require-concurrent-index-creation',
      'strong_migrations: add_index',
      'django-safe-migrations: SM010',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddIndex', 'AddField', 'AlterField', 'AlterIndexTogether')) {
      if (isNewTable(migration, op)) continue;
      const table = tableFor(ctx, op);
      switch (op.kind) {
        case 'AddIndex': {
          const holder = exclusiveHolder(ctx, migration, op, ctx.config);
          ctx.report({
            node: op.node,
            message: holder
              ? `\`AddIndex\`${indexName(op)} on \`${table}\` is built while this atomic migration holds the ACCESS EXCLUSIVE lock \`${holder.kind}\` took above: ${WAITING['ACCESS EXCLUSIVE']} wait while every row is read.`
              : `\`AddIndex\`${indexName(op)} on \`${table}\` ${lockClause(CLAIMS.AddIndex, { table })}.`,
            help: ownMigrationAdvice(ctx, migration, 'Instead, use `AddIndexConcurrently` in a migration with `atomic = False`: it builds the index while writes continue.'),
            fixes: concurrentFixes(ctx, migration, op, 'AddIndexConcurrently'),
          });
          break;
        }
        case 'AddField': {
          const field = op.field;
          const info = newField(ctx, op);
          if (!field || !info || field.dbIndex !== true || field.unique === true || field.primaryKey === true) continue;
          const column = columnFor(ctx, op);
          const implied = field.isRelation && !field.keywords.has('db_index');
          const what = implied ? `\`${field.type}\` \`${column}\` gets an index` : `\`AddField\` of \`${column}\` with \`db_index=True\` builds an index`;
          // In a transaction the index is built under ADD COLUMN's ACCESS EXCLUSIVE; without one, each statement
          // commits on its own and CREATE INDEX takes only its SHARE lock.
          const id: ClaimId = migration.atomic === false ? 'AddIndex' : field.isRelation && info.dbConstraint !== false ? 'AddField.foreignKey' : 'AddField.dbIndex';
          const tables = { table, referenced: tableOfModel(ctx, info.to) };
          ctx.report({
            node: op.node,
            message: `${what}: \`${CLAIMS[id].sql}\` ${lockClause(CLAIMS[id], tables)}.`,
            help: `Instead, add the field with \`db_index=False\`, then add the index with \`AddIndexConcurrently\` in a later migration with \`atomic = False\`.`,
          });
          break;
        }
        case 'AlterField': {
          // Django's truth table (BaseDatabaseSchemaEditor._alter_field): an index is created when the new
          // field has db_index and no unique, and the old one had no index or had it through unique.
          const before = previousField(ctx, op);
          const after = newField(ctx, op);
          if (!before || !after || !op.fieldName) continue;
          if (after.dbIndex !== true || after.unique !== false || after.primaryKey !== false || !after.hasColumn) continue;
          if (before.info.primaryKey !== false || !(before.info.dbIndex === false || before.info.unique === true)) continue;
          const column = columnFor(ctx, op);
          const becomesRelation = after.isRelation && !before.info.isRelation;
          const what = becomesRelation
            ? `\`AlterField\` turns \`${column}\` into a \`${after.type}\`, which gets an index`
            : `\`AlterField\` adds an index on \`${column}\` (\`db_index=True\`)`;
          ctx.report({
            node: op.node,
            message: `${what}: ${waitClause(ctx, migration, op, 'AlterField.dbIndex', table)}.`,
            help: `Instead, declare the field with \`db_index=False\` and add the index with \`AddIndexConcurrently(model_name="${op.modelName}", index=models.Index(fields=["${op.fieldName}"], name=…))\` in a migration with \`atomic = False\`.`,
            related: definedAt(before, op.fieldName),
          });
          break;
        }
        case 'AlterIndexTogether': {
          const model = ctx.project?.before(op).model;
          if (!model || model.uncertain) continue;
          const added = addedSets(model.indexTogether, ctx.project?.summary.operations[op.index]?.together);
          if (!added?.length) continue;
          const fields = added[0].map((name) => `"${name}"`).join(', ');
          ctx.report({
            node: op.node,
            message: `\`AlterIndexTogether\` adds an index on ${formatSets(added)} of \`${table}\`: ${waitClause(ctx, migration, op, 'AlterIndexTogether', table)}.`,
            help: `Instead, declare it in \`Meta.indexes\` and add it with \`AddIndexConcurrently(model_name="${op.modelName}", index=models.Index(fields=[${fields}], name=…))\` in a migration with \`atomic = False\` (\`index_together\` is deprecated since Django 4.2).`,
          });
          break;
        }
      }
    }
  },
});

/** `CREATE INDEX` without `CONCURRENTLY` in a RunSQL, on a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  checkReindex(ctx);
  for (const item of existingTableStatements(ctx.migration!, ctx.text, 'create-index')) {
    const { statement, action } = item;
    if (action.concurrently || action.unique) continue;
    ctx.report({
      range: statement.range,
      message: `\`CREATE INDEX\`${action.name ? ` \`${action.name}\`` : ''} on ${describeTable(ctx, action.table)} ${sqlLockClause(SQL_CLAIMS.AddIndex, { table: action.table.key })}.`,
      help: ownMigrationAdvice(ctx, ctx.migration!, 'Instead, write `CREATE INDEX CONCURRENTLY` in a migration with `atomic = False`: it builds the index while writes continue.'),
      fixes: sqlConcurrentFixes(ctx, ctx.migration!, item),
    });
  }
}

/**
 * `REINDEX INDEX` / `REINDEX TABLE` without `CONCURRENTLY`: the index is built again from every row, under the
 * same SHARE lock as `CREATE INDEX` (test/postgres/goldens/sql/RunSQL.reindex*.sql).
 */
function checkReindex(ctx: SqlRuleContext): void {
  const migration = ctx.migration!;
  for (const item of existingTableStatements(migration, ctx.text, 'reindex')) {
    const { statement, action } = item;
    if (action.concurrently || !action.name || (action.target !== 'index' && action.target !== 'table')) continue;
    const table = action.target === 'table' ? action.name : tableOfIndex(ctx, migration, ctx.text, action.name, item);
    if (table && item.newTables.has(table)) continue;
    const subject = action.target === 'table'
      ? `\`REINDEX TABLE\` \`${action.name}\``
      : `\`REINDEX INDEX\` \`${action.name}\`${table ? ` on \`${table}\`` : ' (on a table the migrations do not show)'}`;
    const concurrent = ctx.config.postgresVersion >= 12;
    ctx.report({
      range: statement.range,
      message: `${subject} ${sqlLockClause(SQL_CLAIMS['RunSQL.reindex'], table ? { table } : {})}.`,
      help: concurrent
        ? ownMigrationAdvice(ctx, migration, `Instead, write \`REINDEX ${action.target.toUpperCase()} CONCURRENTLY\` in a migration with \`atomic = False\`: it rebuilds the index while writes continue.`)
        : 'Instead, rebuild it with `CREATE INDEX CONCURRENTLY` under a new name and `DROP INDEX CONCURRENTLY` of the old one, in a migration with `atomic = False` (`REINDEX … CONCURRENTLY` needs PostgreSQL 12).',
      fixes: concurrent ? sqlConcurrentFixes(ctx, migration, item) : [],
    });
  }
}
