import { argument, columnName, databaseOperations } from '../analysis/migration';
import { createdInThisMigration, historyNote, migrationLabel, removedFromStateBefore, requiredOnInsert, runsAfterDeploy } from '../analysis/removals';
import { columnOf, tableOf } from '../analysis/state';
import { exampleMigration, initialMigration } from './docs';
import { defineRule, type RelatedLocation } from './types';
import { describeTable, existingTableStatements, hasColumn, tableOwner } from '../analysis/sql-tables';
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
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order DROP COLUMN note",',
        '    reverse_sql="ALTER TABLE shop_order ADD COLUMN note text",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans two deploys.',
    references: [
      'django-migration-linter: DROP_COLUMN',
      'squawk: ban-drop-column',
      'strong_migrations: remove_column',
      'django-safe-migrations: SM002',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const project = ctx.project;
    if (runsAfterDeploy(migration)) {
      checkAfterDeploy(ctx);
      return;
    }
    checkStatements(ctx);
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

/** `DROP COLUMN` in a RunSQL, on a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'drop-column') continue;
      // No field of the model has the column any more (removed from the state earlier, state-only: step one of
      // the safe route), or the model left the state: the running code does not use it. The columns of a
      // ManyToManyField's table are not in the state: reported.
      const owner = tableOwner(ctx, action.table.key);
      if (owner && (owner.removed || (!owner.manyToMany && !hasColumn(owner.model, command.column)))) continue;
      const note = owner ? '' : ctx.project?.hasWorkspace
        ? ': no migration in the workspace creates a model with this table, so no earlier state-only removal is visible'
        : ': the migration is linted without its project, so no earlier state-only removal is visible';
      ctx.report({
        range: statement.range,
        message: `\`DROP COLUMN\` \`${command.column}\` of ${describeTable(ctx, action.table)}: the code still running selects and inserts the column, and its queries fail until the deploy finishes${note}.`,
        help: 'Instead, remove the field from the model first (SeparateDatabaseAndState) and deploy; drop the column in a later migration.',
      });
    }
  }
}

/**
 * A migration marked to run after the deploy (django-safemigrate, django-syzygy) is step two: the code deployed
 * before it no longer selects the column. Only a column that code cannot insert without is still a hazard: until
 * the migration runs, its inserts (which leave the column out) fail.
 */
function checkAfterDeploy(ctx: SqlRuleContext): void {
  const migration = ctx.migration!;
  for (const op of databaseOperations(migration, 'RemoveField')) {
    const state = ctx.project?.before(op) ?? {};
    if (createdInThisMigration(migration, op, state.model) || !requiredOnInsert(state.field) || !state.model) continue;
    const [table, name] = [tableOf(state.model), op.fieldName ? columnOf(op.fieldName, state.field!.info) : 'unknown'];
    const column = table !== 'unknown' && name !== 'unknown' ? `${table}.${name}` : columnName(migration, op);
    ctx.report({
      node: op.node,
      message: `\`RemoveField\` runs after the deploy, but \`${column}\` is NOT NULL without a database default: inserts from the deployed code, which no longer sets it, fail until this migration runs.`,
      help: `Instead, make the column nullable (or give it a \`db_default\`) in a migration that runs before the deploy; drop it here afterwards.`,
      related: [{ ...state.field!.location, message: `\`${op.fieldName}\` was last defined here (${migrationLabel(state.field!.location.path)})` }],
    });
  }
}
