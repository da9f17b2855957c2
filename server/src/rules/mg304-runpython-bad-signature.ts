import { databaseOperations } from '../analysis/migration';
import { acceptsTwoPositional, runPythonCode, signature, type PythonFunction, type Signature } from '../analysis/python-functions';
import { exampleMigration } from './docs';
import { defineRule } from './types';

function plural(count: number, word: string): string {
  return count === 0 ? `no ${word}s` : `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** What is wrong with the parameters, e.g. "takes 1 positional argument". */
function problem(sig: Signature): string {
  if (sig.requiredKeywordOnly.length > 0) return `requires the keyword-only argument \`${sig.requiredKeywordOnly[0]}\``;
  if (sig.requiredPositional > 2) return `requires ${plural(sig.requiredPositional, 'argument')}`;
  return `takes ${plural(sig.requiredPositional + sig.optionalPositional, 'positional argument')}`;
}

function display(fn: PythonFunction, sig: Signature): string {
  return fn.kind === 'lambda' ? `\`lambda${sig.written.length ? ` ${sig.written.join(', ')}` : ''}: …\`` : `\`${fn.name}(${sig.written.join(', ')})\``;
}

interface Bad {
  fn: PythonFunction;
  sig: Signature;
  reverse: boolean;
}

export const runPythonBadSignature = defineRule({
  code: 'MG304',
  name: 'runpython-bad-signature',
  fileKinds: ['migration'],
  defaultSeverity: 'error',
  fix: 'never',
  docs: {
    summary: 'The function given to `RunPython` cannot be called with `(apps, schema_editor)`: the migration fails.',
    why: 'Django calls the forward and the reverse functions of `RunPython` with exactly two positional arguments, the historical app registry and the schema editor. A function that takes fewer, requires more, or requires a keyword-only argument raises `TypeError` when the migration is applied (or rolled back, for `reverse_code`), after the operations before it already ran. The names are free; only the shape matters (`*args` accepts anything). Decorated functions and functions imported from another module are not checked: their signature is not known.',
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      prelude: [
        'def fill_status(apps):',
        '    Order = apps.get_model("shop", "Order")',
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
    fixSafety: 'No automatic fix: what the function needs from extra parameters is up to you.',
    references: ['django-migration-linter: RUNPYTHON_ARGS_NAMING_CONVENTION (checks the names; MG304 checks that the call works)'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'RunPython')) {
      const { forward, reverse } = runPythonCode(migration, op);
      const bad: Bad[] = [];
      for (const [fn, isReverse] of [[forward, false], [reverse, true]] as const) {
        const sig = fn ? signature(fn) : undefined;
        if (fn && sig && !acceptsTwoPositional(sig) && !bad.some((known) => known.fn.node.startIndex === fn.node.startIndex)) bad.push({ fn, sig, reverse: isReverse });
      }
      if (bad.length === 0) continue;
      const [first, second] = bad;
      const when = first.reverse ? 'rolling back the migration' : 'the migration';
      const also = second ? ` The reverse function ${display(second.fn, second.sig)} ${problem(second.sig)} too.` : '';
      ctx.report({
        node: op.node,
        message: `${display(first.fn, first.sig)} ${problem(first.sig)}, but \`RunPython\` calls it with two, \`(apps, schema_editor)\`: ${when} fails with \`TypeError\`.${also}`,
        help: first.fn.kind === 'lambda'
          ? 'Instead, give the lambda two parameters: `lambda apps, schema_editor: …`.'
          : `Instead, define it as \`def ${first.fn.name}(apps, schema_editor):\` (any names; further parameters need defaults).`,
      });
    }
  },
});
