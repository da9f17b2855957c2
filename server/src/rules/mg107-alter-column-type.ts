import { columnType, formatColumnType, typeChange, verifiedWidening } from '../analysis/column-types';
import { databaseOperations, isNewTable } from '../analysis/migration';
import { CLAIMS, lockClause } from '../analysis/claims';
import { exampleMigration, initialMigration } from './docs';
import { columnFor, definedAt, newField, previousField } from '../analysis/operation-context';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { alterColumnTypeClaim } from '../analysis/sql-claims';
import { columnTypeBefore, describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

const HISTORY = initialMigration([
  'migrations.CreateModel(',
  '    name="Order",',
  '    fields=[',
  '        ("id", models.BigAutoField(primary_key=True, serialize=False)),',
  '        ("quantity", models.IntegerField()),',
  '        ("reference", models.CharField(max_length=32)),',
  '    ],',
  '),',
]);

export const alterColumnType = defineRule({
  code: 'MG107',
  name: 'alter-column-type',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AlterField.type', 'AlterField.varcharShorter', 'AlterField.varcharLonger', 'AlterField.varcharToText', 'AlterField.decimalPrecision', 'RunSQL.varcharUnbounded', 'RunSQL.textToVarchar', 'RunSQL.numericUnbounded'],
  docs: {
    summary: 'Changing a column\'s type rewrites the whole table and its indexes while reads and writes wait.',
    why: '`ALTER TABLE … ALTER COLUMN … TYPE` takes an `ACCESS EXCLUSIVE` lock and, unless the old type converts to the new one without any check, rewrites every row and rebuilds every index of the table: `integer` → `bigint`, a shorter `max_length`, `varchar` → `integer`, a new `numeric` scale… Every query on the table waits for the rewrite. A few changes only touch the catalog and are not reported: a longer or removed `max_length` (`varchar(n)` → `varchar(m > n)`, `varchar`, `text`) and more `numeric` precision at the same scale. Custom field classes and relations are not judged.',
    example: exampleMigration({
      operations: ['migrations.AlterField(model_name="order", name="quantity", field=models.BigIntegerField()),'],
    }),
    // The route the help gives, for a real type change: a new column, a batched copy, then the old column removed
    // as MG202's route removes one (a longer max_length needs none of it: it is not reported).
    useInstead: exampleMigration({
      imports: [
        '# shop/migrations/0002_order_quantity_new.py',
        '# Deploy 1, with code that writes both `quantity` and `quantity_new`: a nullable column is added without a rewrite.',
        'from django.db import migrations, models',
      ],
      operations: ['migrations.AddField(model_name="order", name="quantity_new", field=models.BigIntegerField(null=True)),'],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_copy_order_quantity.py',
          '# Once every server writes both: copy the old rows in batches, each committed on its own.',
          'from django.db import migrations',
          'from django.db.models import F',
        ],
        prelude: [
          'def copy_quantity(apps, schema_editor):',
          '    Order = apps.get_model("shop", "Order")',
          '    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0',
          '    for start in range(0, last + 1, 1000):',
          '        Order.objects.filter(pk__gte=start, pk__lt=start + 1000, quantity_new__isnull=True).update(quantity_new=F("quantity"))',
        ],
        attributes: ['atomic = False'],
        dependency: ['shop', '0002_order_quantity_new'],
        operations: ['migrations.RunPython(copy_quantity, reverse_code=migrations.RunPython.noop),'],
      }),
      exampleMigration({
        imports: [
          '# shop/migrations/0004_remove_order_quantity.py',
          '# Deploy 2, with code that reads `quantity_new` and no longer declares `quantity`: the old column stays, nullable.',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0003_copy_order_quantity'],
        operations: [
          'migrations.SeparateDatabaseAndState(',
          '    database_operations=[',
          '        migrations.RunSQL("ALTER TABLE shop_order ALTER COLUMN quantity DROP NOT NULL", reverse_sql=migrations.RunSQL.noop),',
          '    ],',
          '    state_operations=[migrations.RemoveField(model_name="order", name="quantity")],',
          '),',
        ],
      }),
      exampleMigration({
        imports: [
          '# shop/migrations/0005_drop_order_quantity.py',
          '# Deploy 3, once no running code declares `quantity`: drop the old column in the database only.',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0004_remove_order_quantity'],
        operations: [
          'migrations.RunSQL(',
          '    "ALTER TABLE shop_order DROP COLUMN quantity",',
          '    reverse_sql="ALTER TABLE shop_order ADD COLUMN quantity integer NULL",',
          '),',
        ],
        epilogue: ['# The field keeps the name `quantity_new`; MG204\'s route renames it in Python only (db_column="quantity_new").'],
      }),
    ],
    history: HISTORY,
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ALTER COLUMN quantity TYPE bigint",',
        '    reverse_sql="ALTER TABLE shop_order ALTER COLUMN quantity TYPE integer",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        '# A longer varchar limit only changes the catalog: no rewrite.',
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ALTER COLUMN reference TYPE varchar(64)",',
        '    reverse_sql="ALTER TABLE shop_order ALTER COLUMN reference TYPE varchar(32)",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route is a new column, a backfill and a code change.',
    references: [
      'django-migration-linter: ALTER_COLUMN',
      'squawk: changing-column-type',
      'strong_migrations: change_column',
      'django-safe-migrations: SM004, SM013',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AlterField')) {
      if (isNewTable(migration, op) || !op.fieldName || !op.field?.qualifiedType.startsWith('django.')) continue;
      const before = previousField(ctx, op);
      const after = newField(ctx, op);
      if (!before || !after) continue;
      const from = columnType(before.info);
      const to = columnType(after);
      if (!from || !to || typeChange(from, to) !== 'rewrite') continue;
      const claim = CLAIMS[from.base === 'varchar' && to.base === 'varchar' ? 'AlterField.varcharShorter' : 'AlterField.type'];
      const column = columnFor(ctx, op);
      const table = column.slice(0, column.lastIndexOf('.'));
      const name = op.fieldName;
      const referenced = after.primaryKey === true || before.info.primaryKey === true ? ', and Django alters every foreign key column that references it the same way' : '';
      ctx.report({
        node: op.node,
        message: `\`AlterField\` changes \`${column}\` from \`${formatColumnType(from)}\` to \`${formatColumnType(to)}\`: \`${claim.sql}\` ${lockClause(claim, { table })}${referenced}.`,
        help: `Instead, add a new nullable column (e.g. \`${name}_new\`) with the new type, write to both from the code, backfill it in batches, switch the code to it, then remove \`${name}\` in later deploys (from the state first, then \`DROP COLUMN\`: MG202's route).`,
        related: definedAt(before, name, ` (\`${formatColumnType(from)}\`)`),
      });
    }
  },
});

/**
 * `ALTER COLUMN … TYPE` in a RunSQL. With the old type known from the replayed state, the widenings a PostgreSQL
 * test verifies as catalog-only are not reported (not with `USING`: the expression may change every value).
 */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'alter-column-type') continue;
      const from = columnTypeBefore(ctx, action.table.key, command.column);
      const change = alterColumnTypeClaim(from, command);
      if (change.catalogOnly) continue;
      const shorter = change.id === 'AlterField.varcharShorter';
      const claim = SQL_CLAIMS[change.id];
      const changed = from ? `from \`${formatColumnType(from)}\` to \`${command.newType}\`` : `to \`${command.newType}\``;
      ctx.report({
        range: statement.range,
        message: `\`ALTER COLUMN … TYPE\` changes ${describeTable(ctx, action.table)}.\`${command.column}\` ${changed}: \`${claim.sql}\` ${sqlLockClause(claim, { table: action.table.key })}.`,
        help: shorter
          ? `Instead, keep the longer type and add a \`CHECK (length(${command.column}) <= n)\` constraint \`NOT VALID\`, validated in a later migration.`
          : 'Instead, add a new column with the new type, backfill it in batches, then switch the code to it.',
      });
    }
  }
}
