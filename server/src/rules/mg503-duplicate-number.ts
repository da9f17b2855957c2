import { nodeKey, type MigrationGraph } from '../analysis/graph';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule } from './types';

function numberOf(name: string): string | undefined {
  return /^(\d+)_/.exec(name)?.[1];
}

/**
 * Per migration key, the other migrations of its app with its number that it must be renumbered against, for the
 * whole graph at once: migrations grouped by app and number (one pass, not every migration against its app's
 * list), each pair judged once, the descendants of a migration walked once.
 */
const duplicatesByGraph = new WeakMap<MigrationGraph, Map<string, string[]>>();

function duplicatesOf(graph: MigrationGraph): Map<string, string[]> {
  let found = duplicatesByGraph.get(graph);
  if (found) return found;
  found = new Map();
  duplicatesByGraph.set(graph, found);
  const descendants = new Map<string, Set<string>>();
  const after = (key: string) => {
    let set = descendants.get(key);
    if (!set) descendants.set(key, (set = graph.descendants(key)));
    return set;
  };
  const squash = (key: string) => graph.replacedBy.get(key);
  for (const [app, names] of graph.apps) {
    const byNumber = new Map<string, string[]>();
    for (const name of names) {
      const number = numberOf(name);
      if (!number) continue;
      const same = byNumber.get(number);
      if (same) same.push(name);
      else byNumber.set(number, [name]);
    }
    for (const same of byNumber.values()) {
      if (same.length < 2) continue;
      for (const name of same) {
        const me = nodeKey(app, name);
        const others = same.filter((other) => {
          if (other === name) return false;
          const otherKey = nodeKey(app, other);
          // A squashed migration and what it replaces, or two migrations squashed together, are fine.
          if (squash(otherKey) === me || squash(me) === otherKey || (squash(otherKey) && squash(otherKey) === squash(me))) return false;
          const afterMe = after(me);
          const afterOther = after(otherKey);
          // Once per pair, on the newer file: the one that depends on the other, else the later in the graph's order.
          if (afterOther.has(me)) return true;
          if (afterMe.has(otherKey)) return false;
          // Two branches a merge migration already joined: deployed as they are, renaming them is no longer possible.
          for (const node of afterOther) if (afterMe.has(node)) return false;
          return graph.position(me) > graph.position(otherKey);
        });
        if (others.length > 0) found.set(me, others);
      }
    }
  }
  return found;
}

export const duplicateNumber = defineRule({
  code: 'MG503',
  name: 'duplicate-number',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Two migrations of one app share a number prefix.',
    why: 'Two `0002_…` files in one app usually mean two branches each added a migration: the numbers no longer tell the order they run in, and `--fake`, `sqlmigrate` or `migrate app 0002` become ambiguous. Renumbering is only possible before the migration is applied anywhere, so the finding goes once per pair, on the newer file (the one that depends on the other, else the later in the graph). Once a merge migration depends on both, they have run somewhere and Django knows their order: nothing is reported. A squashed migration that shares the number of a migration it replaces is fine too.',
    example: exampleMigration({
      imports: ['# shop/migrations/0002_order_note.py (0002_order_status.py exists)', 'from django.db import migrations, models'],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    useInstead: exampleMigration({
      imports: ['# shop/migrations/0003_order_note.py', 'from django.db import migrations, models'],
      dependency: ['shop', '0002_order_status'],
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    history: [
      CREATE_ORDER,
      exampleMigration({
        imports: ['# shop/migrations/0002_order_status.py', 'from django.db import migrations, models'],
        operations: ['migrations.AddField(model_name="order", name="status", field=models.TextField(null=True)),'],
      }),
    ],
    fixSafety: 'No automatic fix: rename the newer file to the next free number (and the dependencies that name it), before it runs anywhere.',
    references: [],
  },
  check(ctx) {
    const project = ctx.project!;
    if (!project.hasWorkspace) return;
    const { app, name } = project.summary;
    const number = numberOf(name);
    if (!number) return;
    const { graph } = project;
    const others = duplicatesOf(graph).get(project.key) ?? [];
    if (others.length === 0) return;
    // One that depends on the other is a chain Django orders anyway; two branches need a merge migration too.
    const ancestors = graph.ancestors(project.key);
    const onBranch = others.some((other) => !ancestors.has(nodeKey(app, other)));
    ctx.report({
      range: project.summary.classLocation.range,
      message: `\`${app}\` has another migration numbered ${number} (${others.map((o) => `\`${o}\``).join(', ')}), ${onBranch ? 'and no merge migration joins them' : 'which runs before it'}: the numbers no longer tell the order migrations run in.`,
      help: onBranch
        ? 'Instead, renumber this migration to the next free number (and the dependencies that name it) before it is applied anywhere; if both are already applied, keep the names and join them with a merge migration (`makemigrations --merge`).'
        : 'Instead, renumber this migration to the next free number (and the dependencies that name it) before it is applied anywhere; if it is already applied, keep the name.',
      related: others.map((other) => {
        const summary = graph.nodes.get(nodeKey(app, other))!;
        return { path: summary.path, range: summary.classLocation.range, message: `\`${other}\` has the same number` };
      }),
    });
  },
});
