import { argument, columnName, databaseOperations, isNewTable, type Migration, type Operation } from '../analysis/migration';
import { columnOf, tableOf, type ModelState } from '../analysis/state';
import type { StateOperation } from '../analysis/summary';
import { exampleMigration, initialMigration } from './docs';
import { defineRule, type ProjectContext, type RelatedLocation } from './types';

/**
 * Whether a state-only operation (`SeparateDatabaseAndState(state_operations=[…])`) matching `matches` ran in
 * a migration this one depends on (directly or not): step one of the two-deploy route, so the database
 * operation that follows is step two. The same migration does not count: both steps would then reach the
 * database in one deploy, while the old code still runs.
 */
export function removedFromStateBefore(migration: Migration, project: ProjectContext | undefined, matches: (candidate: StateOperation) => boolean): boolean {
  if (!project?.hasWorkspace) return false;
  const { graph } = project;
  const seen = new Set<string>([project.key]);
  const stack = [...(graph.parents.get(project.key) ?? [])];
  while (stack.length) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const summary = graph.nodes.get(key);
    if (!summary) continue;
    if (summary.app === migration.appLabel && summary.operations.some((candidate) => candidate.scope === 'state' && matches(candidate))) return true;
    for (const item of graph.parents.get(key) ?? []) stack.push(item);
  }
  return false;
}

/**
 * The operation's table was created by a `CreateModel` earlier in this migration (database side), also when
 * the model was renamed since: the table is new and empty, and no running code uses it yet.
 */
export function createdInThisMigration(migration: Migration, op: Operation, model: ModelState | undefined): boolean {
  if (isNewTable(migration, op)) return true;
  if (!model || model.location.path !== migration.path) return false;
  for (const created of migration.createdModels.values()) {
    if (created.index < op.index && migration.operations[created.index].node.startIndex === model.location.range.start) return true;
  }
  return false;
}

/** `app/migrations/0002_x.py` → `0002_x`, for related-location messages. */
export function migrationLabel(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop()!.replace(/\.py$/, '');
}

export const removeField = defineRule({
  code: 'MG202',
  name: 'remove-field',
  fileKinds: ['migration'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Dropping a column that the running code still selects breaks it during the deploy.',
    why: [
      'Django selects every column a model declares. Between the migration and the end of the deploy, the old code still declares the removed field, so every query on the model fails with `column … does not exist`.',
      '',
      'The safe route takes two deploys: first remove the field from Django\'s state only (`SeparateDatabaseAndState(state_operations=[RemoveField(...)])`) together with the code that stops using it; then, in a later migration, drop the column. That later `RemoveField` (or any `RemoveField` of a field an earlier state-only operation already removed) is not reported.',
      '',
      'With the workspace indexed, a `RemoveField` on a model whose history is not in the workspace (another app, a missing migration) is not reported. A migration linted alone, without its workspace, is reported: dropping a column is dangerous whatever the history. Both steps in one migration are reported too: they reach the database in the same deploy.',
    ].join('\n'),
    history: initialMigration([
      'migrations.CreateModel("Order", [',
      '    ("id", models.BigAutoField(primary_key=True)),',
      '    ("note", models.TextField(null=True)),',
      ']),',
    ]),
    example: exampleMigration({
      imports: ['from django.db import migrations'],
      operations: ['migrations.RemoveField(model_name="order", name="note"),'],
    }),
    useInstead: exampleMigration({
      imports: ['# Deploy 1: the code stops using the field; the column stays.', 'from django.db import migrations'],
      operations: [
        'migrations.SeparateDatabaseAndState(',
        '    state_operations=[migrations.RemoveField(model_name="order", name="note")],',
        '),',
      ],
      epilogue: [
        '# Deploy 2, in a later migration: RemoveField(model_name="order", name="note") drops the column',
        '# once no running code declares it (not reported: the field already left the state).',
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
    const project = ctx.project;
    for (const op of databaseOperations(migration, 'RemoveField')) {
      const state = project?.before(op) ?? {};
      if (createdInThisMigration(migration, op, state.model)) continue;
      // Unknown history in a workspace (another app, a missing migration): nothing to say.
      if (project?.hasWorkspace && !state.model) continue;
      if (!state.field) {
        // Not in the state: step two of the safe route when a state-only RemoveField took it out in an earlier migration.
        // Otherwise (linted alone, or a history we could not follow) the column is still there to drop.
        const removed = removedFromStateBefore(migration, project, (candidate) =>
          candidate.kind === 'RemoveField' && candidate.model === op.modelName && candidate.fieldName === op.fieldName);
        if (removed) continue;
      }
      const table = state.model ? tableOf(state.model) : 'unknown';
      const column = op.fieldName && state.field ? columnOf(op.fieldName, state.field.info) : 'unknown';
      const name = table !== 'unknown' && column !== 'unknown' ? `${table}.${column}` : columnName(migration, op);
      const related: RelatedLocation[] = state.field
        ? [{ ...state.field.location, message: `\`${op.fieldName}\` was last defined here (${migrationLabel(state.field.location.path)})` }]
        : [];
      ctx.report({
        node: op.node,
        message: state.field?.info?.hasColumn === false
          ? `\`RemoveField\` drops the join table of \`${state.model?.name ?? op.modelName}.${op.fieldName}\` while the code still running uses it: its queries through the field fail until the deploy finishes.`
          : `\`RemoveField\` drops column \`${name}\` while the code still running selects it: its queries on the model fail until the deploy finishes.`,
        help: `Instead, first remove the field from the state only (\`SeparateDatabaseAndState(state_operations=[RemoveField(${argument(op, 'model_name')?.text ?? '…'}, ${argument(op, 'name')?.text ?? '…'})])\`) and deploy the code that no longer uses it; drop the column in a later migration.`,
        related: related.length ? related : undefined,
      });
    }
  },
});
