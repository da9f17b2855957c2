import { aLock, CLAIMS, lockClause, mainLock, WAITING } from '../analysis/claims';
import { argument, databaseOperations, isNewTable, tableName, type Operation } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { callArguments, literal } from '../analysis/syntax';
import { exampleMigration } from './docs';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import { defineRule, type RuleContext } from './types';

function constraintName(op: Operation): string | undefined {
  if (op.kind === 'ValidateConstraint') {
    const name = literal(argument(op, 'name'));
    return name.kind === 'string' ? name.value : undefined;
  }
  const constraint = argument(op, 'constraint');
  const name = constraint?.type === 'call' ? literal(callArguments(constraint).keywords.get('name')) : undefined;
  return name?.kind === 'string' ? name.value : undefined;
}

export const validateInSameTransaction = defineRule({
  code: 'MG112',
  name: 'validate-in-same-transaction',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AddConstraintNotValid', 'ValidateConstraint'],
  docs: {
    summary: 'Validating a constraint in the migration that added it `NOT VALID` scans the table under an ACCESS EXCLUSIVE lock.',
    why: [
      '`AddConstraintNotValid` runs `ALTER TABLE … ADD CONSTRAINT … NOT VALID`, which takes an ACCESS EXCLUSIVE lock but only briefly: existing rows are not checked. `ValidateConstraint` then scans the whole table, and on its own it needs only a SHARE UPDATE EXCLUSIVE lock, so reads and writes continue during the scan.',
      '',
      'In one atomic migration both statements share a transaction: the ACCESS EXCLUSIVE lock taken by the first is held until the commit, so every read and write on the table waits while the second scans it. That is exactly the outage `NOT VALID` was meant to avoid.',
    ].join('\n'),
    example: exampleMigration({
      imports: ['from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint', 'from django.db import migrations, models'],
      operations: [
        'AddConstraintNotValid(',
        '    model_name="order",',
        '    constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0"),',
        '),',
        'ValidateConstraint(model_name="order", name="order_total_gte_0"),',
      ],
    }),
    useInstead: exampleMigration({
      imports: [
        '# shop/migrations/0002_order_total_gte_0.py',
        '# Add the constraint without checking existing rows (a brief lock).',
        'from django.contrib.postgres.operations import AddConstraintNotValid',
        'from django.db import migrations, models',
      ],
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
          '# A later migration: the scan runs under SHARE UPDATE EXCLUSIVE; reads and writes continue.',
          'from django.contrib.postgres.operations import ValidateConstraint',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0002_order_total_gte_0'],
        operations: ['ValidateConstraint(model_name="order", name="order_total_gte_0"),'],
      }),
    ],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    [',
        '        "ALTER TABLE shop_order ADD CONSTRAINT order_total_pos CHECK (total >= 0) NOT VALID",',
        '        "ALTER TABLE shop_order VALIDATE CONSTRAINT order_total_pos",',
        '    ],',
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
    fixSafety: 'No automatic fix: the validation moves to a new migration file.',
    references: [
      'squawk: constraint-missing-not-valid (also reports VALIDATE in the transaction that added the constraint)',
      'strong_migrations: add_check_constraint (validate in a separate migration)',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    // Without a transaction each statement commits on its own: the ADD's lock is gone before the scan.
    if (migration.atomic !== true) return;
    checkStatements(ctx);
    const added = new Map<string, Operation>();
    const key = (op: Operation, name: string) => `${op.modelName ?? '?'}.${name}`;
    for (const op of databaseOperations(migration, 'AddConstraintNotValid', 'ValidateConstraint')) {
      const name = constraintName(op);
      if (!name) continue;
      if (op.kind === 'AddConstraintNotValid') {
        if (!isNewTable(migration, op)) added.set(key(op, name), op);
        continue;
      }
      if (!added.has(key(op, name))) continue;
      const model = ctx.project?.before(op).model;
      const known = model ? tableOf(model) : 'unknown';
      const table = known !== 'unknown' ? known : tableName(migration, op.modelName);
      const held = mainLock('AddConstraintNotValid')!;
      ctx.report({
        node: op.node,
        message: `\`ValidateConstraint\` \`${name}\` reads every row of \`${table}\` in the transaction of the \`AddConstraintNotValid\` that added it, which holds ${aLock(held)} until the commit: ${WAITING[held]} wait until the scan ends.`,
        help: `Instead, move \`ValidateConstraint(model_name=${argument(op, 'model_name')?.text ?? '…'}, name="${name}")\` to a later migration: on its own it ${lockClause(CLAIMS.ValidateConstraint, { table })}.`,
      });
    }
  },
});

/** `ADD CONSTRAINT c … NOT VALID`, then `VALIDATE CONSTRAINT c` on the same table, in the RunSQL of one atomic migration. */
function checkStatements(ctx: RuleContext): void {
  const added = new Set<string>();
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind === 'add-constraint' && command.constraint.notValid && command.constraint.name) {
        added.add(`${action.table.key}.${command.constraint.name}`);
      }
      if (command.kind !== 'validate-constraint' || !added.has(`${action.table.key}.${command.name}`)) continue;
      const held = mainLock('AddConstraintNotValid')!;
      ctx.report({
        range: statement.range,
        message: `\`VALIDATE CONSTRAINT\` \`${command.name}\` reads every row of ${describeTable(ctx, action.table)} in the transaction of the \`ADD CONSTRAINT … NOT VALID\` that added it, which holds ${aLock(held)} until the commit: ${WAITING[held]} wait until the scan ends.`,
        help: `Instead, move \`VALIDATE CONSTRAINT ${command.name}\` to a later migration: on its own it ${lockClause(CLAIMS.ValidateConstraint, { table: action.table.key })}.`,
      });
    }
  }
}
