import { argument, databaseOperations, type Migration, type Operation } from '../analysis/migration';
import {
  functionScope, isWholeTable, MANAGER_TEXT, modelOf, querySetChain, runPythonCode, type FunctionScope, type PythonFunction, type QuerySetChain,
} from '../analysis/python-functions';
import { tableOf } from '../analysis/state';
import { callArguments, isTrue } from '../analysis/syntax';
import type { Node } from '../base/parser';
import { exampleMigration } from './docs';
import { defineRule, type RuleContext } from './types';

type Pattern = 'update' | 'delete' | 'bulk_update' | 'loop-save' | 'loop';
/** The most harmful first: one statement over the whole table, then row-by-row writes, then reads. */
const PRIORITY: Pattern[] = ['update', 'delete', 'bulk_update', 'loop-save', 'loop'];

interface Finding {
  pattern: Pattern;
  chain: QuerySetChain;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'generator_expression', 'set_comprehension', 'dictionary_comprehension']);

function comprehensionSource(node: Node | undefined): Node | undefined {
  if (!node || !COMPREHENSIONS.has(node.type)) return undefined;
  return node.namedChildren.find((child) => child?.type === 'for_in_clause')?.childForFieldName('right') ?? undefined;
}

function savesInside(body: Node | null): boolean {
  return !!body?.descendantsOfType('call').some((call) => {
    const callee = call.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'save';
  });
}

/** Whole-table updates, deletes and loops in the function body. */
function findings(scope: FunctionScope, body: Node): Finding[] {
  const found: Finding[] = [];
  const whole = (expr: Node | null | undefined) => {
    const chain = querySetChain(scope, expr);
    return isWholeTable(chain) ? chain : undefined;
  };
  for (const node of body.descendantsOfType(['call', 'for_statement', 'for_in_clause'])) {
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (method === 'update' || method === 'delete') {
        const chain = whole(callee!.childForFieldName('object'));
        // A manager has no `delete()`: only `Order.objects.all().delete()` deletes.
        if (chain && (method === 'update' || chain.methods.length > 0)) found.push({ pattern: method, chain });
      } else if (method === 'bulk_update') {
        const args = callArguments(node);
        const objects = args.positional[0] ?? args.keywords.get('objs');
        const chain = whole(comprehensionSource(objects) ?? objects);
        if (chain) found.push({ pattern: 'bulk_update', chain });
      }
    } else if (node.type === 'for_statement') {
      const chain = whole(node.childForFieldName('right'));
      if (chain) found.push({ pattern: savesInside(node.childForFieldName('body')) ? 'loop-save' : 'loop', chain });
    } else {
      const chain = whole(node.childForFieldName('right'));
      if (chain) found.push({ pattern: 'loop', chain });
    }
  }
  return found;
}

interface Target {
  table: string;
  /** The model's variable in the function, for the help's example. */
  variable: string;
  /** Created earlier in this migration: an empty table, nothing to batch. */
  isNew: boolean;
}

function target(ctx: RuleContext, migration: Migration, op: Operation, scope: FunctionScope, chain: QuerySetChain): Target {
  const model = modelOf(scope, chain.model);
  const variable = chain.model.type === 'identifier' ? chain.model.text : model?.model ?? 'Model';
  if (!model) return { table: `\`${chain.model.text}\``, variable, isNew: false };
  const name = model.model.toLowerCase();
  const created = model.app === migration.appLabel ? migration.createdModels.get(name) : undefined;
  if (created) return { table: `\`${created.dbTable ?? `${model.app}_${name}`}\``, variable, isNew: created.index < op.index };
  const known = ctx.project?.stateBefore.get(`${model.app}.${name}`);
  const table = known && !known.deleted ? tableOf(known) : 'unknown';
  return { table: `\`${table !== 'unknown' ? table : `${model.app}_${name}`}\``, variable, isNew: false };
}

