import { databaseOperations, isNewTable, type Operation } from '../analysis/migration';
import { STATEMENT_LOCKS } from '../analysis/locks';
import { columnOf, tableOf } from '../analysis/state';
import type { FieldInfo } from '../analysis/summary';
import { exampleMigration } from './docs';
import { columnFor, definedAt, newField, previousField, tableFor } from './mg101-add-index-blocking';
import { defineRule, type RuleContext } from './types';

/** The referenced table: from the project state when the target model is known there. */
function referencedTable(ctx: RuleContext, info: FieldInfo): string {
  const target = info.to;
  if (!target || target === 'unknown' || target === '__auth_user_model__') return 'the referenced table';
  const created = target.startsWith(`${ctx.migration!.appLabel}.`) ? ctx.migration!.createdModels.get(target.split('.')[1]) : undefined;
  if (created) return `\`${created.dbTable ?? target.replace('.', '_')}\``;
  const model = ctx.project?.stateBefore.get(target);
  const table = model && !model.deleted && !model.uncertain ? tableOf(model) : 'unknown';
  return table !== 'unknown' ? `\`${table}\`` : `the table of \`${target}\``;
}

function report(ctx: RuleContext, op: Operation, info: FieldInfo, what: string, related?: ReturnType<typeof definedAt>): void {
  const table = tableFor(ctx, op);
  const target = referencedTable(ctx, info);
  const column = op.fieldName ? columnOf(op.fieldName, info) : 'unknown';
  const col = column === 'unknown' ? '…' : column;
  const lock = STATEMENT_LOCKS.addForeignKey;
  ctx.report({
    node: op.node,
    message: `${what}: \`ADD CONSTRAINT … FOREIGN KEY\` takes a ${lock.lock} lock on \`${table}\` and ${target}, so inserts, updates and deletes on both wait while every row of \`${table}\` is checked.`,
    help: `Instead, declare the field with \`db_constraint=False\`; in a later migration add the constraint with \`RunSQL("ALTER TABLE ${table} ADD CONSTRAINT … FOREIGN KEY (${col}) REFERENCES … NOT VALID", state_operations=[AlterField(… db_constraint=True)])\`, and run \`ALTER TABLE ${table} VALIDATE CONSTRAINT …\` in the migration after that: validation does not block writes.`,
    related,
  });
}

export const addForeignKeyValidating = defineRule({
  code: 'MG105',
  name: 'add-foreign-key-validating',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Adding a foreign key constraint to an existing table blocks writes on both tables while every row is checked.',
    why: 'For a `ForeignKey` or `OneToOneField` Django runs `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … REFERENCES …`. PostgreSQL takes a `SHARE ROW EXCLUSIVE` lock on the table and on the referenced table and checks every existing row before it returns: inserts, updates and deletes on both tables wait for the whole scan (and in an atomic migration that added the column, reads wait too). Added `NOT VALID`, the constraint is enforced for new writes at once with a brief lock; `VALIDATE CONSTRAINT` later checks the old rows without blocking writes.',
    example: exampleMigration({
      operations: [
        'migrations.AddField(',
        '    model_name="order",',
        '    name="coupon",',
        '    field=models.ForeignKey(null=True, db_index=False, on_delete=models.SET_NULL, to="shop.coupon"),',
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
      epilogue: [
        '# Next migration: RunSQL("ALTER TABLE shop_order ADD CONSTRAINT order_coupon_fk FOREIGN KEY (coupon_id)',
        '#     REFERENCES shop_coupon (id) DEFERRABLE INITIALLY DEFERRED NOT VALID",',
        '#     state_operations=[AlterField(model_name="order", name="coupon", field=models.ForeignKey(...))])',
        '# The one after: RunSQL("ALTER TABLE shop_order VALIDATE CONSTRAINT order_coupon_fk").',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans several migrations and raw SQL.',
    references: [
      'squawk: adding-foreign-key-constraint',
      'squawk: constraint-missing-not-valid',
      'strong_migrations: add_foreign_key',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddField', 'AlterField')) {
      if (isNewTable(migration, op)) continue;
      const after = newField(ctx, op);
      if (!after || !after.isRelation || after.dbConstraint !== true || !after.hasColumn) continue;
      const column = columnFor(ctx, op);
      if (op.kind === 'AddField') {
        report(ctx, op, after, `\`AddField\` of \`${after.type}\` \`${column}\` adds a foreign key`);
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
      if (what) report(ctx, op, after, what, definedAt(before, op.fieldName));
    }
  },
});
