import { argument, databaseOperations, isNewTable, type Operation } from '../analysis/migration';
import { ownMigrationAdvice } from '../fixes/concurrently';
import { sqlConcurrentFixes } from '../fixes/move-index';
import { CLAIMS, lockClause } from '../analysis/claims';
import { uniqueConstraintIsIndex } from '../analysis/operation-claims';
import { columnOf } from '../analysis/state';
import { callArguments, dottedName, literal, qualify, sequenceItems, stringValue } from '../analysis/syntax';
import type { Node } from '../base/parser';
import { exampleMigration } from './docs';
import { addedSets, columnFor, definedAt, formatSets, newField, previousField, tableFor } from '../analysis/operation-context';
import { defineRule, type RuleContext } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

/** Column names for field names, through the model state when it knows them. */
function columns(ctx: RuleContext, op: Operation, fields: string[]): string[] {
  const model = ctx.project?.before(op).model;
  return fields.map((name) => {
    const column = model && !model.uncertain ? columnOf(name, model.fields.get(name)?.info) : name;
    return column === 'unknown' ? name : column;
  });
}

function literalFields(node: Node | undefined): string[] | undefined {
  const items = sequenceItems(node);
  const names = items.map((item) => (item.type === 'string' ? stringValue(item) : undefined));
  return items.length > 0 && names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** The safe sequence, written with the user's names. */
function uniqueRoute(table: string, name: string, cols: string[] | undefined, stateOperation: string): string {
  const list = cols ? cols.join(', ') : '…';
  return `build the unique index with \`RunSQL("CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${list})")\` in a migration with \`atomic = False\`, then attach it with \`RunSQL("ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}", state_operations=[${stateOperation}])\`: only a brief lock, no scan.`;
}

export const addUniqueBlocking = defineRule({
  code: 'MG103',
  name: 'add-unique-blocking',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  claims: ['AddConstraint.unique', 'AddConstraint.uniqueCondition', 'AddConstraint.uniqueIndex', 'AddField.unique', 'AlterField.unique', 'AlterUniqueTogether', 'RunSQL.addPrimaryKey'],
  docs: {
    summary: 'Adding a unique constraint to an existing table builds its index while reads and writes wait.',
    why: '`ALTER TABLE … ADD CONSTRAINT … UNIQUE` (what Django runs for `AddConstraint(UniqueConstraint(…))`, `unique=True` on `AddField`/`AlterField` and `AlterUniqueTogether`) takes an `ACCESS EXCLUSIVE` lock and builds the unique index by scanning the whole table: every query on the table waits until it is done. A conditional or expression `UniqueConstraint` is created as `CREATE UNIQUE INDEX`, which still blocks writes. PostgreSQL can build the index `CONCURRENTLY` and then turn it into a constraint with `ADD CONSTRAINT … UNIQUE USING INDEX`, which only needs a brief lock.',
    example: exampleMigration({
      operations: [
        'migrations.AddConstraint(',
        '    model_name="order",',
        '    constraint=models.UniqueConstraint(fields=["reference"], name="order_reference_uniq"),',
        '),',
      ],
    }),
    useInstead: exampleMigration({
      attributes: ['atomic = False'],
      operations: [
        '# Build the index without blocking writes (a migration of its own: atomic = False).',
        'migrations.RunSQL(',
        '    "CREATE UNIQUE INDEX CONCURRENTLY order_reference_uniq ON shop_order (reference)",',
        '    # IF EXISTS: rolling back the next migration drops the constraint, and the index with it.',
        '    reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS order_reference_uniq",',
        '),',
      ],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_order_reference_uniq.py',
          '# Then, in the next migration, attach it (a brief lock, no scan); Django\'s state gets the constraint.',
          'from django.db import migrations, models',
        ],
        dependency: ['shop', '0002_example'],
        operations: [
          'migrations.RunSQL(',
          '    "ALTER TABLE shop_order ADD CONSTRAINT order_reference_uniq UNIQUE USING INDEX order_reference_uniq",',
          '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_reference_uniq",',
          '    state_operations=[migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(fields=["reference"], name="order_reference_uniq"))],',
          '),',
        ],
      }),
    ],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "CREATE UNIQUE INDEX order_number_uniq ON shop_order (number)",',
        '    reverse_sql="DROP INDEX order_number_uniq",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      attributes: ['atomic = False'],
      operations: [
        'migrations.RunSQL(',
        '    "CREATE UNIQUE INDEX CONCURRENTLY order_number_uniq ON shop_order (number)",',
        '    reverse_sql="DROP INDEX CONCURRENTLY order_number_uniq",',
        '),',
      ],
      epilogue: ['# A later migration can then turn it into a constraint without another scan:', '# ALTER TABLE shop_order ADD CONSTRAINT order_number_uniq UNIQUE USING INDEX order_number_uniq'],
    }),
    fixSafety: 'For `CREATE UNIQUE INDEX` in a `RunSQL` alone in its `execute` call, the fix writes `CONCURRENTLY` and sets `atomic = False`: safe when index operations are the only operations of the migration, otherwise unsafe (titled so: the other operations would run without a transaction); there a second fix, offered first, moves the index-only `RunSQL` operations, `CONCURRENTLY` written, into a new migration of their own after this one, when the workspace shows it is the only leaf of its app. No quick fix for the Django operations: their safe route spans two migrations and raw SQL. *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out for `AddConstraint(UniqueConstraint(fields=[…], name=…))`, for an `AlterUniqueTogether` that adds one set, and for `unique=True` on an `AlterField` (moved into a migration of its own when other operations come before it): `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT … UNIQUE USING INDEX` under Django\'s own name, with the operation in the state only and `atomic = False`.',
    references: [
      'django-migration-linter: ADD_UNIQUE',
      'squawk: disallowed-unique-constraint',
      'django-safe-migrations: SM011, SM021',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddConstraint', 'AddField', 'AlterField', 'AlterUniqueTogether')) {
      if (isNewTable(migration, op)) continue;
      const table = tableFor(ctx, op);
      switch (op.kind) {
        case 'AddConstraint': {
          const constraint = argument(op, 'constraint');
          if (constraint?.type !== 'call') continue;
          const kind = qualify(dottedName(constraint.childForFieldName('function')) ?? '', migration.imports).split('.').pop();
          if (kind !== 'UniqueConstraint') continue;
          const args = callArguments(constraint);
          const nameLiteral = literal(args.keywords.get('name'));
          const name = nameLiteral.kind === 'string' ? nameLiteral.value : undefined;
          const label = name ? ` \`${name}\`` : '';
          const fields = literalFields(args.keywords.get('fields'));
          const cols = fields ? columns(ctx, op, fields) : undefined;
          if (uniqueConstraintIsIndex(args)) {
            // A condition makes it a partial index (… WHERE); expressions, include or opclasses alone do not.
            const id = args.keywords.has('condition') ? 'AddConstraint.uniqueCondition' : 'AddConstraint.uniqueIndex';
            ctx.report({
              node: op.node,
              message: `\`AddConstraint\`${label} on \`${table}\` runs \`${CLAIMS[id].sql}\`, which ${lockClause(CLAIMS[id], { table })}.`,
              help: `Instead, create the index with \`RunSQL("CREATE UNIQUE INDEX CONCURRENTLY ${name ?? '…'} ON ${table} …", state_operations=[AddConstraint(…)])\` in a migration with \`atomic = False\`.`,
            });
            continue;
          }
          ctx.report({
            node: op.node,
            message: `\`AddConstraint\`${label} on \`${table}\` runs \`${CLAIMS['AddConstraint.unique'].sql}\`, which ${lockClause(CLAIMS['AddConstraint.unique'], { table })} to build its index.`,
            help: 'Instead, ' + uniqueRoute(table, name ?? `${table}_uniq`, cols, 'AddConstraint(…)'),
          });
          break;
        }
        case 'AddField': {
          const field = op.field;
          if (!field || field.unique !== true || field.primaryKey !== false || field.hasSplat) continue;
          const column = columnFor(ctx, op);
          const info = newField(ctx, op);
          const col = op.fieldName ? columnOf(op.fieldName, info) : '…';
          const impliedUnique = !field.keywords.has('unique');
          const subject = impliedUnique ? `\`AddField\` of \`${field.type}\` \`${column}\` (always unique)` : `\`AddField\` of \`${column}\` with \`unique=True\``;
          ctx.report({
            node: op.node,
            message: `${subject} builds a unique index with \`${CLAIMS['AddField.unique'].sql}\`, which ${lockClause(CLAIMS['AddField.unique'], { table })}.`,
            help: `Instead, ${impliedUnique ? 'add it as a `ForeignKey` (not unique)' : 'add the field without `unique=True`'}, then ${uniqueRoute(table, `${table}_${op.fieldName ?? 'x'}_uniq`, [col === 'unknown' ? op.fieldName ?? '…' : col], impliedUnique ? `AlterField(… ${field.type}(…))` : 'AlterField(… unique=True)')}`,
          });
          break;
        }
        case 'AlterField': {
          const before = previousField(ctx, op);
          const after = newField(ctx, op);
          if (!before || !after || !op.fieldName || !after.hasColumn) continue;
          if (after.unique !== true || before.info.unique !== false || after.primaryKey !== false || before.info.primaryKey !== false) continue;
          const column = columnFor(ctx, op);
          const cols = columns(ctx, op, [op.fieldName]);
          ctx.report({
            node: op.node,
            message: `\`AlterField\` makes \`${column}\` unique: \`${CLAIMS['AlterField.unique'].sql}\` ${lockClause(CLAIMS['AlterField.unique'], { table })}.`,
            help: 'Instead, ' + uniqueRoute(table, `${table}_${op.fieldName}_uniq`, cols, 'AlterField(… unique=True)'),
            related: definedAt(before, op.fieldName),
          });
          break;
        }
        case 'AlterUniqueTogether': {
          const model = ctx.project?.before(op).model;
          if (!model || model.uncertain) continue;
          const added = addedSets(model.uniqueTogether, ctx.project?.summary.operations[op.index]?.together);
          if (!added?.length) continue;
          const cols = columns(ctx, op, added[0]);
          ctx.report({
            node: op.node,
            message: `\`AlterUniqueTogether\` adds a UNIQUE constraint on ${formatSets(added)} of \`${table}\`: \`${CLAIMS.AlterUniqueTogether.sql}\` ${lockClause(CLAIMS.AlterUniqueTogether, { table })}.`,
            help: 'Instead, ' + uniqueRoute(table, `${table}_${cols.join('_')}_uniq`, cols, 'AlterUniqueTogether(…)'),
          });
          break;
        }
      }
    }
  },
});

