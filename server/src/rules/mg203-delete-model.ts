import { argument, databaseOperations, tableName } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { exampleMigration, initialMigration, laterMigration } from './docs';
import { createdInThisMigration, historyNote, migrationLabel, removedFromStateBefore, runsAfterDeploy } from '../analysis/removals';
import { defineRule } from './types';
import { describeTable, existingTableStatements, tableOwner } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const deleteModel = defineRule({
  code: 'MG203',
  name: 'delete-model',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['DeleteModel', 'DeleteModel.withForeignKey'],
  docs: {
    summary: 'Dropping a table that the running code still uses breaks it during the deploy.',
    why: [
      '`DeleteModel` runs `DROP TABLE`. Between the migration and the end of the deploy, the old code still has the model: every query on it, and every join or cascade through a foreign key to it, fails with `relation … does not exist`. `DROP TABLE` also waits for an ACCESS EXCLUSIVE lock, queued behind every running query on the table.',
      '',
      'The safe route takes two deploys: first remove the model from Django\'s state only (`SeparateDatabaseAndState(state_operations=[DeleteModel(...)])`) together with the code that stops using it; then, in a later migration, drop the table. That later `DeleteModel` (of a model an earlier state-only operation already removed) is not reported.',
      '',
      'The only evidence that a drop is step two is the state-only removal in an earlier migration, so a `DeleteModel` is reported whenever that cannot be seen: when the migrations that created the model are not in the workspace (the message says so), and when the migration is linted alone.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Coupon", [("id", models.BigAutoField(primary_key=True))]),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.DeleteModel(name="Coupon"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Deploy 1: the code stops using the model; the table stays.', 'from django.db import migrations'],
      operations: [
        'migrations.SeparateDatabaseAndState(',
        '    state_operations=[migrations.DeleteModel(name="Coupon")],',
        '),',
      ],
    }) + laterMigration('shop/migrations/0003_drop_coupon_table.py', {
      imports: ['# Deploy 2, in a later migration: drop the table once no running code uses it (not reported:', '# the model already left the state).', 'from django.db import migrations'],
      dependency: ['shop', '0002_example'],
      operations: [
        'migrations.RunSQL(',
        '    "DROP TABLE shop_coupon",',
        '    reverse_sql="CREATE TABLE shop_coupon (id bigserial PRIMARY KEY)",',
        '),',
      ],
    }),
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "DROP TABLE shop_coupon",',
        '    reverse_sql="CREATE TABLE shop_coupon (id bigint PRIMARY KEY)",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans two deploys.',
    references: [
      'django-migration-linter: DROP_TABLE',
      'squawk: ban-drop-table',
      'django-safe-migrations: SM003',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    // Marked to run after the deploy: the code deployed before it no longer uses the table.
    if (runsAfterDeploy(migration)) return;
    checkStatements(ctx);
    const project = ctx.project;
    for (const op of databaseOperations(migration, 'DeleteModel')) {
      const model = project?.before(op).model;
      if (!op.modelName || createdInThisMigration(migration, op, model)) continue;
      // Not in the state: step two of the safe route when an earlier migration removed it from the state only.
      // Otherwise (its history is not in the workspace, or the file is linted alone) nothing shows that step.
      if (!model && removedFromStateBefore(migration, project, (candidate) => candidate.kind === 'DeleteModel' && candidate.model === op.modelName)) continue;
      const known = model ? tableOf(model) : 'unknown';
      const table = known !== 'unknown' ? known : tableName(migration, op.modelName);
      ctx.report({
        node: op.node,
        message: `\`DeleteModel\` drops table \`${table}\` while the code still running uses it: its queries on the model fail until the deploy finishes${historyNote(project, model, op.modelName)}.`,
        help: `Instead, first remove the model from the state only (\`SeparateDatabaseAndState(state_operations=[DeleteModel(${argument(op, 'name')?.text ?? `"${op.modelName}"`})])\`) and deploy the code that no longer uses it; drop the table in a later migration.`,
        related: model ? [{ ...model.location, message: `the model was created here (${migrationLabel(model.location.path)})` }] : undefined,
      });
    }
  },
});

/**
 * `DROP TABLE` in a RunSQL, of a table that existed before the migration. Silent when the state shows its model
 * (or the model of its ManyToManyField) removed before this migration (step two of the safe route); reported,
 * saying so, when no model of the state has the table: nothing then shows an earlier state-only removal.
 */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action, newTables } of existingTableStatements(ctx.migration!, ctx.text, 'drop-table')) {
    for (const table of action.tables) {
      if (newTables.has(table.key)) continue;
      // The table of a model (or of a model's ManyToManyField) removed from the state earlier: step two.
      const owner = tableOwner(ctx, table.key);
      if (owner?.removed) continue;
      const note = owner ? '' : ctx.project?.hasWorkspace
        ? ': no migration in the workspace creates a model with this table, so no earlier state-only removal is visible'
        : ': the migration is linted without its project, so its history (and any earlier state-only removal) is not visible';
      ctx.report({
        range: statement.range,
        message: `\`DROP TABLE\` ${describeTable(ctx, table)}: the code still running queries it, and fails until the deploy finishes${note}.`,
        help: 'Instead, delete the model from the state first (SeparateDatabaseAndState) and deploy; drop the table in a later migration.',
      });
    }
  }
}
