import { argument, databaseOperations, tableName } from '../analysis/migration';
import { columnOf, knownField, tableOf } from '../analysis/state';
import { literal } from '../analysis/syntax';
import { exampleMigration, initialMigration } from './docs';
import { createdInThisMigration, migrationLabel } from '../analysis/removals';
import { defineRule } from './types';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const renameField = defineRule({
  code: 'MG204',
  name: 'rename-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Renaming a column breaks the code still running, which uses the old name.',
    why: [
      '`RenameField` renames the column (`ALTER TABLE … RENAME COLUMN`), and so does an `AlterField` that changes `db_column`. Between the migration and the end of the deploy, the old code still selects, inserts and filters on the old column name, and every such query fails with `column … does not exist`.',
      '',
      'Not reported: renaming a field whose `db_column` is set (the column keeps its name), and an `AlterField` that sets `db_column` to the column\'s current name, which is how a field is renamed in Python only. The rule reads the field\'s definition from the earlier migrations, so it stays silent when that history is not in the workspace.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Order", [',
      '    ("id", models.BigAutoField(primary_key=True)),',
      '    ("note", models.TextField(null=True)),',
      ']),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RenameField(model_name="order", old_name="note", new_name="comment"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Rename in Python only: pin the current column, then rename the field (no SQL runs).', 'from django.db import migrations, models'],
      operations: [
        'migrations.AlterField(model_name="order", name="note", field=models.TextField(null=True, db_column="note")),',
        'migrations.RenameField(model_name="order", old_name="note", new_name="comment"),',
      ],
    }),
    otherRoutes: [{
      when: 'To rename the column itself (three deploys): add the new column, copy the data, remove the old one',
      steps: [
        exampleMigration({
          imports: [
            '# shop/migrations/0002_order_comment.py',
            '# Deploy 1, with code that writes both `note` and `comment` (and still reads `note`).',
            'from django.db import migrations, models',
          ],
          operations: ['migrations.AddField(model_name="order", name="comment", field=models.TextField(null=True)),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0003_copy_order_note.py',
            '# Once every server writes both: copy the old rows in batches, each committed on its own.',
            'from django.db import migrations',
            'from django.db.models import F',
          ],
          prelude: [
            'def copy_note(apps, schema_editor):',
            '    Order = apps.get_model("shop", "Order")',
            '    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0',
            '    for start in range(0, last + 1, 1000):',
            '        Order.objects.filter(pk__gte=start, pk__lt=start + 1000, comment__isnull=True).update(comment=F("note"))',
          ],
          attributes: ['atomic = False'],
          dependency: ['shop', '0002_order_comment'],
          operations: ['migrations.RunPython(copy_note, reverse_code=migrations.RunPython.noop),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0004_remove_order_note.py',
            '# Deploy 2, with code that uses only `comment`: `note` leaves the state; its column (nullable) stays.',
            'from django.db import migrations',
          ],
          dependency: ['shop', '0003_copy_order_note'],
          operations: ['migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name="order", name="note")]),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0005_drop_order_note.py',
            '# Deploy 3, once no running code declares `note`: drop the column in the database only.',
            'from django.db import migrations',
          ],
          dependency: ['shop', '0004_remove_order_note'],
          operations: [
            'migrations.RunSQL(',
            '    "ALTER TABLE shop_order DROP COLUMN note",',
            '    reverse_sql="ALTER TABLE shop_order ADD COLUMN note text NULL",',
            '),',
          ],
        }),
      ],
    }],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order RENAME COLUMN note TO remark",',
        '    reverse_sql="ALTER TABLE shop_order RENAME COLUMN remark TO note",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: whether to keep the column name or move the data is a design choice. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) keeps the column: the `RenameField` in the state only, with `db_column=` the old name in the migration and in models.py; no SQL runs.',
    references: [
      'django-migration-linter: RENAME_COLUMN',
      'squawk: renaming-column',
      'strong_migrations: rename_column',
      'django-safe-migrations: SM006',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const project = ctx.project;
    if (!project) return;
    for (const op of databaseOperations(migration, 'RenameField', 'AlterField')) {
      const state = project.before(op);
      if (!op.modelName || createdInThisMigration(migration, op, state.model)) continue;
      // The column's current name comes from the history: unknown history, nothing to say.
      const before = knownField(state);
      if (!state.model || !before?.hasColumn) continue;
      let oldName: string | undefined;
      let newName: string | undefined;
      let after = before;
      if (op.kind === 'RenameField') {
        const oldLiteral = literal(argument(op, 'old_name'));
        const newLiteral = literal(argument(op, 'new_name'));
        if (oldLiteral.kind !== 'string' || newLiteral.kind !== 'string') continue;
        oldName = oldLiteral.value;
        newName = newLiteral.value;
      } else {
        const altered = project.summary.operations.find((candidate) => candidate.index === op.index)?.field;
        if (!op.fieldName || !altered?.hasColumn) continue;
        oldName = newName = op.fieldName;
        after = altered;
      }
      const oldColumn = columnOf(oldName, before);
      const newColumn = columnOf(newName, after);
      if (oldColumn === 'unknown' || newColumn === 'unknown' || oldColumn === newColumn) continue;
      const known = tableOf(state.model);
      const table = known !== 'unknown' ? known : tableName(migration, op.modelName);
      const related = state.field ? [{ ...state.field.location, message: `\`${oldName}\` was last defined here (${migrationLabel(state.field.location.path)})` }] : undefined;
      if (op.kind === 'RenameField') {
        ctx.report({
          node: op.node,
          message: `\`RenameField\` renames column \`${table}.${oldColumn}\` to \`${newColumn}\`: the code still running uses \`${oldColumn}\` and its queries on the model fail until the deploy finishes.`,
          help: `Instead, rename the field in Python only: first set \`db_column="${oldColumn}"\` on it (\`AlterField\`), then rename it, and no SQL runs. To rename the column itself, add \`${newColumn}\`, copy the data, deploy code that uses it, and remove \`${oldName}\` in later migrations (from the state first, then \`DROP COLUMN\`: MG202's route).`,
          related,
        });
      } else {
        ctx.report({
          node: op.node,
          message: `\`AlterField\` changes the column of \`${oldName}\`: it renames \`${table}.${oldColumn}\` to \`${newColumn}\`, and the code still running uses \`${oldColumn}\` until the deploy finishes.`,
          help: `Instead, keep the column name (\`db_column="${oldColumn}"\`). To move the data to \`${newColumn}\`, add a new field with that column, copy the data, deploy code that uses it, and remove \`${oldName}\` in later migrations (from the state first, then \`DROP COLUMN\`: MG202's route).`,
          related,
        });
      }
    }
  },
});

/** `RENAME COLUMN` in a RunSQL, on a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'rename-column')) {
    ctx.report({
      range: statement.range,
      message: `\`RENAME COLUMN\` renames ${describeTable(ctx, action.table)}.\`${action.column}\` to \`${action.newName}\`: the code still running uses \`${action.column}\` and its queries fail until the deploy finishes.`,
      help: 'Instead, keep the column name (`db_column` on the renamed field), or add a new column, copy, switch the code, then drop the old one.',
    });
  }
}
