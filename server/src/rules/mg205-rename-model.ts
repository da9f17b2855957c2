import { argument, databaseOperations } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { literal } from '../analysis/syntax';
import { exampleMigration, initialMigration } from './docs';
import { createdInThisMigration, migrationLabel } from '../analysis/removals';
import { defineRule } from './types';
import { describeTable, existingTableStatements, tableOwner } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const renameModel = defineRule({
  code: 'MG205',
  name: 'rename-model',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Renaming a table breaks the code still running, which queries the old name.',
    why: [
      'Unless the model\'s `db_table` is set, `RenameModel` renames its table (`shop_order` → `shop_purchase`, and the tables of its automatic many-to-many fields), and `AlterModelTable` renames it to the new `db_table`. Between the migration and the end of the deploy, the old code still queries the old table name and every query fails with `relation … does not exist`.',
      '',
      'Not reported: renaming a model whose `db_table` is set (the table keeps its name), and an `AlterModelTable` that pins the name the table already has, which is how a model is renamed in Python only. The rule reads the table name from the earlier migrations, so it stays silent when that history is not in the workspace.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Order", [("id", models.BigAutoField(primary_key=True))]),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RenameModel(old_name="Order", new_name="Purchase"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Rename in Python only: pin the current table (Meta.db_table), then rename the model.', 'from django.db import migrations'],
      operations: [
        'migrations.AlterModelTable(name="order", table="shop_order"),',
        'migrations.RenameModel(old_name="Order", new_name="Purchase"),',
      ],
    }),
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order RENAME TO shop_purchase",',
        '    reverse_sql="ALTER TABLE shop_purchase RENAME TO shop_order",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: the model\'s `Meta.db_table` has to change along with the migration. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) keeps the table: the `RenameModel` in the state only, with `db_table` the old table name in the migration (`AlterModelTable`) and in models.py (`Meta.db_table`); no SQL runs.',
    references: [
      'django-migration-linter: RENAME_TABLE',
      'squawk: renaming-table',
      'strong_migrations: rename_table',
      'django-safe-migrations: SM014',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const project = ctx.project;
    if (!project) return;
    for (const op of databaseOperations(migration, 'RenameModel', 'AlterModelTable')) {
      const summary = project.summary.operations.find((candidate) => candidate.index === op.index);
      if (!summary?.model) continue;
      // The current table name comes from the history: unknown history or details, nothing to say.
      const model = project.before(op).model;
      if (!model || model.uncertain || createdInThisMigration(migration, op, model)) continue;
      const oldTable = tableOf(model);
      if (oldTable === 'unknown') continue;
      const related = [{ ...model.location, message: `the model was created here (${migrationLabel(model.location.path)})` }];
      if (op.kind === 'RenameModel') {
        // A set `db_table` keeps the table; Django's `app_model` name follows the model's name.
        const newName = literal(argument(op, 'new_name'));
        if (model.dbTable !== undefined || newName.kind !== 'string') continue;
        const newTable = `${model.app}_${newName.value.toLowerCase()}`;
        if (newTable === oldTable) continue;
        ctx.report({
          node: op.node,
          message: `\`RenameModel\` renames table \`${oldTable}\` to \`${newTable}\`: the code still running queries \`${oldTable}\` and fails until the deploy finishes.`,
          help: `Instead, keep the table: set \`db_table = "${oldTable}"\` in the model's Meta (\`AlterModelTable(name=${argument(op, 'old_name')?.text ?? `"${model.name}"`}, table="${oldTable}")\` before the rename), and the table keeps its name.`,
          related,
        });
        continue;
      }
      const table = summary.table;
      if (table === undefined || table === 'unknown') continue;
      const newTable = table ?? `${model.app}_${model.name}`;
      if (newTable === oldTable) continue;
      ctx.report({
        node: op.node,
        message: `\`AlterModelTable\` renames table \`${oldTable}\` to \`${newTable}\`: the code still running queries \`${oldTable}\` and fails until the deploy finishes.`,
        // Only the route Django's migrate is tested with (test/integration/advice.test.ts) is advised: moving the data
        // to a new table is application work across deploys, which no migration of ours can prove.
        help: `Instead, keep \`db_table = "${oldTable}"\` in the model's Meta (and so no \`AlterModelTable\`): the model's name can change while its table keeps the old one.`,
        related,
      });
    }
  },
});

/** `ALTER TABLE … RENAME TO` in a RunSQL, of a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'rename-table')) {
    if (!renamesKnownTable(ctx, action.table.key)) continue;
    ctx.report({
      range: statement.range,
      message: `\`RENAME TO\` renames table ${describeTable(ctx, action.table)} to \`${action.newName}\`: the code still running queries \`${action.table.key}\` and fails until the deploy finishes.`,
      help: 'Instead, keep the table name (`db_table` on the model).',
    });
  }
}

/**
 * `ALTER TABLE x RENAME TO y` renames any relation, sequences too (`ALTER TABLE shop_order_id_seq RENAME …`, which
 * no query names). In a workspace, reported only for a table the state knows: a model's, or a ManyToManyField's
 * (`<model table>_<field>`, not ending in `_seq`). Linted alone, every rename is reported.
 */
function renamesKnownTable(ctx: SqlRuleContext, table: string): boolean {
  if (!ctx.project?.hasWorkspace) return true;
  const owner = tableOwner(ctx, table);
  return owner !== undefined && !owner.removed && !(owner.manyToMany && table.endsWith('_seq'));
}
