// MG103 as a safe step: the unique index is built `CONCURRENTLY` (writes go on while it is built), then attached
// as the constraint with `ADD CONSTRAINT … UNIQUE USING INDEX` (a brief catalog-only lock), while Django's state
// gets the original `AddConstraint` / `AlterField` (SeparateDatabaseAndState). The migration runs outside a
// transaction (`atomic = False`), so it is offered when the operation is the migration's only one. Names are
// Django's (the constraint's own `name`, or the schema editor's `_uniq` / `_like` names for `unique=True`), so the
// schema is the one the original migration makes and later migrations find what they drop.
import { argument } from '../analysis/migration';
import { columnType } from '../analysis/column-types';
import { addedSets } from '../analysis/operation-context';
import { columnOf, knownField, tableOf, type ModelState } from '../analysis/state';
import { fieldInfo } from '../analysis/summary';
import { callArguments, dottedName, literal, qualify, sequenceItems, stringValue } from '../analysis/syntax';
import { djangoIndexName } from './django-names';
import {
  call, claimNote, importsUsedBy, list, nodeSource, nonIndexOperations, runSql, sameFieldExcept, sqlName, type DatabaseStatement, type NotOffered, type Route, type RewriteContext, type RewriteRule, type Step,
} from './planner';

/** UniqueConstraint keywords that change nothing in the database. */
const STATE_ONLY_KEYWORDS = new Set(['fields', 'name', 'violation_error_message', 'violation_error_code']);

interface Unique {
  name: string;
  columns: string[];
  /** The `varchar_pattern_ops` / `text_pattern_ops` index Django adds next to a `unique=True` text column. */
  like?: { name: string; column: string; opclass: string };
}

/** The columns of the fields, through the model's state; undefined when one is not known. */
function columnsOf(model: ModelState, fields: string[]): string[] | undefined {
  const columns = fields.map((name) => {
    const info = model.fields.get(name)?.info;
    return info && info.hasColumn ? columnOf(name, info) : 'unknown';
  });
  return columns.every((column) => column !== 'unknown') ? columns : undefined;
}

function constraintUnique(ctx: RewriteContext, model: ModelState): Unique | NotOffered {
  const constraint = argument(ctx.op, 'constraint');
  if (constraint?.type !== 'call') return { reason: 'the constraint is not a call that can be read statically' };
  const kind = qualify(dottedName(constraint.childForFieldName('function')) ?? '', ctx.migration.imports).split('.').pop();
  if (kind !== 'UniqueConstraint') return { reason: 'the constraint is not a `UniqueConstraint`' };
  const args = callArguments(constraint);
  const extra = [...args.keywords.keys()].find((key) => !STATE_ONLY_KEYWORDS.has(key));
  if (args.positional.length > 0 || extra) return { reason: `the constraint has ${extra ? `\`${extra}=\`` : 'expressions'}: the rewrite is written for \`UniqueConstraint(fields=[…], name=…)\`` };
  const name = literal(args.keywords.get('name'));
  const items = sequenceItems(args.keywords.get('fields'));
  const fields = items.map((item) => (item.type === 'string' ? stringValue(item) : undefined));
  if (name.kind !== 'string' || items.length === 0 || !fields.every((field): field is string => field !== undefined)) {
    return { reason: 'the constraint\'s name or fields are not literal strings' };
  }
  const columns = columnsOf(model, fields);
  if (!columns) return { reason: 'the columns of the constraint\'s fields are not known from the workspace\'s migrations' };
  return { name: name.value, columns };
}

function fieldUnique(ctx: RewriteContext, table: string): Unique | NotOffered {
  const { op, before, migration } = ctx;
  const previous = knownField(before);
  if (!previous || !op.fieldName) return { reason: 'the field\'s history is not known from the workspace\'s migrations' };
  if (!op.field || op.field.hasSplat) return { reason: 'the new field definition cannot be read statically' };
  const after = fieldInfo(op.field, migration.appLabel);
  if (previous.unique !== false || after.unique !== true || previous.primaryKey !== false || after.primaryKey !== false) {
    return { reason: 'the field does not go from not unique to `unique=True`' };
  }
  if (previous.dbIndex !== false) return { reason: 'the field has an index already, which Django replaces: the rewrite is written for a field without one' };
  if (!sameFieldExcept(previous, after, 'unique')) return { reason: 'the `AlterField` changes more than `unique`' };
  const column = columnOf(op.fieldName, after);
  const type = columnType(after);
  if (column === 'unknown' || !type) return { reason: 'the column or its type is not known statically' };
  const unique: Unique = { name: djangoIndexName(table, [column], '_uniq'), columns: [column] };
  const opclass = type.base === 'varchar' ? 'varchar_pattern_ops' : type.base === 'text' ? 'text_pattern_ops' : undefined;
  if (opclass) unique.like = { name: djangoIndexName(table, [column], '_like'), column, opclass };
  return unique;
}

