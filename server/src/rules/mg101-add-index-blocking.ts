import { argument, columnName, databaseOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { STATEMENT_LOCKS, WAITING } from '../analysis/locks';
import { knownField, tableOf } from '../analysis/state';
import { fieldInfo, type FieldInfo, type Known, type SourceLocation } from '../analysis/summary';
import { callArguments, literal } from '../analysis/syntax';
import { insertImport, replaceNode, setMigrationAttribute } from '../fixes/edits';
import type { Edit, Fix } from '../fixes/types';
import { exampleMigration } from './docs';
import { defineRule, type RelatedLocation, type RuleContext } from './types';

const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

/**
 * Turning off the transaction changes nothing else when the migration's only other database work is
 * concurrent (or state-only): then the fix is safe.
 */
export function isOnlyTransactionalOperation(migration: Migration): boolean {
  const transactional = migration.operations.filter((op) => op.scope !== 'state' && op.kind !== 'SeparateDatabaseAndState' && !op.kind.endsWith('Concurrently'));
  return transactional.length <= 1;
}

/** `AddIndex` → `AddIndexConcurrently` (or `RemoveIndex` → `RemoveIndexConcurrently`), imported, in a non-atomic migration. */
export function useConcurrently(ctx: RuleContext, migration: Migration, op: Operation, concurrent: string, safe: boolean): Fix {
  const edits: Edit[] = [replaceNode(op.callee, concurrent)];
  const importEdit = insertImport(ctx.text, ctx.tree.rootNode, POSTGRES_OPERATIONS, concurrent);
  if (importEdit) edits.push(importEdit);
  const atomicEdit = migration.atomic === false ? undefined : setMigrationAttribute(ctx.text, migration, 'atomic', 'False');
  if (atomicEdit) edits.push(atomicEdit);
  return { title: `Use ${concurrent}`, applicability: safe ? 'safe' : 'unsafe', edits };
}

// ---- Helpers shared by the MG1xx rules (MG102–MG108, MG206 import them from here). ----

/** The table an operation works on: the model's `db_table` when the state knows it, else Django's `app_model`. */
export function tableFor(ctx: RuleContext, op: Operation): string {
  const model = ctx.project?.before(op).model;
  const known = model && !model.uncertain ? tableOf(model) : 'unknown';
  return known !== 'unknown' && !ctx.migration!.createdModels.has(op.modelName ?? '') ? known : tableName(ctx.migration!, op.modelName);
}

/** `shop_order.note`, with the table from the state when known. */
export function columnFor(ctx: RuleContext, op: Operation): string {
  return op.modelName ? `${tableFor(ctx, op)}.${op.fieldName ?? '?'}` : columnName(ctx.migration!, op);
}

export interface PreviousField {
  info: FieldInfo;
  location: SourceLocation;
}

/** The field's definition just before `op`; undefined when its history is unknown or untrustworthy. */
export function previousField(ctx: RuleContext, op: Operation): PreviousField | undefined {
  const state = ctx.project?.before(op);
  const info = state ? knownField(state) : undefined;
  return info && state?.field ? { info, location: state.field.location } : undefined;
}

/** The field an `AddField`/`AlterField` defines, as plain data; undefined when it cannot be read completely. */
export function newField(ctx: RuleContext, op: Operation): FieldInfo | undefined {
  return op.field && !op.field.hasSplat ? fieldInfo(op.field, ctx.migration!.appLabel) : undefined;
}

/** Related information pointing at the earlier definition of a field. */
export function definedAt(previous: PreviousField, fieldName: string, detail = ''): RelatedLocation[] {
  return [{ path: previous.location.path, range: previous.location.range, message: `\`${fieldName}\` was last defined here${detail}` }];
}

/** Operations (by kind) that take ACCESS EXCLUSIVE on their table whatever their arguments. */
const EXCLUSIVE_KINDS = new Set(['AddField', 'RemoveField', 'RenameField', 'AddConstraint', 'AddConstraintNotValid', 'RemoveConstraint', 'RemoveIndex', 'AlterUniqueTogether', 'AlterModelTable']);

/** An earlier operation of this atomic migration that already holds ACCESS EXCLUSIVE on `op`'s table. */
export function exclusiveHolder(migration: Migration, op: Operation): Operation | undefined {
  if (migration.atomic === false || !op.modelName) return undefined;
  return migration.operations.find((other) => other.index < op.index && other.scope !== 'state' && other.modelName === op.modelName && EXCLUSIVE_KINDS.has(other.kind));
}

/** Sets of `*_together` that `after` has and `before` had not (field order matters: it is the index's). */
export function addedSets(before: Known<string[][]> | undefined, after: Known<string[][]> | undefined): string[][] | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const known = new Set(before.map((set) => set.join('\0')));
  return after.filter((set) => !known.has(set.join('\0')));
}

