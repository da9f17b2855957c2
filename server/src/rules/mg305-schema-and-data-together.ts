import { aLock, BLOCKS, CLAIMS } from '../analysis/claims';
import { DATABASE_ATTRIBUTES, operationClaims, strongestLock } from '../analysis/operation-claims';
import { argument, databaseOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { parseField } from '../analysis/fields';
import { doesNothing, runPythonCode, type PythonFunction } from '../analysis/python-functions';
import { callArguments, literal, sequenceItems } from '../analysis/syntax';
import type { Node } from '../base/parser';
import { tableOf } from '../analysis/state';
import { fieldInfo } from '../analysis/summary';
import { exampleMigration } from './docs';
import { defineRule, type Report, type RuleContext } from './types';

/** Operations that run DDL (state-only ones such as `AlterModelOptions` do not). */
const SCHEMA_OPERATIONS = [
  'CreateModel', 'DeleteModel', 'RenameModel', 'AlterModelTable', 'AlterModelTableComment', 'AlterUniqueTogether',
  'AlterIndexTogether', 'AlterOrderWithRespectTo', 'AddField', 'AlterField', 'RemoveField', 'RenameField', 'AddIndex',
  'RemoveIndex', 'RenameIndex', 'AddConstraint', 'RemoveConstraint', 'AddConstraintNotValid', 'ValidateConstraint',
];

/**
 * An `AlterField` counts when the history shows a change the database sees. Changing `choices`, `help_text` or
 * `verbose_name` runs no SQL, and without the history we cannot tell: no false positive from missing data.
 */
function alterFieldChangesSchema(ctx: RuleContext, op: Operation): boolean {
  const { model, field } = ctx.project?.before(op) ?? {};
  if (!model || model.uncertain || !field?.info || !op.field || op.field.hasSplat) return false;
  const before = field.info;
  const after = fieldInfo(op.field, ctx.migration!.appLabel);
  return DATABASE_ATTRIBUTES.some((key) => before[key] !== 'unknown' && after[key] !== 'unknown' && before[key] !== after[key]);
}

function table(ctx: RuleContext, migration: Migration, op: Operation): string {
  const model = ctx.project?.before(op).model;
  const known = model && !migration.createdModels.has(op.modelName ?? '') ? tableOf(model) : 'unknown';
  return known !== 'unknown' ? known : tableName(migration, op.modelName);
}

function describe(ctx: RuleContext, migration: Migration, op: Operation): string {
  const preposition = op.kind === 'CreateModel' || op.kind === 'DeleteModel' ? 'of' : 'on';
  return op.modelName ? `\`${op.kind}\` ${preposition} \`${table(ctx, migration, op)}\`` : `\`${op.kind}\``;
}

export const schemaAndDataTogether = defineRule({
  code: 'MG305',
  name: 'schema-and-data-together',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AddField.nullable', 'CreateModel.withForeignKey'],
  docs: {
    summary: 'A data migration in the same atomic migration as schema changes: "pending trigger events" errors and schema locks held for the whole backfill.',
    why: [
      'PostgreSQL runs an atomic migration in one transaction, `RunPython` included. Two things go wrong when it also changes the schema:',
      '',
      '- A schema change *after* the data change can fail with `cannot ALTER TABLE "shop_order" because it has pending trigger events`: Django creates foreign keys `DEFERRABLE INITIALLY DEFERRED`, so the rows the function changed leave checks queued until commit, and PostgreSQL refuses to alter such a table. Django\'s documentation warns against combining schema changes and `RunPython` in one migration for this reason.',
      '- A schema change *before* the data change keeps its lock (`ACCESS EXCLUSIVE` for `AddField`, `AlterField`…) until the transaction commits, that is for the whole data migration: every query on the table waits.',
      '',
      '`RunPython(..., atomic=False)` does not help in an atomic migration (Django only honours it when the migration itself is not atomic); `atomic = False` on the migration does. Not reported: `RunPython.noop` and functions that do nothing; a table created after the data change; a table created before it without foreign keys (nobody uses it yet); an `AlterField` unless the history shows that it changes the column (`choices` or `help_text` run no SQL); `RunSQL`, which this rule does not read. When only the reverse function does work, the rollback is judged.',
    ].join('\n'),
    example: exampleMigration({
      prelude: [
        'def fill_status(apps, schema_editor):',
        '    Order = apps.get_model("shop", "Order")',
        '    Order.objects.filter(status__isnull=True).update(status="new")',
      ],
      operations: [
        'migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, null=True)),',
        'migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),',
      ],
    }),
    useInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: [
        '# 0002_order_status.py holds the AddField; this migration only moves data.',
        'def fill_status(apps, schema_editor):',
        '    Order = apps.get_model("shop", "Order")',
        '    Order.objects.filter(status__isnull=True).update(status="new")',
      ],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    fixSafety: 'No automatic fix: splitting a migration changes the history other migrations depend on.',
    references: [],
  },
  check(ctx) {
    const migration = ctx.migration!;
    if (migration.atomic !== true) return;
    const schema = databaseOperations(migration, ...SCHEMA_OPERATIONS).filter((op) => op.kind !== 'AlterField' || alterFieldChangesSchema(ctx, op));
    if (schema.length === 0) return;
    for (const op of databaseOperations(migration, 'RunPython')) {
      const { forward, reverse } = runPythonCode(migration, op);
      const code = argument(op, 'code');
      if (!code) continue;
      const reverseCode = argument(op, 'reverse_code');
      const reverseWritten = !!reverseCode && literal(reverseCode).kind !== 'none';
      // Nothing runs (`RunPython.noop`, a `pass` body): no rows change, no lock is prolonged.
      const forwardWorks = !forward || !doesNothing(forward);
      const reverseWorks = reverseWritten && (!reverse || !doesNothing(reverse));
      if (forwardWorks) {
        const report = forwardHazard(ctx, migration, op, schema, `\`RunPython(${functionName(forward, code)})\``);
        if (report) ctx.report(report);
      } else if (reverseWorks) {
        // A rollback undoes the operations in reverse order: the earlier schema changes come after the reverse code.
        const undoneAfter = schema.filter((other) => other.index < op.index).pop();
        if (!undoneAfter) continue;
        const name = `\`${functionName(reverse, reverseCode!)}\``;
        ctx.report({
          node: op.node,
          message: `Rolling back runs ${name} in the same transaction as undoing the earlier ${describe(ctx, migration, undoneAfter)}: once rows changed, PostgreSQL can refuse that schema change with "pending trigger events".`,
          help: helpFor(name),
        });
      }
    }
  },
});

function functionName(fn: PythonFunction | undefined, code: Node): string {
  if (fn && fn.kind !== 'lambda') return fn.name;
  if (code.type === 'lambda') return 'lambda …';
  return code.text.length > 40 ? `${code.text.slice(0, 40)}…` : code.text;
}

function helpFor(runPython: string): string {
  return `Instead, move ${runPython} into a migration of its own (the schema change in one migration, the data in the next), or set \`atomic = False\` on this one so that each operation commits on its own.`;
}

/** Foreign keys (and many-to-many tables) lock the tables they reference until the transaction ends. */
function referencesExistingTable(migration: Migration, op: Operation): boolean {
  return sequenceItems(argument(op, 'fields')).some((pair) => {
    const field = parseField(sequenceItems(pair)[1], migration.imports);
    if (!field || !(field.isRelation || field.type === 'ManyToManyField') || field.dbConstraint === false) return false;
    const to = literal(field.to ?? field.keywords.get('to') ?? callArguments(field.node).positional[0]);
    if (to.kind !== 'string') return true;
    if (to.value === 'self') return false;
    // `"shop.Country"` or `"Country"`: a table created in this migration is not used by anyone yet.
    const [app, model] = to.value.includes('.') ? to.value.split('.') : [migration.appLabel, to.value];
    return app !== migration.appLabel || !migration.createdModels.has(model.toLowerCase());
  });
}

function forwardHazard(ctx: RuleContext, migration: Migration, op: Operation, schema: Operation[], runPython: string): Report | undefined {
  // Creating a table after the data change is harmless: it has no pending events and nobody uses it yet.
  const later = schema.find((other) => other.index > op.index && other.kind !== 'CreateModel');
  if (later) {
    return {
      node: op.node,
      message: `${runPython} runs in the same transaction as the later ${describe(ctx, migration, later)}: once rows changed, PostgreSQL can refuse that schema change with "pending trigger events".`,
      help: helpFor(runPython),
    };
  }
  // Earlier changes keep their locks during the data migration; a table created here is not used by anyone yet.
  const earlier = schema.filter((other) => other.index < op.index);
  const lockOf = (other: Operation) => (other.kind === 'CreateModel' || isNewTable(migration, other) ? undefined : strongestLock(operationClaims(ctx, other, ctx.config) ?? []));
  const locking = earlier.find((other) => lockOf(other) !== undefined);
  const lock = locking ? lockOf(locking) : undefined;
  if (locking && lock) {
    return {
      node: op.node,
      message: `${describe(ctx, migration, locking)} runs in the same transaction as ${runPython}: its ${lock} lock stays held until the data migration finishes, blocking ${BLOCKS[lock]}.`,
      help: helpFor(runPython),
    };
  }
  const created = earlier.find((other) => other.kind === 'CreateModel' && referencesExistingTable(migration, other));
  if (!created) return undefined;
  const referencedLock = CLAIMS['CreateModel.withForeignKey'].locks.referenced;
  return {
    node: op.node,
    message: `${describe(ctx, migration, created)} runs in the same transaction as ${runPython}: its foreign keys hold ${aLock(referencedLock)} on the tables they reference until the data migration finishes, blocking ${BLOCKS[referencedLock]} there.`,
    help: helpFor(runPython),
  };
}
