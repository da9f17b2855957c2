// MG205 as a safe step, with no SQL at all: the model is renamed in Django's state only, and keeps its table
// through `db_table` = the old table name, in the migration's state (an `AlterModelTable` after the `RenameModel`)
// and in the app's models.py (`Meta.db_table`), so the running code and the new code query the same table. Django
// before 5.2 drops and re-adds every foreign key to a renamed model even when `db_table` pins its table; in the
// state only, it runs nothing.
import { argument } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { literal } from '../analysis/syntax';
import { modelMetaEdit } from './model-file';
import { call, isNotOffered, list, nodeSource, type NotOffered, type Route, type RewriteContext, type RewriteRule } from './planner';

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, stateBefore, migration } = ctx;
  const oldName = literal(argument(op, 'old_name'));
  const newName = literal(argument(op, 'new_name'));
  if (oldName.kind !== 'string' || newName.kind !== 'string') return { reason: 'the old or the new model name is not a literal string' };
  const model = stateBefore.get(`${migration.appLabel}.${oldName.value.toLowerCase()}`);
  if (!model || model.deleted || model.uncertain) return { reason: 'the model\'s history is not known from the workspace\'s migrations' };
  if (model.dbTable !== undefined) return { reason: 'the model\'s `db_table` is set already: the table keeps its name' };
  const table = tableOf(model);
  if (table === 'unknown') return { reason: 'the table name is not known statically' };
  // An automatic many-to-many table names its column after the model (`order_id`): Django renames that column
  // with the model, which a state-only rename would leave behind.
  const manyToMany = [...stateBefore.values()].some((other) => !other.deleted && [...other.fields.values()].some((field) => field.info && !field.info.hasColumn
    && (other.key === model.key || field.info.to === model.key || field.info.to === 'unknown')));
  if (manyToMany) return { reason: 'a many-to-many field on or to the model has an automatic table whose column is named after the model' };
  const q = ctx.str;
  const models = modelMetaEdit(migration.path, newName.value, q(table), ctx.readFile);
  if (isNotOffered(models)) return models;
  const alterTable = call('migrations.AlterModelTable', [['name', q(newName.value.toLowerCase())], ['table', q(table)]]);
  return {
    title: `rename \`${oldName.value}\` to \`${newName.value}\` in the state only, keeping table \`${table}\``,
    current: {
      operations: [{
        source: call('migrations.SeparateDatabaseAndState', [['state_operations', list([nodeSource(ctx.text, op.node), alterTable])]]),
        fragment: `rename_${oldName.value.toLowerCase()}_${newName.value.toLowerCase()}`,
      }],
      imports: [],
      database: [],
      notes: [
        `Renames \`${oldName.value}\` to \`${newName.value}\` in Django's state only: the table stays \`${table}\` (\`db_table\`, here and in models.py), so no SQL runs and the code still running keeps working.`,
        'Deploy it with the code that uses the new name, in any order.',
      ],
    },
    followUps: [],
    otherFiles: [models],
  };
}

export const renameModelRewrite: RewriteRule = { code: 'MG205', kinds: ['RenameModel'], plan };
