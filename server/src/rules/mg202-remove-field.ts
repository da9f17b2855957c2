import { argument, columnName, databaseOperations } from '../analysis/migration';
import { createdInThisMigration, historyNote, migrationLabel, removedFromStateBefore } from '../analysis/removals';
import { columnOf, tableOf } from '../analysis/state';
import { exampleMigration, initialMigration } from './docs';
import { defineRule, type RelatedLocation } from './types';
import { describeTable, existingTableStatements, modelOfTable } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const removeField = defineRule({
  code: 'MG202',
  name: 'remove-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Dropping a column that the running code still selects breaks it during the deploy.',
    why: [
      'Django selects every column a model declares. Between the migration and the end of the deploy, the old code still declares the removed field, so every query on the model fails with `column … does not exist`.',
      '',
      'The safe route takes two deploys: first remove the field from Django\'s state only (`SeparateDatabaseAndState(state_operations=[RemoveField(...)])`) together with the code that stops using it; then, in a later migration, drop the column. That later `RemoveField` (or any `RemoveField` of a field an earlier state-only operation already removed) is not reported.',
      '',
      'The only evidence that a drop is step two is the state-only removal in an earlier migration, so a `RemoveField` is reported whenever that cannot be seen: when the migrations that created the model are not in the workspace (the message says so), and when the migration is linted alone. Both steps in one migration are reported too: they reach the database in the same deploy.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Order", [',
      '    ("id", models.BigAutoField(primary_key=True)),',
      '    ("note", models.TextField(null=True)),',
      ']),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RemoveField(model_name="order", name="note"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Deploy 1: the code stops using the field; the column stays.', 'from django.db import migrations'],
      operations: [
        'migrations.SeparateDatabaseAndState(',
        '    state_operations=[migrations.RemoveField(model_name="order", name="note")],',
        '),',
      ],
      epilogue: [
        '# Deploy 2, in a later migration: RemoveField(model_name="order", name="note") drops the column',
        '# once no running code declares it (not reported: the field already left the state).',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans two deploys. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out: this migration removes the field from the state only (the column made nullable when it is NOT NULL without a database default), a new one drops the column with `RunSQL`, to deploy after the code.',
    references: [
      'django-migration-linter: DROP_COLUMN',
      'squawk: ban-drop-column',
      'strong_migrations: remove_column',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const project = ctx.project;
    for (const op of databaseOperations(migration, 'RemoveField')) {
      const state = project?.before(op) ?? {};
      if (createdInThisMigration(migration, op, state.model)) continue;
      if (!state.field) {
        // Not in the state: step two of the safe route when a state-only RemoveField took it out in an earlier migration.
        // Otherwise (linted alone, or a history we could not follow) the column is still there to drop.
        const removed = removedFromStateBefore(migration, project, (candidate) =>
          candidate.kind === 'RemoveField' && candidate.model === op.modelName && candidate.fieldName === op.fieldName);
        if (removed) continue;
      }
      const table = state.model ? tableOf(state.model) : 'unknown';
      const column = op.fieldName && state.field ? columnOf(op.fieldName, state.field.info) : 'unknown';
      const name = table !== 'unknown' && column !== 'unknown' ? `${table}.${column}` : columnName(migration, op);
      const related: RelatedLocation[] = state.field
        ? [{ ...state.field.location, message: `\`${op.fieldName}\` was last defined here (${migrationLabel(state.field.location.path)})` }]
        : [];
      ctx.report({
        node: op.node,
        message: state.field?.info?.hasColumn === false
          ? `\`RemoveField\` drops the join table of \`${state.model?.name ?? op.modelName}.${op.fieldName}\` while the code still running uses it: its queries through the field fail until the deploy finishes.`
          : `\`RemoveField\` drops column \`${name}\` while the code still running selects it: its queries on the model fail until the deploy finishes${historyNote(project, state.model, op.modelName)}.`,
        help: `Instead, first remove the field from the state only (\`SeparateDatabaseAndState(state_operations=[RemoveField(${argument(op, 'model_name')?.text ?? '…'}, ${argument(op, 'name')?.text ?? '…'})])\`) and deploy the code that no longer uses it; drop the column in a later migration.`,
        related: related.length ? related : undefined,
      });
    }
  },
});

/**
 * A `DROP COLUMN` of a column whose field an earlier state-only `RemoveField` took out of the state (and that no
 * field of the model maps to now): step two of the safe route.
 */
function stepTwoOfRemoval(ctx: SqlRuleContext, table: string, column: string): boolean {
  const key = modelOfTable(ctx, table);
  const model = key ? ctx.project?.stateBefore.get(key) : undefined;
  if (!key || !model) return false;
  for (const [name, field] of model.fields) if (field.info && columnOf(name, field.info) === column) return false;
  const modelName = key.slice(key.indexOf('.') + 1);
  return removedFromStateBefore(ctx.migration!, ctx.project, (candidate) => candidate.kind === 'RemoveField' && candidate.model === modelName
    && (candidate.fieldName === column || `${candidate.fieldName}_id` === column));
}

/** `DROP COLUMN` in a RunSQL, on a table that existed before the migration (not step two of the safe route). */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'drop-column') continue;
      if (stepTwoOfRemoval(ctx, action.table.key, command.column)) continue;
      ctx.report({
        range: statement.range,
        message: `\`DROP COLUMN\` \`${command.column}\` of ${describeTable(ctx, action.table)}: the code still running selects and inserts the column, and its queries fail until the deploy finishes.`,
        help: 'Instead, remove the field from the model first (SeparateDatabaseAndState) and deploy; drop the column in a later migration.',
      });
    }
  }
}
