import { nodeKey } from '../analysis/graph';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule } from './types';

function numberOf(name: string): string | undefined {
  return /^(\d+)_/.exec(name)?.[1];
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
    const me = project.key;
    const squash = (key: string) => graph.replacedBy.get(key);
    const others = (graph.apps.get(app) ?? []).filter((other) => {
      if (other === name || numberOf(other) !== number) return false;
      const otherKey = nodeKey(app, other);
      // A squashed migration and what it replaces, or two migrations squashed together, are fine.
      if (squash(otherKey) === me || squash(me) === otherKey || (squash(otherKey) && squash(otherKey) === squash(me))) return false;
      // Two branches a merge migration already joined: deployed as they are, renaming them is no longer possible.
      if (graph.merged(me, otherKey)) return false;
      // Once per pair, on the newer file: the one that depends on the other, else the later in the graph's order.
      if (graph.ancestors(me).has(otherKey)) return true;
      if (graph.ancestors(otherKey).has(me)) return false;
      return graph.position(me) > graph.position(otherKey);
    });
    if (others.length === 0) return;
    ctx.report({
      range: project.summary.classLocation.range,
      message: `\`${app}\` has another migration numbered ${number} (${others.map((o) => `\`${o}\``).join(', ')}), and no merge migration joins them: the numbers no longer tell the order migrations run in.`,
      help: 'Instead, renumber this migration to the next free number (and the dependencies that name it) before it is applied anywhere; if both are already applied, keep the names and join them with a merge migration (`makemigrations --merge`).',
      related: others.map((other) => {
        const summary = graph.nodes.get(nodeKey(app, other))!;
        return { path: summary.path, range: summary.classLocation.range, message: `\`${other}\` has the same number` };
      }),
    });
  },
});
