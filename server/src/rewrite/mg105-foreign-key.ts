// MG105 as safe steps. For an `AlterField` that turns on the constraint of a foreign key whose column exists
// (`db_constraint=False` → True, nothing else changed): this migration adds the constraint `NOT VALID` with
// `RunSQL` (new and updated rows are checked at once, the existing rows are not read) while Django's state gets the
// `AlterField` (SeparateDatabaseAndState); the next migration validates it, which reads the table without blocking
// writes. For an `AddField` of a foreign key with a default, the same with the column added first, without its
// constraint (and without its index, which a follow-up builds CONCURRENTLY). The constraint gets the name Django's schema editor would give it, so the schema is the one the
// original migration makes and a later `AlterField` or `RemoveField` finds it.
import { columnType, formatColumnType } from '../analysis/column-types';
import { columnOf, knownField, tableOf, type ModelState } from '../analysis/state';
import { fieldInfo, type FieldInfo } from '../analysis/summary';
import { literal } from '../analysis/syntax';
import { insertKeywordArgument, replaceKeywordValue } from '../fixes/edits';
import type { Node } from '../base/parser';
import type { Edit } from '../fixes/types';
import { djangoForeignKeyName, djangoIndexName } from './django-names';
import {
  call, claimNote, editedSource, isNotOffered, list, nodeSource, runSql, sameFieldExcept, sqlName,
  type NotOffered, type Route, type RewriteContext, type RewriteRule, type Step,
} from './planner';

interface ForeignKey {
  table: string;
  column: string;
  toTable: string;
  toColumn: string;
  /** The constraint's name, Django's. */
  name: string;
  /** The model's primary key, whose column type the foreign key's column has. */
  targetKey: FieldInfo;
  addNotValid: string;
  drop: string;
}

/** The tables, columns and the constraint of the foreign key `after` of `model`, with its SQL. */
function foreignKey(ctx: RewriteContext, model: ModelState, fieldName: string, after: FieldInfo): ForeignKey | NotOffered {
  const target = typeof after.to === 'string' && after.to !== 'unknown' ? ctx.stateBefore.get(after.to) : undefined;
  if (!target || target.deleted || target.uncertain) return { reason: 'the referenced model is not known from the workspace\'s migrations' };
  const primaryKey = [...target.fields].find(([, field]) => field?.info?.primaryKey === true);
  const table = tableOf(model);
  const column = columnOf(fieldName, after);
  const toTable = tableOf(target);
  const targetKey = primaryKey?.[1]?.info;
  const toColumn = primaryKey && targetKey ? columnOf(primaryKey[0], targetKey) : 'unknown';
  if (!targetKey || table === 'unknown' || column === 'unknown' || toTable === 'unknown' || toColumn === 'unknown') {
    return { reason: 'the tables or the columns are not known statically' };
  }
  const name = djangoForeignKeyName(table, column, toTable, toColumn);
  return {
    table, column, toTable, toColumn, name, targetKey,
    addNotValid: `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${sqlName(name)} FOREIGN KEY (${sqlName(column)}) REFERENCES ${sqlName(toTable)} (${sqlName(toColumn)}) DEFERRABLE INITIALLY DEFERRED NOT VALID`,
    drop: `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${sqlName(name)}`,
  };
}

/** The follow-up that validates the constraint: it reads the table without blocking writes. */
function validateStep(ctx: RewriteContext, facts: ForeignKey, fragment: string): Step {
  const { table, toTable, name } = facts;
  const validate = `ALTER TABLE ${sqlName(table)} VALIDATE CONSTRAINT ${sqlName(name)}`;
  return {
    operations: [{ source: runSql(ctx.str(validate), 'migrations.RunSQL.noop'), fragment: `validate_${fragment}_fk` }],
    imports: [],
    database: [{ sql: validate, claim: 'ValidateConstraint' }],
    notes: [
      `Checks the existing rows of \`${table}\` against \`${name}\`: it fails while a row points at no \`${toTable}\` row (fix those first).`,
      claimNote('ValidateConstraint'),
      'Deploy it with step 1 or later.',
    ],
  };
}

