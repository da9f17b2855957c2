import { argument, databaseOperations, tableName } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { exampleMigration, initialMigration } from './docs';
import { createdInThisMigration, historyNote, migrationLabel, removedFromStateBefore } from '../analysis/removals';
import { defineRule } from './types';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
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
      epilogue: [
        '# Deploy 2, in a later migration: drop the table once no running code uses it,',
        '# e.g. RunSQL("DROP TABLE shop_coupon", reverse_sql=...).',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans two deploys. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out: this migration deletes the model from the state only, a new one drops the table with `RunSQL` (its `CREATE TABLE` as the reverse), to deploy after the code.',
    references: [
      'django-migration-linter: DROP_TABLE',
      'squawk: ban-drop-table',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
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
 * A `DROP TABLE` of the table of a model an earlier state-only `DeleteModel` took out of the state (and that no
 * live model has): step two of the safe route.
 */
function stepTwoOfDeletion(ctx: SqlRuleContext, table: string): boolean {
  const states = [...(ctx.project?.stateBefore.values() ?? [])];
  if (states.some((model) => !model.deleted && tableOf(model) === table)) return false;
  const deleted = states.find((model) => model.deleted && model.app === ctx.migration!.appLabel && tableOf(model) === table);
  return !!deleted && removedFromStateBefore(ctx.migration!, ctx.project, (candidate) => candidate.kind === 'DeleteModel' && candidate.model === deleted.name.toLowerCase());
}

/** `DROP TABLE` in a RunSQL, of a table that existed before the migration (not step two of the safe route). */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action, newTables } of existingTableStatements(ctx.migration!, ctx.text, 'drop-table')) {
    for (const table of action.tables) {
      if (newTables.has(table.key) || stepTwoOfDeletion(ctx, table.key)) continue;
      ctx.report({
        range: statement.range,
        message: `\`DROP TABLE\` ${describeTable(ctx, table)}: the code still running queries it, and fails until the deploy finishes.`,
        help: 'Instead, delete the model from the state first (SeparateDatabaseAndState) and deploy; drop the table in a later migration.',
      });
    }
  }
}
