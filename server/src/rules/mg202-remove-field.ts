import { argument, columnName, databaseOperations, type Operation } from '../analysis/migration';
import type { FieldInfo } from '../analysis/summary';
import { createdInThisMigration, historyNote, migrationLabel, removedFromStateBefore, requiredOnInsert, runsAfterDeploy } from '../analysis/removals';
import { columnOf, tableOf } from '../analysis/state';
import { exampleMigration, initialMigration } from './docs';
import { defineRule, type RelatedLocation } from './types';
import { describeTable, existingTableStatements, hasColumn, tableOwner } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

export const removeField = defineRule({
  code: 'MG202',
  name: 'remove-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Dropping a column that the running code still selects breaks it during the deploy.',
    why: [
      'Django selects every column a model declares. Between the migration and the end of the deploy, the old code still declares the removed field, so every query on the model fails with `column … does not exist`.',
      '',
      'The safe route takes two deploys. Deploy 1, with the code that stops using the field: remove the field from Django\'s state only and, in the same `SeparateDatabaseAndState`, make the column nullable in the database (`database_operations=[RunSQL("ALTER TABLE … ALTER COLUMN … DROP NOT NULL", reverse_sql=RunSQL.noop)]`; on Django ≥ 5.0 an `AlterField` adding a `db_default` works too). Without that, the new code\'s inserts leave out a NOT NULL column and fail. The reverse is a no-op on purpose: the rows the new code wrote hold NULL, so `SET NOT NULL` would fail on rollback. Deploy 2, once no running code declares the field: drop the column in the database only, with `RunSQL("ALTER TABLE … DROP COLUMN …", reverse_sql=…)`. That `DROP COLUMN` of a column whose field an earlier migration removed from the state is not reported.',
      '',
      'Step two cannot be a `RemoveField`: the field is no longer in Django\'s state, so `migrate` stops with `KeyError` (also inside `SeparateDatabaseAndState(database_operations=…)`). Such a `RemoveField` is reported.',
      '',
      'The only evidence that a drop is step two is the state-only removal in an earlier migration, so a `RemoveField` is reported whenever that cannot be seen: when the migrations that created the model are not in the workspace (the message says so), and when the migration is linted alone. Both steps in one migration are reported too: they reach the database in the same deploy.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Order", [',
      '    ("id", models.BigAutoField(primary_key=True)),',
      '    ("note", models.TextField()),',
      ']),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RemoveField(model_name="order", name="note"),'],
    }),
    useInstead: exampleMigration({
      imports: [
        '# shop/migrations/0002_remove_order_note.py',
        '# Deploy 1, with the code that no longer uses `note`: the column stays, nullable so that code can insert.',
        'from django.db import migrations',
      ],
      operations: [
        'migrations.SeparateDatabaseAndState(',
        '    # Rolling back keeps it nullable: the rows written meanwhile have no value to restore NOT NULL with.',
        '    database_operations=[',
        '        migrations.RunSQL("ALTER TABLE shop_order ALTER COLUMN note DROP NOT NULL", reverse_sql=migrations.RunSQL.noop),',
        '    ],',
        '    state_operations=[migrations.RemoveField(model_name="order", name="note")],',
        '),',
      ],
    }),
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order DROP COLUMN note",',
        '    reverse_sql="ALTER TABLE shop_order ADD COLUMN note text",',
        '),',
      ],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_drop_order_note.py',
          '# Deploy 2, once no running code declares `note`: drop the column in the database only.',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0002_remove_order_note'],
        operations: [
          'migrations.RunSQL(',
          '    "ALTER TABLE shop_order DROP COLUMN note",',
          '    reverse_sql="ALTER TABLE shop_order ADD COLUMN note text NULL",',
          '),',
        ],
      }),
    ],
    fixSafety: 'No automatic fix: the safe route spans two deploys. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out: this migration removes the field from the state only (the column made nullable when it is NOT NULL without a database default), a new one drops the column with `RunSQL`, to deploy after the code.',
    references: [
      'django-migration-linter: DROP_COLUMN',
      'squawk: ban-drop-column',
      'strong_migrations: remove_column',
      'django-safe-migrations: SM002',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const project = ctx.project;
    if (runsAfterDeploy(migration)) {
      checkAfterDeploy(ctx);
      return;
    }
    checkStatements(ctx);
    for (const op of databaseOperations(migration, 'RemoveField')) {
      const state = project?.before(op) ?? {};
      if (createdInThisMigration(migration, op, state.model)) continue;
      if (!state.field && state.model) {
        // Not in the state because a state-only RemoveField took it out earlier: Django's RemoveField looks the
        // field up in the state and stops `migrate` with KeyError, so step two must be SQL.
        const removed = removedFromStateBefore(migration, project, (candidate) =>
          candidate.kind === 'RemoveField' && candidate.model === op.modelName && candidate.fieldName === op.fieldName);
        if (removed) {
          const table = tableOf(state.model);
          ctx.report({
            node: op.node,
            message: `\`RemoveField\` of \`${state.model.name}.${op.fieldName}\`, which an earlier migration removed from the state only: \`migrate\` stops with \`KeyError\` (the field is no longer in Django's state).`,
            help: `Instead, drop the column in the database only: \`RunSQL("ALTER TABLE ${table} DROP COLUMN ${op.fieldName}", reverse_sql=…)\` (the column of a relation is \`${op.fieldName}_id\`).`,
          });
          continue;
        }
      }
      const table = state.model ? tableOf(state.model) : 'unknown';
      const column = op.fieldName && state.field ? columnOf(op.fieldName, state.field.info) : 'unknown';
      const name = table !== 'unknown' && column !== 'unknown' ? `${table}.${column}` : columnName(migration, op);
      const related: RelatedLocation[] = state.field
        ? [{ ...state.field.location, message: `\`${op.fieldName}\` was last defined here (${migrationLabel(state.field.location.path)})` }]
        : [];
      ctx.report({
        node: op.node,
        message: state.field?.info?.hasColumn === false
          ? `\`RemoveField\` drops the join table of \`${state.model?.name ?? op.modelName}.${op.fieldName}\` while the code still running uses it: its queries through the field fail until the deploy finishes.`
          : `\`RemoveField\` drops column \`${name}\` while the code still running selects it: its queries on the model fail until the deploy finishes${historyNote(project, state.model, op.modelName)}.`,
        help: routeHelp(op, state.field?.info, table, column),
        related: related.length ? related : undefined,
      });
    }
  },
});

