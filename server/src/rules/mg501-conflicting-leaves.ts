import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule } from './types';

const ORDER_NOTE = exampleMigration({
  imports: ['# shop/migrations/0002_order_note.py (a branch also added 0002_order_status)', 'from django.db import migrations, models'],
  operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
});

/** How many of the other latest migrations a finding names (and points at); the rest are counted. */
const MAX_NAMED = 3;

export const conflictingLeaves = defineRule({
  code: 'MG501',
  name: 'conflicting-leaves',
  fileKinds: ['migration'],
  defaultSeverity: 'error',
  fix: 'never',
  docs: {
    summary: 'Two migrations of one app are both the latest: Django refuses to migrate.',
    why: 'When two branches each add a migration to the same app, both become leaves of the app\'s graph. `migrate` stops with "Conflicting migrations detected" and the deploy fails. The fix is a merge migration that depends on both (`makemigrations --merge`).',
    example: ORDER_NOTE,
    useInstead: exampleMigration({
      imports: ['# shop/migrations/0003_merge.py: `makemigrations --merge` depends on both', 'from django.db import migrations'],
      dependency: ['shop', '0002_order_note'],
      operations: [],
    }).replace('dependencies = [("shop", "0002_order_note")]', 'dependencies = [("shop", "0002_order_note"), ("shop", "0002_order_status")]'),
    history: [
      CREATE_ORDER,
      exampleMigration({
        imports: ['# shop/migrations/0002_order_status.py', 'from django.db import migrations, models'],
        operations: ['migrations.AddField(model_name="order", name="status", field=models.TextField(null=True)),'],
      }),
      ORDER_NOTE,
    ],
    fixSafety: 'No automatic fix: run `python manage.py makemigrations --merge` and review the merge migration.',
    references: ['django-safe-migrations: SM027'],
  },
  check(ctx) {
    const project = ctx.project!;
    if (!project.hasWorkspace) return;
    const leaves = project.graph.leaves(project.summary.app);
    if (leaves.length < 2 || !leaves.includes(project.key)) return;
    // A bounded number of the others by name: listing every leaf on every leaf made the report quadratic
    // (1,000 leaves: 330 MB of JSON).
    const others = leaves.filter((leaf) => leaf !== project.key);
    const named = others.slice(0, MAX_NAMED).map((leaf) => `\`${leaf.slice(project.summary.app.length + 1)}\``);
    const rest = others.length - named.length;
    const list = rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ');
    ctx.report({
      range: project.summary.classLocation.range,
      message: `\`${project.summary.app}\` has ${leaves.length} latest migrations (this one and ${list}): Django refuses to migrate until they are merged.`,
      help: `Instead, add a merge migration that depends on all of them: \`python manage.py makemigrations --merge ${project.summary.app}\`.`,
      related: others.slice(0, MAX_NAMED).map((leaf) => {
        const other = project.graph.nodes.get(leaf)!;
        return { path: other.path, range: other.classLocation.range, message: `\`${other.name}\` is also a latest migration of \`${other.app}\`` };
      }),
    });
  },
});
