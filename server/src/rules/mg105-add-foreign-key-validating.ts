import { databaseOperations, isNewTable, type Operation } from '../analysis/migration';
import { sqlNotValid } from '../fixes/sql-not-valid';
import { CLAIMS, lockClause, type ClaimId } from '../analysis/claims';
import { columnOf } from '../analysis/state';
import type { FieldInfo } from '../analysis/summary';
import { exampleMigration } from './docs';
import { columnFor, definedAt, newField, previousField, tableFor, tableOfModel } from '../analysis/operation-context';
import { defineRule, type RuleContext } from './types';
import { CLAIMS as SQL_CLAIMS, lockClause as sqlLockClause } from '../analysis/claims';
import { describeTable, existingTableStatements } from '../analysis/sql-tables';
import type { RuleContext as SqlRuleContext } from './types';

function report(ctx: RuleContext, op: Operation, info: FieldInfo, id: ClaimId, what: string, related?: ReturnType<typeof definedAt>): void {
  const table = tableFor(ctx, op);
  const tables = { table, referenced: tableOfModel(ctx, info.to) };
  const column = op.fieldName ? columnOf(op.fieldName, info) : 'unknown';
  const col = column === 'unknown' ? '…' : column;
  ctx.report({
    node: op.node,
    message: `${what}: \`${CLAIMS[id].sql}\` ${lockClause(CLAIMS[id], tables)}.`,
    help: `Instead, declare the field with \`db_constraint=False\`; in a later migration add the constraint with \`RunSQL("ALTER TABLE ${table} ADD CONSTRAINT … FOREIGN KEY (${col}) REFERENCES … NOT VALID", state_operations=[AlterField(… db_constraint=True)])\`, and run \`ALTER TABLE ${table} VALIDATE CONSTRAINT …\` in the migration after that: validation then ${lockClause(CLAIMS.ValidateConstraint, { table })}.`,
    related,
  });
}

export const addForeignKeyValidating = defineRule({
  code: 'MG105',
  name: 'add-foreign-key-validating',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  claims: ['AddField.foreignKeyWithDefault', 'AlterField.foreignKeyConstraint', 'AddField.foreignKeyNoIndex', 'RunSQL.addForeignKeyNotValid', 'ValidateConstraint'],
  docs: {
    summary: 'A foreign key constraint that existing rows must satisfy blocks writes on both tables while every row is checked.',
    why: 'When `AlterField` turns on the constraint of a `ForeignKey`/`OneToOneField` (from `db_constraint=False`, from another field type, or to another table), Django runs `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`: PostgreSQL takes a `SHARE ROW EXCLUSIVE` lock on the table and on the referenced table and reads both in full to check every row before it returns, so inserts, updates and deletes on both wait for the whole check. `AddField` of a foreign key with a default is worse: the column is added under an `ACCESS EXCLUSIVE` lock, so reads of the table wait too. (A new nullable foreign key without a default has only NULLs: PostgreSQL has nothing to check and takes its locks briefly; MG101 reports its index.) Added `NOT VALID`, the constraint is enforced for new writes at once, and the rows already there are not read: both tables are locked in SHARE ROW EXCLUSIVE mode (inserts, updates and deletes wait, reads go on), with no scan; `VALIDATE CONSTRAINT` later checks the old rows under a `SHARE UPDATE EXCLUSIVE` lock, without blocking writes.',
    example: exampleMigration({
      operations: [
        'migrations.AddField(',
        '    model_name="order",',
        '    name="coupon",',
        '    field=models.ForeignKey(default=1, db_index=False, on_delete=models.PROTECT, to="shop.coupon"),',
        '    preserve_default=False,',
        '),',
      ],
    }),
    useInstead: exampleMigration({
      operations: [
        'migrations.AddField(',
        '    model_name="order",',
        '    name="coupon",',
        '    field=models.ForeignKey(null=True, db_index=False, db_constraint=False, on_delete=models.SET_NULL, to="shop.coupon"),',
        '),',
      ],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_order_coupon_fk.py',
          '# Next migration: the constraint, NOT VALID (SHARE ROW EXCLUSIVE on both tables, no scan); Django\'s state gets db_constraint=True.',
          'from django.db import migrations, models',
        ],
        dependency: ['shop', '0002_example'],
        operations: [
          'migrations.RunSQL(',
          '    "ALTER TABLE shop_order ADD CONSTRAINT order_coupon_fk FOREIGN KEY (coupon_id) REFERENCES shop_coupon (id) DEFERRABLE INITIALLY DEFERRED NOT VALID",',
          '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_coupon_fk",',
          '    state_operations=[',
          '        migrations.AlterField(model_name="order", name="coupon", field=models.ForeignKey(null=True, db_index=False, on_delete=models.SET_NULL, to="shop.coupon")),',
          '    ],',
          '),',
        ],
      }),
      exampleMigration({
        imports: [
          '# shop/migrations/0004_validate_order_coupon_fk.py',
          '# The one after: checks the existing rows without blocking writes.',
          'from django.db import migrations',
        ],
        dependency: ['shop', '0003_order_coupon_fk'],
        operations: ['migrations.RunSQL("ALTER TABLE shop_order VALIDATE CONSTRAINT order_coupon_fk", reverse_sql=migrations.RunSQL.noop),'],
      }),
    ],
    sqlExample: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD CONSTRAINT order_customer_fk FOREIGN KEY (customer_id) REFERENCES shop_customer (id)",',
        '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_customer_fk",',
        '),',
      ],
    }),
    sqlUseInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: [
        'migrations.RunSQL(',
        '    "ALTER TABLE shop_order ADD CONSTRAINT order_customer_fk FOREIGN KEY (customer_id) REFERENCES shop_customer (id) NOT VALID",',
        '    reverse_sql="ALTER TABLE shop_order DROP CONSTRAINT order_customer_fk",',
        '),',
      ],
      epilogue: ['# Then, in a later migration: ALTER TABLE shop_order VALIDATE CONSTRAINT order_customer_fk'],
    }),
    fixSafety: 'For `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` in a `RunSQL` (the statement\'s only command), an unsafe fix appends `NOT VALID`: the rows already in the table are then not checked until `VALIDATE CONSTRAINT` runs, which you must write in a later migration. No fix for the Django operations: their safe route spans several migrations and raw SQL. For an `AlterField` that turns on the constraint of an existing foreign key, *Rewrite as safe steps* (the code action, or `migration-guard rewrite FILE:LINE`) writes it out: this migration adds the constraint `NOT VALID` under the name Django would give it (`RunSQL`, with the `AlterField` in the state only), a new one runs `VALIDATE CONSTRAINT`. For an `AddField` of a new nullable foreign key with a default, it adds the column without its constraint (and without its index) and the constraint `NOT VALID` in this migration (`SeparateDatabaseAndState`, the `AddField` in the state); with an index (`db_index=True`, the default), a new migration with `atomic = False` builds it `CONCURRENTLY` under Django\'s name; a last one runs `VALIDATE CONSTRAINT`. A NOT NULL foreign key is not rewritten (the action says to make it nullable first, MG201).',
    references: [
      'squawk: adding-foreign-key-constraint',
      'squawk: constraint-missing-not-valid',
      'strong_migrations: add_foreign_key',
      'django-safe-migrations: SM005',
    ],
  },
  check(ctx) {
    checkStatements(ctx);
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddField', 'AlterField')) {
      if (isNewTable(migration, op)) continue;
      const after = newField(ctx, op);
      if (!after || !after.isRelation || after.dbConstraint !== true || !after.hasColumn) continue;
      const column = columnFor(ctx, op);
      if (op.kind === 'AddField') {
        // A new column without a default holds only NULLs: PostgreSQL has no row to check (AddField.foreignKey*).
        if (!after.hasDefault && !after.hasDbDefault) continue;
        report(ctx, op, after, 'AddField.foreignKeyWithDefault', `\`AddField\` of \`${after.type}\` \`${column}\` with a default adds a foreign key that every row must satisfy`);
        continue;
      }
      const before = previousField(ctx, op);
      if (!before || !op.fieldName) continue;
      const old = before.info;
      let what: string | undefined;
      if (!old.isRelation) what = `\`AlterField\` turns \`${column}\` into a \`${after.type}\``;
      else if (old.dbConstraint === false) what = `\`AlterField\` turns on the foreign key constraint of \`${column}\``;
      else if (old.dbConstraint === true && typeof old.to === 'string' && typeof after.to === 'string' && old.to !== after.to && old.to !== 'unknown' && after.to !== 'unknown') {
        what = `\`AlterField\` points \`${column}\` at \`${after.to}\` instead of \`${old.to}\``;
      }
      if (what) report(ctx, op, after, 'AlterField.foreignKeyConstraint', what, definedAt(before, op.fieldName));
    }
  },
});

