import { argument, databaseOperations, isNewTable } from '../analysis/migration';
import { sqlNotValid } from '../fixes/sql-not-valid';
import { CLAIMS, lockClause } from '../analysis/claims';
import { callArguments, dottedName, literal, qualify } from '../analysis/syntax';
import { exampleMigration } from './docs';
import { tableFor } from '../analysis/operation-context';
import { defineRule } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const addCheckConstraintValidating = defineRule({
  code: 'MG104',
  name: 'add-check-constraint-validating',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  claims: ['AddConstraint.check', 'AddConstraintNotValid', 'ValidateConstraint'],
  docs: {
    summary: 'Adding a CHECK constraint to an existing table scans every row while reads and writes wait.',
    why: '`ALTER TABLE … ADD CONSTRAINT … CHECK (…)` takes an `ACCESS EXCLUSIVE` lock and checks every existing row before it returns: on a large table, every query waits for the whole scan. Added `NOT VALID`, the constraint applies to new writes at once and the lock is brief; `VALIDATE CONSTRAINT`, run later in a separate migration, checks the old rows under a `SHARE UPDATE EXCLUSIVE` lock that lets reads and writes continue. Django ships both steps: `AddConstraintNotValid` and `ValidateConstraint` in `django.contrib.postgres.operations` (Django 4.0+).',
    example: exampleMigration({
      operations: [
        'migrations.AddConstraint(',
        '    model_name="order",',
        '    constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0"),',
        '),',
      ],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.operations import AddConstraintNotValid', 'from django.db import migrations, models'],
      operations: [
        'AddConstraintNotValid(',
        '    model_name="order",',
        '    constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0"),',
        '),',
      ],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_validate_order_total_gte_0.py',
          '# Then, in a later migration (its own transaction: the scan no longer blocks writes):',
          'from django.contrib.postgres.operations import ValidateConstraint',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0002_example'],
        operations: ['ValidateConstraint(model_name="order", name="order_total_gte_0"),'],
      }),
    ],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD CONSTRAINT order_total_pos CHECK (total >= 0)",',
        '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_total_pos",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD CONSTRAINT order_total_pos CHECK (total >= 0) NOT VALID",',
        '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_total_pos",',
        '),',
      ],
      epilogue: ['# Then, in a later migration: ALTER TABLE shop_order VALIDATE CONSTRAINT order_total_pos'],
    }),
    fixSafety: 'For `ALTER TABLE … ADD CONSTRAINT … CHECK` in a `RunSQL` (the statement\'s only command), an unsafe fix appends `NOT VALID`: the rows already in the table are then not checked until `VALIDATE CONSTRAINT` runs, which you must write in a later migration. No fix for `AddConstraint`: the safe route spans two migrations.',
    references: [
      'squawk: constraint-missing-not-valid',
      'strong_migrations: add_check_constraint',
      'django-safe-migrations: SM017',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    const [major] = ctx.config.djangoVersion;
    for (const op of databaseOperations(migration, 'AddConstraint')) {
      if (isNewTable(migration, op)) continue;
      const constraint = argument(op, 'constraint');
      if (constraint?.type !== 'call') continue;
      const kind = qualify(dottedName(constraint.childForFieldName('function')) ?? '', migration.imports).split('.').pop();
      if (kind !== 'CheckConstraint') continue;
      const table = tableFor(ctx, op);
      const nameLiteral = literal(callArguments(constraint).keywords.get('name'));
      const name = nameLiteral.kind === 'string' ? nameLiteral.value : undefined;
      const model = op.modelName ?? '…';
      const help = major >= 4
        ? `Instead, add it with \`AddConstraintNotValid\` (from \`django.contrib.postgres.operations\`): new rows are checked at once and the lock is brief; then run \`ValidateConstraint(model_name="${model}", name="${name ?? '…'}")\` in a later migration, which checks old rows without blocking reads or writes.`
        : `Instead, add it with \`RunSQL("ALTER TABLE ${table} ADD CONSTRAINT ${name ?? '…'} CHECK (…) NOT VALID", state_operations=[AddConstraint(…)])\`, then \`RunSQL("ALTER TABLE ${table} VALIDATE CONSTRAINT ${name ?? '…'}")\` in a later migration, which checks old rows without blocking reads or writes.`;
      ctx.report({
        node: op.node,
        message: `\`AddConstraint\`${name ? ` \`${name}\`` : ''} on \`${table}\` (\`${CLAIMS['AddConstraint.check'].sql}\`) ${lockClause(CLAIMS['AddConstraint.check'], { table })}.`,
        help,
      });
    }
  },
});

/** `ADD CONSTRAINT … CHECK` without `NOT VALID` in a RunSQL. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'add-constraint' || command.constraint.type !== 'check' || command.constraint.notValid) continue;
      const name = command.constraint.name;
      ctx.report({
        range: statement.range,
        message: `\`ADD CONSTRAINT … CHECK\`${name ? ` \`${name}\`` : ''} on ${describeTable(ctx, action.table)} ${sqlLockClause(SQL_CLAIMS['AddConstraint.check'], { table: action.table.key })}.`,
        help: `Instead, add the constraint \`NOT VALID\` (new rows are checked at once, the lock is brief), then \`ALTER TABLE ${action.table.key} VALIDATE CONSTRAINT ${name ?? '…'}\` in a later migration, which checks the old rows without blocking reads or writes.`,
        fixes: [sqlNotValid(statement, 'check')].filter((fix) => fix !== undefined),
      });
    }
  }
}
