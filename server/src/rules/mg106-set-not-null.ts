import { CLAIMS, lockClause } from '../analysis/claims';
import { hasValidatedNotNullCheck } from '../analysis/operation-claims';
import { exampleMigration, ORDER_NOTE_HISTORY } from './docs';
import { becomesNotNull, columnFor, definedAt, newField } from '../analysis/operation-context';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements, modelOfTable } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const setNotNull = defineRule({
  code: 'MG106',
  name: 'set-not-null',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AlterField.setNotNull', 'AlterField.setNotNullWithDefault', 'AlterField.setNotNullAfterValidatedCheck', 'AddConstraintNotValid', 'ValidateConstraint'],
  docs: {
    summary: 'Making an existing column NOT NULL scans the whole table while reads and writes wait, and breaks old code that still writes NULL.',
    why: '`ALTER TABLE … ALTER COLUMN … SET NOT NULL` takes an `ACCESS EXCLUSIVE` lock and checks every row before it returns: every query on the table waits for the scan. Since PostgreSQL 12, the scan is skipped when a validated `CHECK (column IS NOT NULL)` constraint already proves there is no NULL; that constraint can be added `NOT VALID` (brief lock) and validated later without blocking writes. With a `default`, Django also fills the NULL rows with an `UPDATE` in the same transaction, holding the lock longer. Separately, during a rolling deploy the code still running may write NULL into the column: once it is NOT NULL, those writes fail.',
    example: exampleMigration({
      operations: ['migrations.AlterField(model_name="order", name="note", field=models.TextField(default="")),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.operations import AddConstraintNotValid', 'from django.db import migrations, models'],
      operations: [
        '# Step 1: a CHECK constraint, NOT VALID (brief lock; new rows are checked at once).',
        'AddConstraintNotValid(',
        '    model_name="order",',
        '    constraint=models.CheckConstraint(condition=models.Q(note__isnull=False), name="order_note_not_null"),',
        '),',
      ],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_validate_order_note_not_null.py',
          '# Step 2: checks the old rows without blocking writes (SHARE UPDATE EXCLUSIVE).',
          'from django.contrib.postgres.operations import ValidateConstraint',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0002_example'],
        operations: ['ValidateConstraint(model_name="order", name="order_note_not_null"),'],
      }),
      exampleMigration({
        imports: [
          '# shop/migrations/0004_order_note_not_null.py',
          '# Step 3: PostgreSQL 12+ skips the scan of SET NOT NULL (the validated constraint proves there is no NULL).',
          'from django.db import migrations, models',
        ],
        dependency: ['shop', '0003_validate_order_note_not_null'],
        operations: [
          'migrations.AlterField(model_name="order", name="note", field=models.TextField(default="")),',
          'migrations.RemoveConstraint(model_name="order", name="order_note_not_null"),',
        ],
      }),
    ],
    history: ORDER_NOTE_HISTORY,
    otherRoutes: [{
      when: 'Before Django 4.0 (no `AddConstraintNotValid`): the CHECK added and validated with RunSQL, the state told with SeparateDatabaseAndState',
      config: { djangoVersion: '3.2' },
      steps: [
        exampleMigration({
          imports: ['# shop/migrations/0002_order_note_not_null_check.py', '# Step 1: a CHECK constraint, NOT VALID (brief lock; new rows are checked at once).', 'from django.db import migrations, models'],
          operations: [
            'migrations.SeparateDatabaseAndState(',
            '    database_operations=[',
            '        migrations.RunSQL(',
            '            "ALTER TABLE shop_order ADD CONSTRAINT order_note_not_null CHECK (note IS NOT NULL) NOT VALID",',
            '            reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_note_not_null",',
            '        ),',
            '    ],',
            '    state_operations=[',
            '        migrations.AddConstraint(',
            '            model_name="order",',
            '            constraint=models.CheckConstraint(check=models.Q(note__isnull=False), name="order_note_not_null"),',
            '        ),',
            '    ],',
            '),',
          ],
        }),
        exampleMigration({
          imports: ['# shop/migrations/0003_validate_order_note_not_null.py', '# Step 2: checks the old rows without blocking writes (SHARE UPDATE EXCLUSIVE).', 'from django.db import migrations'],
          dependency: ['shop', '0002_order_note_not_null_check'],
          operations: ['migrations.RunSQL("ALTER TABLE shop_order VALIDATE CONSTRAINT order_note_not_null", reverse_sql=migrations.RunSQL.noop),'],
        }),
        exampleMigration({
          imports: ['# shop/migrations/0004_order_note_not_null.py', '# Step 3: PostgreSQL 12+ skips the scan of SET NOT NULL.', 'from django.db import migrations, models'],
          dependency: ['shop', '0003_validate_order_note_not_null'],
          operations: [
            'migrations.AlterField(model_name="order", name="note", field=models.TextField(default="")),',
            'migrations.RemoveConstraint(model_name="order", name="order_note_not_null"),',
          ],
        }),
      ],
    }],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ALTER COLUMN note SET NOT NULL",',
        '    reverse_sql="ALTER TABLE shop_order ALTER COLUMN note DROP NOT NULL",',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans several migrations and a deploy. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out: this migration adds the CHECK `NOT VALID`, a new one validates it, a third runs the `AlterField` and drops the CHECK. Before Django 4.0 (no `AddConstraintNotValid`), the CHECK is added with `RunSQL` in a `SeparateDatabaseAndState` whose state adds the `CheckConstraint`, and validated with `RunSQL`.',
    references: [
      'django-migration-linter: NOT_NULL',
      'squawk: adding-not-nullable-field',
      'strong_migrations: change_column_null',
      'django-safe-migrations: SM020',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const [major, minor] = ctx.config.djangoVersion;
    const conditionKeyword = major > 5 || (major === 5 && minor >= 1) ? 'condition' : 'check';
    for (const { op, before } of becomesNotNull(ctx)) {
      // The safe route's last step: a validated CHECK (column IS NOT NULL) lets PostgreSQL 12+ skip the scan.
      if (ctx.config.postgresVersion >= 12 && hasValidatedNotNullCheck(ctx.project?.before(op).model, op.fieldName!)) continue;
      const claim = CLAIMS[newField(ctx, op)?.hasDefault ? 'AlterField.setNotNullWithDefault' : 'AlterField.setNotNull'];
      const column = columnFor(ctx, op);
      const [table, name] = [column.slice(0, column.lastIndexOf('.')), op.fieldName!];
      const constraint = `${op.modelName}_${name}_not_null`;
      // Django before 4.0 has no AddConstraintNotValid/ValidateConstraint: the same route through RunSQL (the docs' other route).
      const addNotValid = major >= 4
        ? `add \`CheckConstraint(${conditionKeyword}=Q(${name}__isnull=False), name="${constraint}")\` with \`AddConstraintNotValid\`, run \`ValidateConstraint\` in a later migration`
        : `add \`CHECK (${name} IS NOT NULL) NOT VALID\` with \`RunSQL\` (in a \`SeparateDatabaseAndState\` whose state adds the \`CheckConstraint\`: Django before 4.0 has no \`AddConstraintNotValid\`), run \`VALIDATE CONSTRAINT ${constraint}\` in a later migration`;
      const help = ctx.config.postgresVersion >= 12
        ? `Instead, first ${addNotValid}, then this \`AlterField\` (PostgreSQL 12+ skips the scan) and drop the CHECK; deploy code that never writes NULL to \`${name}\` before any of it.`
        : `Instead, keep the column nullable and enforce it with a \`CHECK (${name} IS NOT NULL)\` constraint added \`NOT VALID\` and validated in a later migration: before PostgreSQL 12, \`SET NOT NULL\` always scans \`${table}\` under an ACCESS EXCLUSIVE lock.`;
      ctx.report({
        node: op.node,
        message: `\`AlterField\` makes \`${column}\` NOT NULL: \`${claim.sql}\` ${lockClause(claim, { table })}, and code still running may write NULL and fail.`,
        help,
        related: definedAt(before, name, ' (null=True)'),
      });
    }
  },
});