/**
 * `AddField` of a foreign key with a default (every row gets the value, which ADD COLUMN … REFERENCES checks
 * under the locks): the column is added without the constraint, which follows `NOT VALID` in the same migration,
 * Django's state getting the original `AddField`; the next migration validates it. Only for a nullable field (a NOT
 * NULL one is MG201's). With its index (`db_index=True`, the default), the column is added without it too, and a
 * migration of its own (`atomic = False`) builds it CONCURRENTLY under Django's name before the validation.
 */
function addFieldPlan(ctx: RewriteContext): Route | NotOffered {
  const { op, before, migration } = ctx;
  const model = before.model;
  if (!model || model.uncertain || !op.modelName || !op.fieldName) return { reason: 'the model\'s history is not known from the workspace\'s migrations' };
  const field = op.field;
  if (!field || field.hasSplat) return { reason: 'the new field definition cannot be read statically' };
  if (field.keywords.has('to_field')) return { reason: 'the foreign key names a `to_field`: the referenced column is not known statically' };
  const after = fieldInfo(field, migration.appLabel);
  if (!after.isRelation || after.dbConstraint !== true || !after.hasDefault) return { reason: 'the rewrite is written for an `AddField` of a foreign key with a default' };
  if (after.null !== true) return { reason: 'the new column is NOT NULL: make it nullable first (MG201), then rewrite its foreign key' };
  const defaultNode = field.keywords.get('default');
  const value = defaultNode ? literal(defaultNode) : undefined;
  if (!defaultNode || value?.kind !== 'number' || !/^\d+$/.test(defaultNode.text)) return { reason: 'the default is not a literal primary key (an integer)' };
  const facts = foreignKey(ctx, model, op.fieldName, after);
  if (isNotOffered(facts)) return facts;
  const type = columnType(facts.targetKey);
  if (!type || !['integer', 'bigint', 'smallint'].includes(type.base)) return { reason: 'the referenced primary key is not an integer known from the workspace\'s migrations' };
  const { table, column, toTable, toColumn, name, addNotValid, drop } = facts;
  const indexed = after.dbIndex !== false;
  const edits = databaseFieldEdits(ctx.text, field.node, field.keywordNodes, indexed);
  if (!edits) return { reason: 'the field definition cannot take `db_constraint=False`' };
  const unconstrained = editedSource(ctx.text, edits, op.node.startIndex, op.node.endIndex);
  // The SQL of Django's schema editor for the field without its constraint: the column with the default for the
  // rows there, then the default dropped (Django keeps it in Python).
  const addColumn = `ALTER TABLE ${sqlName(table)} ADD COLUMN ${sqlName(column)} ${formatColumnType(type)} DEFAULT ${defaultNode.text} NULL`;
  const dropDefault = `ALTER TABLE ${sqlName(table)} ALTER COLUMN ${sqlName(column)} DROP DEFAULT`;
  const q = ctx.str;
  const fragment = `${op.modelName}_${op.fieldName.toLowerCase()}`;
  return {
    title: `add \`${column}\` without its foreign key, the constraint NOT VALID, then validate it in the next migration`,
    current: {
      operations: [{
        source: call('migrations.SeparateDatabaseAndState', [
          ['database_operations', list([unconstrained, runSql(q(addNotValid), q(drop))])],
          ['state_operations', list([nodeSource(ctx.text, op.node)])],
        ]),
        fragment,
      }],
      imports: [],
      database: [
        // A nullable column; its constant default is written in no row (PostgreSQL 11+), then dropped.
        { sql: addColumn, claim: 'AddField.nullable' },
        { sql: dropDefault, claim: 'AddField.nullable' },
        { sql: addNotValid, claim: 'RunSQL.addForeignKeyNotValid' },
      ],
      notes: [
        `Adds \`${column}\` with its default and no foreign key (nothing to check), then the foreign key \`${name}\` (\`${table}.${column}\` → \`${toTable}.${toColumn}\`) NOT VALID: new and updated rows are checked at once, existing rows are not read; Django's state gets the \`AddField\`.`,
        `${claimNote('AddField.nullable')} ${claimNote('RunSQL.addForeignKeyNotValid')}`,
        'Deploy it with the code, in any order.',
      ],
    },
    followUps: indexed ? [indexStep(ctx, facts, fragment), validateStep(ctx, facts, fragment)] : [validateStep(ctx, facts, fragment)],
  };
}

/**
 * The field as the database gets it in step 1: `db_constraint=False`, and `db_index=False` when it has an index
 * (built by the next step). Both missing: one insertion, since two at the same point would overlap.
 */
