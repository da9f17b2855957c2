// MG204 as a safe step, with no SQL at all: the rename happens in Django's state only, and the field keeps its
// column through `db_column=` the old name, in the migration's state (an `AlterField` after the `RenameField`)
// and in the app's models.py, so the running code and the new code read the same column.
import { argument } from '../analysis/migration';
import { columnOf, knownField } from '../analysis/state';
import { literal } from '../analysis/syntax';
import { definitionWithColumn, modelFieldEdit } from './model-file';
import { call, isNotOffered, list, nodeSource, type NotOffered, type Route, type RewriteContext, type RewriteRule } from './planner';

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, before } = ctx;
  const field = knownField(before);
  const oldName = literal(argument(op, 'old_name'));
  const newName = literal(argument(op, 'new_name'));
  if (!before.model || !before.field || !field || !op.modelName || oldName.kind !== 'string' || newName.kind !== 'string') {
    return { reason: 'the field\'s history is not known from the workspace\'s migrations' };
  }
  if (!field.hasColumn) return { reason: 'the field has no column to keep' };
  const column = columnOf(oldName.value, field);
  if (column === 'unknown') return { reason: 'the column name is not known statically' };
  const q = ctx.str;
  const definition = definitionWithColumn(before.field.location, q(column), ctx.readFile);
  if (isNotOffered(definition)) return definition;
  const models = modelFieldEdit(ctx.migration.path, op.modelName, newName.value, q(column), ctx.readFile);
  if (isNotOffered(models)) return models;
  const modelName = argument(op, 'model_name')?.text ?? q(op.modelName);
  const alterField = call('migrations.AlterField', [['model_name', modelName], ['name', q(newName.value)], ['field', definition.source]]);
  return {
    title: `rename \`${oldName.value}\` to \`${newName.value}\` in the state only, keeping column \`${column}\``,
    current: {
      operations: [{
        source: call('migrations.SeparateDatabaseAndState', [['state_operations', list([nodeSource(ctx.text, op.node), alterField])]]),
        fragment: `rename_${oldName.value.toLowerCase()}_${op.modelName}_${newName.value.toLowerCase()}`,
      }],
      imports: definition.imports,
      database: [],
      notes: [
        `Renames \`${oldName.value}\` to \`${newName.value}\` in Django's state only: the column stays \`${column}\` (\`db_column\`, here and in models.py), so no SQL runs and the code still running keeps working.`,
        'Deploy it with the code that uses the new name, in any order.',
      ],
    },
    followUps: [],
    otherFiles: [models],
  };
}

export const renameFieldRewrite: RewriteRule = { code: 'MG204', kinds: ['RenameField'], plan };
