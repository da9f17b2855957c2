import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule } from './types';

export const missingDependency = defineRule({
  code: 'MG502',
  name: 'missing-dependency',
  fileKinds: ['migration'],
  defaultSeverity: 'error',
  fix: 'never',
  docs: {
    summary: 'A dependency names a migration of a workspace app that does not exist.',
    why: 'Django builds the migration graph before it migrates anything: a dependency on a missing migration (renamed, deleted, or never committed) stops every `migrate` with `NodeNotFoundError`. Dependencies on apps outside the workspace (Django\'s own, third-party packages) are not checked: we cannot see them.',
    example: exampleMigration({
      imports: ['# shop/migrations/0002_order_note.py', 'from django.db import migrations, models'],
      dependency: ['shop', '0001_inital'],
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    useInstead: exampleMigration({
      imports: ['# shop/migrations/0002_order_note.py', 'from django.db import migrations, models'],
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    history: CREATE_ORDER,
    fixSafety: 'No automatic fix: point the dependency at the migration that exists (or restore the missing file).',
    references: [],
  },
  check(ctx) {
    const project = ctx.project!;
    if (!project.hasWorkspace) return;
    for (const unresolved of project.graph.unresolved) {
      if (unresolved.from !== project.key || unresolved.reason !== 'missing') continue;
      const { app, name } = unresolved.dependency;
      const known = project.graph.apps.get(app!) ?? [];
      const close = known.filter((candidate) => candidate.slice(0, 4) === name?.slice(0, 4));
      ctx.report({
        range: unresolved.dependency.location.range,
        message: `Dependency \`("${app}", "${name}")\` names no migration of \`${app}\`: \`migrate\` fails with NodeNotFoundError.`,
        help: `Instead, depend on a migration that exists${close.length ? ` (${close.map((c) => `\`${c}\``).join(', ')}?)` : ''}.`,
      });
    }
  },
});
