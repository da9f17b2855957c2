import { exampleMigration } from './docs';
import { columnFor, definedAt } from '../analysis/operation-context';
import { becomesNotNull } from '../analysis/operation-context';
import { ORDER_NOTE_HISTORY } from './docs';
import { defineRule } from './types';

/**
 * The rolling-deploy half of MG106, for the databases MG106 does not cover: on PostgreSQL, MG106's message
 * already says that old code may still write NULL (together with the lock it explains).
 */
export const setNotNullOldCode = defineRule({
  code: 'MG206',
  name: 'set-not-null-old-code',
  fileKinds: ['migration'],
  databases: ['mysql', 'sqlite', 'oracle'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    exampleConfig: { database: 'mysql' },
    summary: 'Making a nullable column NOT NULL breaks the code still running if it writes NULL there.',
    why: 'During a rolling deploy the old code keeps running after the migration. If it still saves the model with the field left empty, or inserts rows without it, its writes fail with a NOT NULL violation (`IntegrityError`) until every server runs the new code. On PostgreSQL, MG106 reports this together with the table scan `SET NOT NULL` causes. Not reported when the field already had a `default` before the change: that is the second deploy of the safe route, and the code still running fills the field itself.',
    example: exampleMigration({
      imports: ['# with database = "mysql"', 'from django.db import migrations, models'],
      operations: ['migrations.AlterField(model_name="order", name="note", field=models.TextField(default="")),'],
    }),
    useInstead: exampleMigration({
      imports: [
        '# shop/migrations/0002_order_note_default.py',
        '# Deploy 1, with code that always sets `note` (e.g. default=""); backfill NULL rows in batches.',
        'from django.db import migrations, models',
      ],
      operations: ['migrations.AlterField(model_name="order", name="note", field=models.TextField(null=True, default="")),'],
    }),
    followUps: [
      exampleMigration({
        imports: [
          '# shop/migrations/0003_order_note_not_null.py',
          '# Deploy 2, once no running code writes NULL (the code of deploy 1 fills `note` by default).',
          'from django.db import migrations, models',
        ],
        dependency: ['shop', '0002_order_note_default'],
        operations: ['migrations.AlterField(model_name="order", name="note", field=models.TextField(default="")),'],
      }),
    ],
    history: ORDER_NOTE_HISTORY,
    fixSafety: 'No automatic fix: the safe route spans two deploys.',
    references: ['django-migration-linter: NOT_NULL'],
  },
  check(ctx) {
    const [major] = ctx.config.djangoVersion;
    for (const { op, before } of becomesNotNull(ctx)) {
      // The route's second deploy: the code deployed with the previous migration already fills the field.
      if (before.info.hasDefault) continue;
      const name = op.fieldName!;
      const setIt = major >= 5 ? 'give it a `default`, and a `db_default` so inserts that leave it out still work' : 'give it a `default`';
      ctx.report({
        node: op.node,
        message: `\`AlterField\` makes \`${columnFor(ctx, op)}\` NOT NULL while the code still running may write NULL to it: its inserts and updates fail until the deploy finishes.`,
        help: `Instead, first deploy code that always sets \`${name}\` (${setIt}) and backfill the NULL rows; make the column NOT NULL in a later migration, once no running code writes NULL.`,
        related: definedAt(before, name, ' (null=True)'),
      });
    }
  },
});
