import { argument, columnName, databaseOperations, defaultAddedLater, isNewTable } from '../analysis/migration';
import { hasColumn } from '../analysis/fields';
import { literal } from '../analysis/syntax';
import { insertKeywordArgument, replaceKeywordValue } from '../fixes/edits';
import type { Fix } from '../fixes/types';
import { findModelField, modelsPathOf } from '../fixes/model-field';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule } from './types';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

/** Auto fields get their value from a sequence; old code never inserts them. */
const GENERATED = /^(Small|Big)?AutoField$|^GeneratedField$/;

export const addNotNullField = defineRule({
  code: 'MG201',
  name: 'add-not-null-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'A NOT NULL column without a database default breaks inserts from the code that is still running.',
    why: 'During a rolling deploy the old code keeps running after the migration. It does not know the new column, so its `INSERT`s leave it out. Django uses a Python `default` only to fill existing rows and then drops it from the database, so those inserts fail with `null value in column violates not-null constraint` until every server runs the new code.',
    example: exampleMigration({
      operations: ['migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, default="new")),'],
    }),
    useInstead: exampleMigration({
      operations: ['migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, default="new", db_default="new")),'],
    }),
    otherRoutes: [{
      when: 'Before Django 5.0 (no `db_default`): nullable, backfilled, then NOT NULL behind a validated CHECK',
      config: { djangoVersion: '3.2' },
      history: CREATE_ORDER,
      steps: [
        exampleMigration({
          imports: [
            '# shop/migrations/0002_order_status.py',
            '# Deploy 1: nullable, so the code still running can insert without it; the new code writes the default.',
            'from django.db import migrations, models',
          ],
          operations: ['migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, null=True, default="new")),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0003_backfill_order_status.py',
            '# Once every server runs the new code: fill the rows the old code left NULL, in batches.',
            'from django.db import migrations',
          ],
          prelude: [
            'def fill_status(apps, schema_editor):',
            '    Order = apps.get_model("shop", "Order")',
            '    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0',
            '    for start in range(0, last + 1, 1000):',
            '        Order.objects.filter(pk__gte=start, pk__lt=start + 1000, status__isnull=True).update(status="new")',
          ],
          attributes: ['atomic = False'],
          dependency: ['shop', '0002_order_status'],
          operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0004_order_status_not_null_check.py',
            '# A CHECK added NOT VALID (a brief lock); Django before 4.0 has no AddConstraintNotValid, so RunSQL adds it.',
            'from django.db import migrations, models',
          ],
          dependency: ['shop', '0003_backfill_order_status'],
          operations: [
            'migrations.SeparateDatabaseAndState(',
            '    database_operations=[',
            '        migrations.RunSQL(',
            '            "ALTER TABLE shop_order ADD CONSTRAINT order_status_not_null CHECK (status IS NOT NULL) NOT VALID",',
            '            reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_status_not_null",',
            '        ),',
            '    ],',
            '    state_operations=[',
            '        migrations.AddConstraint(',
            '            model_name="order",',
            '            constraint=models.CheckConstraint(check=models.Q(status__isnull=False), name="order_status_not_null"),',
            '        ),',
            '    ],',
            '),',
          ],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0005_validate_order_status_not_null.py',
            '# Checks the old rows without blocking writes (SHARE UPDATE EXCLUSIVE).',
            'from django.db import migrations',
          ],
          dependency: ['shop', '0004_order_status_not_null_check'],
          operations: ['migrations.RunSQL("ALTER TABLE shop_order VALIDATE CONSTRAINT order_status_not_null", reverse_sql=migrations.RunSQL.noop),'],
        }),
        exampleMigration({
          imports: [
            '# shop/migrations/0006_order_status_not_null.py',
            '# PostgreSQL 12+ skips the scan of SET NOT NULL (the validated CHECK proves there is no NULL).',
            'from django.db import migrations, models',
          ],
          dependency: ['shop', '0005_validate_order_status_not_null'],
          operations: [
            'migrations.AlterField(model_name="order", name="status", field=models.CharField(max_length=20, default="new")),',
            'migrations.RemoveConstraint(model_name="order", name="order_status_not_null"),',
          ],
        }),
      ],
    }],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD COLUMN status varchar(20) NOT NULL",',
        '    reverse_sql="ALTER TABLE shop_order DROP COLUMN status",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD COLUMN status varchar(20) NOT NULL DEFAULT \'new\'",',
        '    reverse_sql="ALTER TABLE shop_order DROP COLUMN status",',
        '),',
      ],
    }),
    fixSafety: 'Two fixes, each changing the field in the migration and in the app\'s `models.py` together (one multi-file edit), so `makemigrations` has nothing to undo; offered only when the model\'s field is found statically in `<app>/models.py` (one class of that name, one `name = models.X(…)` line). `db_default=<the default>` (Django ≥ 5.0, when `default` is a literal) is safe: the column and the model behave as before and old inserts get the value. `null=True` is unsafe: it changes the column and the model (the field may now be `None`). Before Django 5.0 (no `db_default`), *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes the route out: this migration adds the column nullable, a new one backfills it in batches of primary keys (`RunPython`, `atomic = False`), then MG106\'s route makes it NOT NULL (a CHECK added `NOT VALID`, validated, then `SET NOT NULL` without a scan).',
    references: [
      'django-migration-linter: NOT_NULL',
      'squawk: adding-required-field, adding-not-nullable-field',
      'django-safe-migrations: SM001',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const [major] = ctx.config.djangoVersion;
    for (const op of databaseOperations(migration, 'AddField')) {
      const field = op.field;
      if (!field || isNewTable(migration, op) || field.hasSplat || defaultAddedLater(migration, op)) continue;
      if (field.null !== false || field.hasDbDefault || field.primaryKey !== false || !hasColumn(field) || GENERATED.test(field.type)) continue;
      const fixes: Fix[] = [];
      // The model must change with the migration, or makemigrations undoes the fix: no model field, no fix.
      const model = op.modelName && op.fieldName ? findModelField(ctx.path, op.modelName, op.fieldName, ['db_default', 'null'], ctx.readFile) : undefined;
      const defaultValue = field.keywords.get('default');
      const preserveDefault = literal(argument(op, 'preserve_default'));
      const nullDbDefault = field.keywordNodes.get('db_default');
      if (model && major >= 5 && defaultValue && literal(defaultValue).kind !== 'unknown' && literal(defaultValue).kind !== 'none') {
        const edit = nullDbDefault ? replaceKeywordValue(nullDbDefault, defaultValue.text) : insertKeywordArgument(ctx.text, field.node, 'db_default', defaultValue.text);
        const modelEdit = model.setKeyword('db_default', defaultValue.text);
        const keepsBehaviour = !(preserveDefault.kind === 'bool' && !preserveDefault.value);
        if (edit && modelEdit) fixes.push({ title: `Add db_default=${defaultValue.text} (here and in ${modelsLabel(model.path)})`, applicability: keepsBehaviour ? 'safe' : 'unsafe', edits: [edit], otherFiles: [modelEdit] });
      }
      const nullKeyword = field.keywordNodes.get('null');
      const nullEdit = nullKeyword ? replaceKeywordValue(nullKeyword, 'True') : insertKeywordArgument(ctx.text, field.node, 'null', 'True');
      const nullModelEdit = model?.setKeyword('null', 'True');
      if (nullEdit && nullModelEdit) fixes.push({ title: `Make the field nullable (null=True, here and in ${modelsLabel(nullModelEdit.path)})`, applicability: 'unsafe', unsafeBecause: 'the field may then be None', edits: [nullEdit], otherFiles: [nullModelEdit] });
      const noFix = model ? '' : ` (no automatic fix: \`${op.fieldName ?? '?'}\` of model \`${op.modelName ?? '?'}\` was not found in \`${modelsLabel(modelsPathOf(ctx.path))}\`, which the fix must change too)`;
      const column = columnName(migration, op);
      const defaultHelp = major >= 5 ? 'give it a `db_default`' : 'add it with `null=True`, backfill it in batches once the code is deployed, then make it NOT NULL behind a validated `CHECK (… IS NOT NULL)` (MG106\'s route)';
      ctx.report({
        node: op.node,
        message: field.dbDefaultIsNull
          ? `\`AddField\` adds NOT NULL column \`${column}\` whose database default is NULL (\`db_default=None\`): inserts from the code still running fail until it is deployed.`
          : `\`AddField\` adds NOT NULL column \`${column}\` without a database default: inserts from the code still running fail until it is deployed.`,
        help: `Instead, ${defaultHelp}${major >= 5 ? ' (or make it `null=True`)' : ''}, in the migration and the model${noFix}.`,
        fixes,
      });
    }
  },
});

/** `ADD COLUMN … NOT NULL` without a default in a RunSQL, on a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'add-column' || !command.notNull || command.default || command.generated || command.identity) continue;
      ctx.report({
        range: statement.range,
        message: `\`ADD COLUMN\` \`${command.column}\` \`NOT NULL\` without a default on ${describeTable(ctx, action.table)}: PostgreSQL rejects it when the table has rows, and the code still running inserts rows without the column.`,
        help: 'Instead, add the column with a `DEFAULT` (a constant does not rewrite the table), or nullable, backfilled, then `SET NOT NULL`.',
      });
    }
  }
}

/** `…/shop/models.py` → `shop/models.py`. */
function modelsLabel(path: string): string {
  return path.replace(/\\/g, '/').split('/').slice(-2).join('/');
}