/**
 * `ALTER COLUMN … SET NOT NULL` in a RunSQL; silent on PostgreSQL 12+ when a validated `CHECK (column IS NOT NULL)`
 * proves it: one of the model's (the state), or one added earlier in this migration's SQL without `NOT VALID`
 * (or validated with `VALIDATE CONSTRAINT`, which MG112 judges).
 */
function checkStatements(ctx: SqlRuleContext): void {
  const validatedChecks = new Set<string>();
  const notValidChecks = new Map<string, string>();
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    const table = action.table.key;
    for (const command of action.commands) {
      if (command.kind === 'add-constraint' && command.constraint.notNullColumn) {
        const column = `${table}.${command.constraint.notNullColumn}`;
        if (!command.constraint.notValid) validatedChecks.add(column);
        else if (command.constraint.name) notValidChecks.set(`${table}.${command.constraint.name}`, column);
      }
      if (command.kind === 'validate-constraint') {
        const column = notValidChecks.get(`${table}.${command.name}`);
        if (column) validatedChecks.add(column);
      }
      if (command.kind !== 'set-not-null') continue;
      const model = modelOfTable(ctx, table);
      const proved = validatedChecks.has(`${table}.${command.column}`)
        || (model !== undefined && hasValidatedNotNullCheck(ctx.project?.stateBefore.get(model), command.column));
      if (ctx.config.postgresVersion >= 12 && proved) continue;
      ctx.report({
        range: statement.range,
        message: `\`SET NOT NULL\` on ${describeTable(ctx, action.table)}.\`${command.column}\` ${sqlLockClause(SQL_CLAIMS['AlterField.setNotNull'], { table })}.`,
        help: 'Instead, add `CHECK (column IS NOT NULL) NOT VALID`, validate it in a later migration, then `SET NOT NULL` (PostgreSQL 12+ skips the scan) and drop the check.',
      });
    }
  }
}
