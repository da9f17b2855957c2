import { columnName, isNewTable, type Operation } from '../analysis/migration';
import { exampleMigration } from './docs';
import { defineRule } from './types';

export const removeField = defineRule({
  code: 'MG202',
  name: 'remove-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Dropping a column that the running code still selects breaks it during the deploy.',
    why: 'Django selects every column a model declares. Between the migration and the end of the deploy, the old code still declares the removed field, so every query on the model fails with `column … does not exist`.',
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      dependency: ['shop', '0002_order_note'],
      operations: ['migrations.RemoveField(model_name="order", name="note"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Deploy 1: the code stops using the field; the column stays.', 'from django.db import migrations'],
      dependency: ['shop', '0002_order_note'],
      operations: [
        'migrations.SeparateDatabaseAndState(',
        '    state_operations=[migrations.RemoveField(model_name="order", name="note")],',
        '),',
      ],
      epilogue: [
        '# Deploy 2, in a later migration: drop the column once no running code declares it,',
        '# e.g. RunSQL("ALTER TABLE shop_order DROP COLUMN note", reverse_sql=...).',
      ],
    }),
    fixSafety: 'No automatic fix: the safe route spans two deploys.',
    references: [
      'django-migration-linter: DROP_COLUMN',
      'squawk: ban-drop-column',
      'strong_migrations: remove_column',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    // Step two of the safe route: the field already left the state earlier in this migration.
    const removedFromState = new Set<string>();
    const key = (op: Operation) => `${op.modelName}.${op.fieldName}`;
    for (const op of migration.operations) {
      if (op.kind !== 'RemoveField') continue;
      if (op.scope === 'state') {
        removedFromState.add(key(op));
        continue;
      }
      if (isNewTable(migration, op) || removedFromState.has(key(op))) continue;
      const column = columnName(migration, op);
      ctx.report({
        node: op.node,
        message: `\`RemoveField\` drops column \`${column}\` while the code still running selects it: its queries on the model fail until the deploy finishes.`,
        help: `Instead, first remove the field from the state only (\`SeparateDatabaseAndState(state_operations=[RemoveField(...)])\`) and deploy; drop the column in a later migration.`,
      });
    }
  },
});