function databaseFieldEdits(text: string, call: Node, keywords: ReadonlyMap<string, Node>, indexed: boolean): Edit[] | undefined {
  const constraint = keywords.get('db_constraint');
  const index = keywords.get('db_index');
  if (indexed && !constraint && !index) {
    const both = insertKeywordArgument(text, call, 'db_constraint', 'False, db_index=False');
    return both && [both];
  }
  const edits = [constraint ? replaceKeywordValue(constraint, 'False') : insertKeywordArgument(text, call, 'db_constraint', 'False')];
  if (indexed) edits.push(index ? replaceKeywordValue(index, 'False') : insertKeywordArgument(text, call, 'db_index', 'False'));
  return edits.every((edit) => edit !== undefined) ? edits as Edit[] : undefined;
}

/** The follow-up that builds the foreign key's index without blocking writes, under the name Django gives it. */
function indexStep(ctx: RewriteContext, facts: ForeignKey, fragment: string): Step {
  const { table, column } = facts;
  const name = djangoIndexName(table, [column], '');
  const create = `CREATE INDEX CONCURRENTLY ${sqlName(name)} ON ${sqlName(table)} (${sqlName(column)})`;
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${sqlName(name)}`;
  return {
    operations: [{ source: runSql(ctx.str(create), ctx.str(drop)), fragment: `${fragment}_index` }],
    database: [{ sql: create, claim: 'AddIndexConcurrently' }],
    imports: [],
    nonAtomic: true,
    notes: [
      `Builds the index \`${name}\` of \`${table}.${column}\` (the one Django's state has for the field) while reads and writes go on: CONCURRENTLY, outside a transaction (\`atomic = False\`).`,
      claimNote('AddIndexConcurrently'),
      'Deploy it with step 1 or later.',
    ],
  };
}

function plan(ctx: RewriteContext): Route | NotOffered {
  if (ctx.op.kind === 'AddField') return addFieldPlan(ctx);
  const { op, before, stateBefore, migration } = ctx;
  const model = before.model;
  const previous = knownField(before);
  if (!model || model.uncertain || !previous || !op.modelName || !op.fieldName) return { reason: 'the field\'s history is not known from the workspace\'s migrations' };
  if (!op.field || op.field.hasSplat) return { reason: 'the new field definition cannot be read statically' };
  if (op.field.keywords.has('to_field')) return { reason: 'the foreign key names a `to_field`: the referenced column is not known statically' };
  const after = fieldInfo(op.field, migration.appLabel);
  if (!previous.isRelation || previous.dbConstraint !== false || after.dbConstraint !== true) {
    return { reason: 'the rewrite is written for an `AlterField` that turns on the constraint of an existing foreign key (`db_constraint=False` before)' };
  }
  if (!sameFieldExcept(previous, after, 'dbConstraint')) return { reason: 'the `AlterField` changes more than the foreign key constraint' };
  const facts = foreignKey(ctx, model, op.fieldName, after);
  if (isNotOffered(facts)) return facts;
  const { table, column, toTable, toColumn, name, addNotValid, drop } = facts;
  const q = ctx.str;
  const fragment = `${op.modelName}_${op.fieldName.toLowerCase()}`;
  return {
    title: `add the foreign key of \`${column}\` NOT VALID, then validate it in the next migration`,
    current: {
      operations: [{
        source: call('migrations.SeparateDatabaseAndState', [
          ['database_operations', list([runSql(q(addNotValid), q(drop))])],
          ['state_operations', list([nodeSource(ctx.text, op.node)])],
        ]),
        fragment: `alter_${fragment}`,
      }],
      imports: [],
      database: [{ sql: addNotValid, claim: 'RunSQL.addForeignKeyNotValid' }],
      notes: [
        `Adds the foreign key \`${name}\` (\`${table}.${column}\` → \`${toTable}.${toColumn}\`) NOT VALID: new and updated rows are checked at once, existing rows are not read; Django's state gets the \`AlterField\`.`,
        claimNote('RunSQL.addForeignKeyNotValid'),
        'Deploy it with the code, in any order.',
      ],
    },
    followUps: [validateStep(ctx, facts, fragment)],
  };
}

export const foreignKeyRewrite: RewriteRule = { code: 'MG105', kinds: ['AlterField', 'AddField'], plan };