export function formatSets(sets: string[][]): string {
  return sets.map((set) => `(${set.join(', ')})`).join(', ');
}

function indexName(op: Operation): string {
  const index = argument(op, 'index');
  const name = index?.type === 'call' ? literal(callArguments(index).keywords.get('name')) : undefined;
  return name?.kind === 'string' ? ` \`${name.value}\`` : '';
}

/** "reads and writes on `shop_order` wait until the index is built" — or, under an ACCESS EXCLUSIVE already held, worse. */
function waitClause(migration: Migration, op: Operation, table: string): string {
  const holder = exclusiveHolder(migration, op);
  if (holder) return `it is built while this atomic migration holds the ACCESS EXCLUSIVE lock \`${holder.kind}\` took above: reads and writes on \`${table}\` wait until the index is built`;
  const lock = STATEMENT_LOCKS.createIndex;
  return `\`${lock.statement}\` takes a ${lock.lock} lock, so ${WAITING[lock.lock]} on \`${table}\` wait until it is built`;
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
    why: '`CREATE INDEX` takes a `SHARE` lock on the table: every `INSERT`, `UPDATE` and `DELETE` waits until the whole table has been scanned and the index written, which on a large table means minutes of failed requests. Django runs it for `AddIndex`, for `AddField`/`AlterField` with `db_index=True` (a `ForeignKey` has it by default), and for `AlterIndexTogether`. Inside an atomic migration that also altered the table (`AddField(db_index=True)`), the index is built while an `ACCESS EXCLUSIVE` lock is held, so even reads wait.',
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
    fixSafety: 'The fix (for `AddIndex` only) replaces `AddIndex` with `AddIndexConcurrently`, imports it and sets `atomic = False`. It is safe when the index is the only operation of the migration; otherwise unsafe, because the other operations no longer run in one transaction.',
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
    for (const op of databaseOperations(migration, 'AddIndex', 'AddField', 'AlterField', 'AlterIndexTogether')) {
      if (isNewTable(migration, op)) continue;
      const table = tableFor(ctx, op);
      switch (op.kind) {
        case 'AddIndex': {
          const holder = exclusiveHolder(migration, op);
          ctx.report({
            node: op.node,
            message: holder
              ? `\`AddIndex\`${indexName(op)} on \`${table}\` is built while this atomic migration holds the ACCESS EXCLUSIVE lock \`${holder.kind}\` took above: reads and writes wait until the index is built.`
              : `\`AddIndex\`${indexName(op)} on \`${table}\` takes a SHARE lock: inserts, updates and deletes wait until the index is built.`,
            help: `Instead, use \`AddIndexConcurrently\` in a migration with \`atomic = False\`: it builds the index while writes continue.`,
            fixes: [useConcurrently(ctx, migration, op, 'AddIndexConcurrently', safe)],
          });
          break;
        }
        case 'AddField': {
          const field = op.field;
          if (!field || field.dbIndex !== true || field.unique === true || field.primaryKey === true) continue;
          const column = columnFor(ctx, op);
          const what = field.isRelation && !field.keywords.has('db_index') ? `\`${field.type}\` \`${column}\` gets an index` : `\`AddField\` of \`${column}\` with \`db_index=True\` builds an index`;
          const underExclusive = migration.atomic !== false;
          ctx.report({
            node: op.node,
            message: underExclusive
              ? `${what} in the same transaction as \`ALTER TABLE … ADD COLUMN\`, which holds an ACCESS EXCLUSIVE lock: reads and writes on \`${table}\` wait until the index is built.`
              : `${what} under a SHARE lock: inserts, updates and deletes on \`${table}\` wait until the index is built.`,
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
            message: `${what}: ${waitClause(migration, op, table)}.`,
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
            message: `\`AlterIndexTogether\` adds an index on ${formatSets(added)} of \`${table}\`: ${waitClause(migration, op, table)}.`,
            help: `Instead, declare it in \`Meta.indexes\` and add it with \`AddIndexConcurrently(model_name="${op.modelName}", index=models.Index(fields=[${fields}], name=…))\` in a migration with \`atomic = False\` (\`index_together\` is deprecated since Django 4.2).`,
          });
          break;
        }
      }
    }
  },
});