function message(fn: PythonFunction, pattern: Pattern, table: string, inTransaction: boolean): string {
  const who = fn.kind === 'lambda' ? 'The `RunPython` lambda' : `\`${fn.name}\``;
  const locked = inTransaction ? 'every row stays locked until the migration commits' : 'every row stays locked until it finishes';
  switch (pattern) {
    case 'update':
      return `${who} updates every row of ${table} in one \`UPDATE\`: on a big table it is one long statement, and ${locked}.`;
    case 'delete':
      return `${who} deletes every row of ${table} in one statement: on a big table it runs long, and ${locked}.`;
    case 'bulk_update':
      return `${who} loads every row of ${table} into memory and rewrites them with one \`bulk_update\`: memory grows with the table${inTransaction ? ', and every row stays locked until the migration commits' : ''}.`;
    case 'loop-save':
      return `${who} loads every row of ${table} at once and saves them one by one${inTransaction ? ' in a single transaction' : ''}: memory grows with the table${inTransaction ? ', and every saved row stays locked until the migration commits' : ''}.`;
    case 'loop':
      return `${who} loads every row of ${table} into memory at once: memory grows with the table.`;
  }
}

export const unbatchedBackfill = defineRule({
  code: 'MG306',
  name: 'unbatched-backfill',
  fileKinds: ['migration'],
  defaultSeverity: 'info',
  fix: 'never',
  docs: {
    summary: 'A data migration that updates or iterates a whole table in one go.',
    why: [
      'A backfill written as `Order.objects.update(...)`, `for order in Order.objects.all(): order.save()` or a `bulk_update` of `.all()` is fine on a development database and slow on a production one: one `UPDATE` over millions of rows, or every row loaded into memory at once. In an atomic migration all of it is one transaction, so every updated row stays locked (the application\'s writes to those rows wait) until the migration commits, and the dead row versions pile up for VACUUM.',
      '',
      'Work in batches instead: iterate with `.iterator(chunk_size=…)`, or update by primary-key ranges, and make the migration non-atomic (`atomic = False`) so that each batch commits on its own and can be resumed. Querysets that filter, slice or use `iterator()` are not reported, nor tables created earlier in the same migration. Only the forward function is checked.',
    ].join('\n'),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: [
        'def fill_status(apps, schema_editor):',
        '    Order = apps.get_model("shop", "Order")',
        '    Order.objects.update(status="new")',
      ],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: [
        'def fill_status(apps, schema_editor):',
        '    Order = apps.get_model("shop", "Order")',
        '    last = Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0',
        '    for start in range(0, last + 1, 1000):',
        '        Order.objects.filter(pk__gte=start, pk__lt=start + 1000, status="").update(status="new")',
      ],
      attributes: ['atomic = False  # each batch commits on its own'],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.RunPython(fill_status, reverse_code=migrations.RunPython.noop),'],
    }),
    fixSafety: 'No automatic fix: the batch size and the order of the work depend on the data.',
    references: ['django-safe-migrations: SM026, SM008'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'RunPython')) {
      const { forward } = runPythonCode(migration, op);
      if (!forward?.body || !MANAGER_TEXT.test(forward.body.text)) continue;
      const scope = functionScope(migration, forward);
      const found = findings(scope, forward.body)
        .map((finding) => ({ ...finding, target: target(ctx, migration, op, scope, finding.chain) }))
        .filter((finding) => !finding.target.isNew)
        .sort((a, b) => PRIORITY.indexOf(a.pattern) - PRIORITY.indexOf(b.pattern));
      const [first] = found;
      if (!first) continue;
      const inTransaction = migration.atomic !== false || isTrue(argument(op, 'atomic'));
      const model = first.target.variable;
      ctx.report({
        node: op.node,
        message: message(forward, first.pattern, first.target.table, inTransaction),
        help: `Instead, work in batches: iterate with \`.iterator(chunk_size=1000)\` and save in chunks, or update by primary-key ranges (\`${model}.objects.filter(pk__gte=start, pk__lt=start + 1000).update(...)\`), in a migration with \`atomic = False\` so that each batch commits on its own.`,
      });
    }
  },
});