/** `ADD CONSTRAINT … FOREIGN KEY` without `NOT VALID`, or `ADD COLUMN … DEFAULT … REFERENCES`, in a RunSQL. */
function checkStatements(ctx: SqlRuleContext): void {
  for (const { statement, action } of existingTableStatements(ctx.migration!, ctx.text, 'alter-table')) {
    for (const command of action.commands) {
      const foreignKey = command.kind === 'add-constraint' && command.constraint.type === 'foreign-key' && !command.constraint.notValid;
      const referencingColumn = command.kind === 'add-column' && command.references !== undefined && command.default !== undefined;
      if (!foreignKey && !referencingColumn) continue;
      const referenced = command.kind === 'add-constraint' ? command.constraint.references : command.kind === 'add-column' ? command.references : undefined;
      const id = foreignKey ? 'AlterField.foreignKeyConstraint' : 'AddField.foreignKeyWithDefault';
      ctx.report({
        range: statement.range,
        message: `\`${foreignKey ? 'ADD CONSTRAINT … FOREIGN KEY' : 'ADD COLUMN … DEFAULT … REFERENCES'}\` on ${describeTable(ctx, action.table)}${referenced ? ` to ${describeTable(ctx, referenced)}` : ''} ${sqlLockClause(SQL_CLAIMS[id], { table: action.table.key, referenced: referenced?.key })}.`,
        help: foreignKey
          ? `Instead, add the constraint \`NOT VALID\` (new rows are checked at once), then \`ALTER TABLE ${action.table.key} VALIDATE CONSTRAINT ${command.kind === 'add-constraint' ? command.constraint.name ?? '…' : '…'}\` in a later migration, which checks the old rows without blocking writes.`
          : 'Instead, add the column nullable without a default, add the foreign key `NOT VALID`, backfill, then `VALIDATE CONSTRAINT` in a later migration.',
        fixes: foreignKey ? [sqlNotValid(statement, 'foreign-key')].filter((fix) => fix !== undefined) : [],
      });
    }
  }
}