/**
 * The two-deploy route with the user's names: the state-only removal (making a NOT NULL column without a
 * database default nullable, so the new code's inserts that leave it out work), then `DROP COLUMN` in SQL.
 */
function routeHelp(op: Operation, info: FieldInfo | undefined, table: string, column: string): string {
  const modelName = argument(op, 'model_name')?.text ?? '…';
  const fieldName = argument(op, 'name')?.text ?? '…';
  const removal = `RemoveField(model_name=${modelName}, name=${fieldName})`;
  const needsNull = info?.hasColumn !== false && info?.null !== true && !info?.hasDbDefault;
  const nullable = needsNull ? `database_operations=[RunSQL("ALTER TABLE ${table === 'unknown' ? '…' : table} ALTER COLUMN ${column === 'unknown' ? '…' : column} DROP NOT NULL", reverse_sql=RunSQL.noop)], ` : '';
  const drop = info?.hasColumn === false
    ? 'drop the join table in a later migration with `RunSQL("DROP TABLE …", reverse_sql=…)`'
    : `drop the column in a later migration with \`RunSQL("ALTER TABLE ${table === 'unknown' ? '…' : table} DROP COLUMN ${column === 'unknown' ? '…' : column}", reverse_sql=…)\` (a \`RemoveField\` there would stop \`migrate\` with \`KeyError\`)`;
  return `Instead, first remove the field from the state only (\`SeparateDatabaseAndState(${nullable}state_operations=[${removal}])\`) and deploy the code that no longer uses it; then ${drop}.`;
}

/** `DROP COLUMN` in a RunSQL, on a table that existed before the migration. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      if (command.kind !== 'drop-column') continue;
      // No field of the model has the column any more (removed from the state earlier, state-only: step one of
      // the safe route), or the model left the state: the running code does not use it. The columns of a
      // ManyToManyField's table are not in the state: reported.
      const owner = tableOwner(ctx, action.table.key);
      if (owner && (owner.removed || (!owner.manyToMany && !hasColumn(owner.model, command.column)))) continue;
      const note = owner ? '' : ctx.project?.hasWorkspace
        ? ': no migration in the workspace creates a model with this table, so no earlier state-only removal is visible'
        : ': the migration is linted without its project, so no earlier state-only removal is visible';
      ctx.report({
        range: statement.range,
        message: `\`DROP COLUMN\` \`${command.column}\` of ${describeTable(ctx, action.table)}: the code still running selects and inserts the column, and its queries fail until the deploy finishes${note}.`,
        help: 'Instead, remove the field from the state only first (`SeparateDatabaseAndState(state_operations=[RemoveField(…)])`, with the column made nullable in `database_operations` when it is NOT NULL) and deploy; drop the column in a later migration.',
      });
    }
  }
}

/**
 * A migration marked to run after the deploy (django-safemigrate, django-syzygy) is step two: the code deployed
 * before it no longer selects the column. Only a column that code cannot insert without is still a hazard: until
 * the migration runs, its inserts (which leave the column out) fail.
 */
function checkAfterDeploy(ctx: SqlRuleContext): void {
  const migration = ctx.migration!;
  for (const op of databaseOperations(migration, 'RemoveField')) {
    const state = ctx.project?.before(op) ?? {};
    if (createdInThisMigration(migration, op, state.model) || !requiredOnInsert(state.field) || !state.model) continue;
    const [table, name] = [tableOf(state.model), op.fieldName ? columnOf(op.fieldName, state.field!.info) : 'unknown'];
    const column = table !== 'unknown' && name !== 'unknown' ? `${table}.${name}` : columnName(migration, op);
    ctx.report({
      node: op.node,
      message: `\`RemoveField\` runs after the deploy, but \`${column}\` is NOT NULL without a database default: inserts from the deployed code, which no longer sets it, fail until this migration runs.`,
      help: `Instead, make the column nullable (or give it a \`db_default\`) in a migration that runs before the deploy; drop it here afterwards.`,
      related: [{ ...state.field!.location, message: `\`${op.fieldName}\` was last defined here (${migrationLabel(state.field!.location.path)})` }],
    });
  }
}
