import { databaseOperations } from '../analysis/migration';
import { addNoopReverse, lacksArgument } from '../fixes/noop-reverse';
import { exampleMigration } from './docs';
import { defineRule } from './types';

const FILL_STATUS = [
  'def fill_status(apps, schema_editor):',
  '    Order = apps.get_model("shop", "Order")',
  '    Order.objects.filter(status="").update(status="new")',
];

export const runPythonNoReverse = defineRule({
  code: 'MG301',
  name: 'runpython-no-reverse',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'always',
  docs: {
    summary: '`RunPython` without `reverse_code` makes the migration irreversible.',
    why: 'A rollback of the deploy, or `migrate app 0003` in development, stops with `IrreversibleError` at this migration, exactly when you need to go back quickly. Most data migrations can be reversed by doing nothing (`RunPython.noop`); say so explicitly.',
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: FILL_STATUS,
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: FILL_STATUS,
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    fixSafety: 'Unsafe: with `reverse_code=RunPython.noop` a rollback succeeds without undoing the data change. Write a real reverse function where the data must be restored.',
    references: ['django-migration-linter: RUNPYTHON_REVERSIBLE', 'django-safe-migrations: SM016'],
  },
  check(ctx) {
    for (const op of databaseOperations(ctx.migration!, 'RunPython')) {
      if (!lacksArgument(op, 'reverse_code')) continue;
      ctx.report({
        node: op.node,
        message: '`RunPython` has no `reverse_code`: rolling back past this migration fails with `IrreversibleError`.',
        help: 'Instead, pass a reverse function, or `reverse_code=migrations.RunPython.noop` when undoing needs nothing.',
        fixes: addNoopReverse(ctx, op, 'reverse_code'),
      });
    }
  },
});
