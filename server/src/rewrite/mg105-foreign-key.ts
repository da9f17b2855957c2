// MG105 as safe steps, for an `AlterField` that turns on the constraint of a foreign key whose column exists
// (`db_constraint=False` → True, nothing else changed): this migration adds the constraint `NOT VALID` with
// `RunSQL` (new and updated rows are checked at once, the existing rows are not read) while Django's state gets the
// `AlterField` (SeparateDatabaseAndState); the next migration validates it, which reads the table without blocking
// writes. The constraint gets the name Django's schema editor would give it, so the schema is the one the original
// migration makes and a later `AlterField` or `RemoveField` finds it.
import { columnOf, knownField, tableOf } from '../analysis/state';
import { fieldInfo } from '../analysis/summary';
import { djangoForeignKeyName } from './django-names';
import {
  call, claimNote, list, nodeSource, runSql, sameFieldExcept, sqlName, type NotOffered, type Route, type RewriteContext, type RewriteRule,
} from './planner';

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, before, stateBefore, migration } = ctx;
  // Not written yet: its route also moves the new column's index out of the transaction (CONCURRENTLY), a second
  // rewrite in one, and it is not verified against Django and PostgreSQL.
  if (op.kind === 'AddField') return { reason: 'the rewrite is written for an `AlterField` that turns on the constraint of an existing column; for a new foreign key with a default, add the field with `db_constraint=False` (its index built concurrently), then the constraint `NOT VALID` with `RunSQL` and `VALIDATE CONSTRAINT` in a later migration (see the MG105 help)' };
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
  const target = typeof after.to === 'string' && after.to !== 'unknown' ? stateBefore.get(after.to) : undefined;
  if (!target || target.deleted || target.uncertain) return { reason: 'the referenced model is not known from the workspace\'s migrations' };
  const primaryKey = [...target.fields].find(([, field]) => field?.info?.primaryKey === true);
  const table = tableOf(model);
  const column = columnOf(op.fieldName, after);
  const toTable = tableOf(target);
  const toColumn = primaryKey ? columnOf(primaryKey[0], primaryKey[1]?.info) : 'unknown';
  if (table === 'unknown' || column === 'unknown' || toTable === 'unknown' || toColumn === 'unknown') {
    return { reason: 'the tables or the columns are not known statically' };
  }
  const q = ctx.str;
  const name = djangoForeignKeyName(table, column, toTable, toColumn);
  const addNotValid = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${sqlName(name)} FOREIGN KEY (${sqlName(column)}) REFERENCES ${sqlName(toTable)} (${sqlName(toColumn)}) DEFERRABLE INITIALLY DEFERRED NOT VALID`;
  const drop = `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${sqlName(name)}`;
  const validate = `ALTER TABLE ${sqlName(table)} VALIDATE CONSTRAINT ${sqlName(name)}`;
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
    followUps: [{
      operations: [{
        source: runSql(q(validate), 'migrations.RunSQL.noop'),
        fragment: `validate_${fragment}_fk`,
      }],
      imports: [],
      database: [{ sql: validate, claim: 'ValidateConstraint' }],
      notes: [
        `Checks the existing rows of \`${table}\` against \`${name}\`: it fails while a row points at no \`${toTable}\` row (fix those first).`,
        claimNote('ValidateConstraint'),
        'Deploy it with step 1 or later.',
      ],
    }],
  };
}

export const foreignKeyRewrite: RewriteRule = { code: 'MG105', kinds: ['AlterField', 'AddField'], plan };