/** The one set `AlterUniqueTogether` adds (Django names its constraint `_create_index_name(table, columns, "_uniq")`). */
function togetherUnique(ctx: RewriteContext, model: ModelState, table: string): Unique | NotOffered {
  const before = model.uniqueTogether;
  const after = ctx.summary?.together;
  if (!Array.isArray(before) || !Array.isArray(after)) return { reason: 'the `unique_together` sets before or after the operation are not known statically' };
  if (addedSets(after, before)?.length) return { reason: 'the `AlterUniqueTogether` removes a set too: the rewrite is written for sets added' };
  const added = addedSets(before, after) ?? [];
  if (added.length !== 1) return { reason: `the \`AlterUniqueTogether\` adds ${added.length} sets: the rewrite is written for one (split it, one set per operation)` };
  const columns = columnsOf(model, added[0]);
  if (!columns) return { reason: 'the columns of the set\'s fields are not known from the workspace\'s migrations' };
  return { name: djangoIndexName(table, columns, '_uniq'), columns };
}

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, before } = ctx;
  const model = before.model;
  if (!model || model.uncertain || !op.modelName) return { reason: 'the model\'s history is not known from the workspace\'s migrations' };
  const table = tableOf(model);
  if (table === 'unknown') return { reason: 'the table name is not known statically' };
  const unique = op.kind === 'AddConstraint' ? constraintUnique(ctx, model) : op.kind === 'AlterUniqueTogether' ? togetherUnique(ctx, model, table) : fieldUnique(ctx, table);
  if ('reason' in unique) return unique;
  const q = ctx.str;
  const { name, columns, like } = unique;
  const columnList = columns.map(sqlName).join(', ');
  const createIndex = `CREATE UNIQUE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlName(table)} (${columnList})`;
  const attach = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${sqlName(name)} UNIQUE USING INDEX ${sqlName(name)}`;
  const runSqlOf = (sql: string, reverse: string) => runSql(q(sql), q(reverse));
  // Reversed in the opposite order: DROP CONSTRAINT drops its index too, so the index's own reverse finds none.
  const operations = [
    runSqlOf(createIndex, `DROP INDEX CONCURRENTLY IF EXISTS ${sqlName(name)}`),
    runSqlOf(attach, `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${sqlName(name)}`),
  ];
  const database: DatabaseStatement[] = [
    { sql: createIndex, claim: 'AddIndexConcurrently' },
    { sql: attach, claim: 'RunSQL.addUniqueUsingIndex' },
  ];
  if (like) {
    const createLike = `CREATE INDEX CONCURRENTLY ${sqlName(like.name)} ON ${sqlName(table)} (${sqlName(like.column)} ${like.opclass})`;
    operations.push(runSqlOf(createLike, `DROP INDEX CONCURRENTLY IF EXISTS ${sqlName(like.name)}`));
    database.push({ sql: createLike, claim: 'AddIndexConcurrently' });
  }
  // Django's migration_name_fragment of each operation.
  const fragment = op.kind === 'AddConstraint' ? `${op.modelName}_${name.toLowerCase()}`
    : op.kind === 'AlterUniqueTogether' ? `alter_${op.modelName}_unique_together` : `alter_${op.modelName}_${op.fieldName?.toLowerCase()}`;
  const step: Step = {
    operations: [{
      source: call('migrations.SeparateDatabaseAndState', [['database_operations', list(operations)], ['state_operations', list([nodeSource(ctx.text, op.node)])]]),
      fragment,
    }],
    imports: [],
    database,
    nonAtomic: true,
    copiedImports: [],
    notes: [
      `Builds the unique index \`${name}\` on \`${table}\` (${columns.join(', ')}) CONCURRENTLY, then makes it the constraint${like ? `, and adds Django's \`${like.name}\` index for LIKE queries` : ''}; Django's state gets the \`${op.kind}\`.`,
      `${claimNote('AddIndexConcurrently')} It fails while duplicate rows exist (remove them first); a failed build leaves an invalid index to drop (\`DROP INDEX CONCURRENTLY\`) before the migration runs again.`,
      claimNote('RunSQL.addUniqueUsingIndex'),
      'The migration runs outside a transaction (atomic = False), as CONCURRENTLY must. Deploy it with the code, in any order.',
    ],
  };
  const title = `build the unique index \`${name}\` CONCURRENTLY, then attach it as the constraint (atomic = False)`;
  // With other operations, the migration keeps its transaction for them: the constraint moves to a migration of
  // its own after it, which keeps the order when it was the last operation.
  const others = nonIndexOperations(ctx.migration, ctx.text).filter((other) => other !== op);
  if (others.length === 0 || ctx.migration.atomic === false) return { title, current: step, followUps: [] };
  if (ctx.migration.operations.some((other) => !other.parent && other.node.startIndex > op.node.startIndex)) {
    return { reason: 'the migration has operations after this one, which would then run before it: move it into a migration of its own (it must run outside a transaction)' };
  }
  const copied = importsUsedBy(ctx.root, op.node);
  return {
    title: `${title}, in a migration of its own`,
    current: {
      operations: [],
      imports: [],
      database: [],
      notes: [`The \`${op.kind}\` moved to the next migration, which runs outside a transaction (CONCURRENTLY must); the operations above keep this one's.`],
    },
    followUps: [{ ...step, imports: copied.names, copiedImports: copied.statements }],
  };
}

export const addUniqueRewrite: RewriteRule = { code: 'MG103', kinds: ['AddConstraint', 'AlterField', 'AlterUniqueTogether'], plan };
