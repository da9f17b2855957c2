import { databaseOperations, isNewTable } from '../analysis/migration';
import { CLAIMS, lockClause } from '../analysis/claims';
import { volatileExpression } from '../analysis/volatile';
import { exampleMigration } from './docs';
import { columnFor, tableFor } from '../analysis/operation-context';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const volatileDbDefault = defineRule({
  code: 'MG108',
  name: 'volatile-db-default',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AddField.volatileDbDefault', 'AddField.constantDbDefault', 'RunSQL.addColumnGeneratedStored', 'RunSQL.addColumnSerial'],
  docs: {
    summary: 'A column added with a volatile database default rewrites the whole table while reads and writes wait.',
    why: 'Since PostgreSQL 11, `ADD COLUMN … DEFAULT <constant>` stores the value once in the catalog: no rewrite. A *volatile* default (`gen_random_uuid()`, `random()`, `clock_timestamp()`…, what `RandomUUID()`, `Random()` or `Func(function="gen_random_uuid")` compile to) must be computed for every existing row, so PostgreSQL rewrites the table under an `ACCESS EXCLUSIVE` lock: every query waits until it is done. `Now()` is fine: `now()` is STABLE, one value per transaction.',
    example: exampleMigration({
      imports: ['from django.contrib.postgres.functions import RandomUUID', 'from django.db import migrations, models'],
      operations: ['migrations.AddField(model_name="order", name="token", field=models.UUIDField(db_default=RandomUUID())),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.functions import RandomUUID', 'from django.db import migrations, models'],
      operations: [
        '# A nullable column without default: no rewrite.',
        'migrations.AddField(model_name="order", name="token", field=models.UUIDField(null=True)),',
        '# Setting the default afterwards only affects new rows: no rewrite either.',
        'migrations.AlterField(model_name="order", name="token", field=models.UUIDField(null=True, db_default=RandomUUID())),',
      ],
      epilogue: ['# Then backfill existing rows in batches, and make the column NOT NULL in a later migration.'],
    }),
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD COLUMN token uuid DEFAULT gen_random_uuid()",',
        '    reverse_sql="ALTER TABLE shop_order DROP COLUMN token",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD COLUMN token uuid",',
        '    reverse_sql="ALTER TABLE shop_order DROP COLUMN token",',
        '),',
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ALTER COLUMN token SET DEFAULT gen_random_uuid()",',
        '    reverse_sql="ALTER TABLE shop_order ALTER COLUMN token DROP DEFAULT",',
        '),',
      ],
      epilogue: ['# Then backfill the existing rows in batches.'],
    }),
    fixSafety: 'No automatic fix.',
    references: ['squawk: adding-field-with-default'],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddField')) {
      if (isNewTable(migration, op)) continue;
      const dbDefault = op.field?.keywords.get('db_default');
      const volatile = dbDefault ? volatileExpression(dbDefault, migration.imports) : undefined;
      if (!volatile) continue;
      const expression = volatile.text.length > 40 ? `${volatile.text.slice(0, 37)}…` : volatile.text;
      const column = columnFor(ctx, op);
      const table = tableFor(ctx, op);
      ctx.report({
        node: op.node,
        message: `\`AddField\` adds \`${column}\` with a volatile \`db_default\` (\`${expression}\`), computed for every row: it ${lockClause(CLAIMS['AddField.volatileDbDefault'], { table })}.`,
        help: `Instead, add \`${op.fieldName ?? 'the field'}\` nullable without \`db_default\`, set the \`db_default\` with a following \`AlterField\` (only new rows use it: no rewrite), backfill existing rows in batches, then make it NOT NULL in a later migration.`,
      });
    }
  },
});

/** `ADD COLUMN` with a volatile default, a `GENERATED … STORED` expression or a `serial` type, in a RunSQL. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'add-column') continue;
      const id = command.generated === 'stored' ? 'RunSQL.addColumnGeneratedStored'
        : command.serial ? 'RunSQL.addColumnSerial'
          : command.default?.volatility === 'volatile' ? 'AddField.volatileDbDefault' : undefined;
      if (!id) continue;
      const what = id === 'RunSQL.addColumnGeneratedStored' ? 'a `GENERATED … STORED` column' : id === 'RunSQL.addColumnSerial' ? `a \`${command.type}\` column` : 'a column with a volatile default';
      ctx.report({
        range: statement.range,
        message: `\`ADD COLUMN\` of ${what} \`${command.column}\` to ${describeTable(ctx, action.table)} ${sqlLockClause(SQL_CLAIMS[id], { table: action.table.key })}.`,
        help: 'Instead, add the column nullable without a default, set the default afterwards (`ALTER COLUMN … SET DEFAULT`), and backfill existing rows in batches.',
      });
    }
  }
}