/** `CREATE UNIQUE INDEX` without `CONCURRENTLY`, `ADD UNIQUE` / `ADD PRIMARY KEY` not `USING INDEX`, in a RunSQL. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const item of existingTableStatements(ctx.migration!, ctx.text, 'create-index', 'alter-table')) {
    const { statement, action } = item;
    const table = { table: action.table.key };
    if (action.kind === 'create-index') {
      if (action.concurrently || !action.unique) continue;
      ctx.report({
        range: statement.range,
        message: `\`CREATE UNIQUE INDEX\`${action.name ? ` \`${action.name}\`` : ''} on ${describeTable(ctx, action.table)} ${sqlLockClause(SQL_CLAIMS[action.partial ? 'AddConstraint.uniqueCondition' : 'AddConstraint.uniqueIndex'], table)}.`,
        help: ownMigrationAdvice(ctx, ctx.migration!, 'Instead, write `CREATE UNIQUE INDEX CONCURRENTLY` in a migration with `atomic = False` (then `ADD CONSTRAINT … UNIQUE USING INDEX` if a constraint is needed).'),
        fixes: sqlConcurrentFixes(ctx, ctx.migration!, item),
      });
      continue;
    }
    for (const command of action.commands) {
      if (command.kind !== 'add-constraint' || command.constraint.usingIndex) continue;
      const { type, name } = command.constraint;
      if (type !== 'unique' && type !== 'primary-key') continue;
      const what = type === 'unique' ? 'ADD CONSTRAINT … UNIQUE' : 'ADD PRIMARY KEY';
      ctx.report({
        range: statement.range,
        message: `\`${what}\`${name ? ` \`${name}\`` : ''} on ${describeTable(ctx, action.table)} ${sqlLockClause(SQL_CLAIMS[type === 'unique' ? 'AddConstraint.unique' : 'RunSQL.addPrimaryKey'], table)}.`,
        help: `Instead, build a unique index with \`CREATE UNIQUE INDEX CONCURRENTLY\` in a migration with \`atomic = False\`, then \`${type === 'unique' ? 'ADD CONSTRAINT … UNIQUE' : 'ADD CONSTRAINT … PRIMARY KEY'} USING INDEX\`.`,
      });
    }
  }
}
