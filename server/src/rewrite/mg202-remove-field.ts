// MG202 as safe steps, the route Django accepts: this migration removes the field from the state only, and makes
// the column nullable in the database when it is NOT NULL without a database default (the new code's inserts no
// longer name it); the follow-up migration, deployed after that code, drops the column in the database only
// (`RunSQL`: a `RemoveField` there would fail, the field is no longer in the state).
import { columnType, formatColumnType } from '../analysis/column-types';
import { columnOf, knownField, tableOf } from '../analysis/state';
import {
  call, claimNote, list, nodeSource, runSql, sqlName, type NotOffered, type Route, type RewriteContext, type RewriteRule,
} from './planner';

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, before } = ctx;
  const model = before.model;
  const field = knownField(before);
  if (!model || !field || !op.modelName || !op.fieldName) return { reason: 'the field\'s history is not known from the workspace\'s migrations' };
  if (!field.hasColumn) return { reason: 'the field has no column (a many-to-many field\'s join table is not rewritten)' };
  if (field.isRelation) return { reason: 'the field is a relation: the column\'s type (the target\'s key) and its constraint are not rewritten' };
  if (field.primaryKey !== false) return { reason: 'the field may be the primary key' };
  if (field.null === 'unknown') return { reason: 'whether the column is NULL-able is not known statically' };
  if (field.unique !== false || field.dbIndex !== false) return { reason: 'the column is (or may be) indexed or unique: the reverse step could not recreate the index under Django\'s name' };
  const usedByMeta = model.indexes.some((index) => Array.isArray(index.fields) && index.fields.includes(op.fieldName!))
    || model.constraints.some((constraint) => Array.isArray(constraint.fields) && constraint.fields.includes(op.fieldName!));
  if (usedByMeta) return { reason: 'an index or constraint of the model names the field: remove it first' };
  const type = columnType(field);
  const table = tableOf(model);
  const column = columnOf(op.fieldName, field);
  if (!type || table === 'unknown' || column === 'unknown') return { reason: 'the table, the column or its type is not known statically' };
  const q = ctx.str;
  const alter = `ALTER TABLE ${sqlName(table)} ALTER COLUMN ${sqlName(column)}`;
  const removeField = nodeSource(ctx.text, op.node);
  const makeNullable = field.null === false && !field.hasDbDefault;
  const keywords: [string, string][] = [];
  if (makeNullable) {
    keywords.push(['database_operations', list([runSql(q(`${alter} DROP NOT NULL`), q(`${alter} SET NOT NULL`))])]);
  }
  keywords.push(['state_operations', list([removeField])]);
  const dropColumn = `ALTER TABLE ${sqlName(table)} DROP COLUMN ${sqlName(column)}`;
  const addColumn = `ALTER TABLE ${sqlName(table)} ADD COLUMN ${sqlName(column)} ${formatColumnType(type)} NULL`;
  return {
    title: `remove \`${op.fieldName}\` from the state now${makeNullable ? ' (the column made nullable)' : ''}, drop \`${column}\` after the deploy`,
    current: {
      operations: [{ source: call('migrations.SeparateDatabaseAndState', keywords), fragment: `remove_${op.modelName}_${op.fieldName.toLowerCase()}` }],
      imports: [],
      database: makeNullable ? [{ sql: `${alter} DROP NOT NULL`, claim: 'AlterField.dropNotNull' }] : [],
      notes: [
        `Removes \`${op.fieldName}\` from Django's state only: the column \`${table}.${column}\` stays, so the code still running keeps working.`,
        ...(makeNullable ? [`Makes the column nullable, so the new code's inserts (which no longer name it) succeed. ${claimNote('AlterField.dropNotNull')}`] : []),
        `Deploy it with the code that no longer uses \`${op.fieldName}\`.`,
      ],
    },
    followUps: [
      {
        operations: [{
          source: runSql(q(dropColumn), q(addColumn)),
          fragment: `remove_${op.modelName}_${op.fieldName.toLowerCase()}_column`,
        }],
        imports: [],
        database: [{ sql: dropColumn, claim: 'RemoveField' }],
        notes: [
          `Drops the column \`${table}.${column}\` in the database only (the field already left the state in step 1). ${claimNote('RemoveField')}`,
          'Deploy it only after the code of step 1 runs everywhere: no running code may still select the column.',
        ],
      },
    ],
  };
}

export const removeFieldRewrite: RewriteRule = { code: 'MG202', kinds: ['RemoveField'], plan };
