import { databaseOperations } from '../analysis/migration';
import { importedModelsUsed, runPythonCode, signature, type ImportedModel, type PythonFunction } from '../analysis/python-functions';
import { exampleMigration } from './docs';
import { defineRule } from './types';

function uses(fn: PythonFunction, model: ImportedModel): string {
  const where = fn.kind === 'lambda' ? 'The lambda passed to `RunPython`' : `\`${fn.name}\``;
  return `${where} uses \`${model.written}\` imported from \`${model.module}\``;
}

export const runPythonModelImport = defineRule({
  code: 'MG303',
  name: 'runpython-model-import',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'A data migration that imports the model class works with today\'s model, not the one at this migration.',
    why: 'A migration runs against the schema as it was at that point of the history, but `from shop.models import Order` gives the class as it is in the code today. Once a later migration adds a field, `Order.objects…` selects a column the table does not have yet and the migration fails (`column … does not exist`) on every fresh database, in CI and for every new developer; `save()` may also write columns of the wrong shape. `apps.get_model()` returns the historical model that matches the table at this migration.\n\nBoth the forward and the reverse function are checked (a `def` of the migration module, or a lambda), with the model imported at module level (`from shop.models import Order`, `from ..models import Order`, `from shop import models`) or inside the function. A model counts as used when the code reaches its manager or `_meta` (`Order.objects`, `Order._default_manager`, `Order.DoesNotExist`…). Functions imported from another module are not followed.',
    example: exampleMigration({
      imports: ['from django.db import migrations', '', 'from shop.models import Order'],
      prelude: [
        'def fill_status(apps, schema_editor):',
        '    Order.objects.filter(status="").update(status="new")',
      ],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: [
        'def fill_status(apps, schema_editor):',
        '    Order = apps.get_model("shop", "Order")',
        '    Order.objects.filter(status="").update(status="new")',
      ],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    fixSafety: 'No automatic fix: the function must take the model from its `apps` argument.',
    references: ['django-migration-linter: RUNPYTHON_MODEL_IMPORT'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'RunPython')) {
      const { forward, reverse } = runPythonCode(migration, op);
      for (const fn of [forward, reverse]) {
        if (!fn) continue;
        const [model] = importedModelsUsed(migration, fn);
        if (!model) continue;
        const first = signature(fn)?.written[0];
        const apps = first && /^\w+$/.test(first) ? first : 'apps';
        ctx.report({
          node: op.node,
          message: `${uses(fn, model)}: that is today's model class, which may declare columns the table does not have yet at this migration, so its queries fail.`,
          help: `Instead, take the historical model from the registry Django passes in: \`${model.className} = ${apps}.get_model("${model.app}", "${model.className}")\` inside the function.`,
        });
        break;
      }
    }
  },
});
