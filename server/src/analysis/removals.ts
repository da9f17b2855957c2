// Removals across migrations (MG202, MG203, MG204, MG205): whether an earlier migration took a field or model
// out of the state only (step one of the two-deploy route), whether a table is new in this migration, and
// how to say that the history is not visible.
import { isNewTable, type Migration, type Operation } from './migration';
import type { FieldState } from './summary';
import type { ModelState } from './state';
import type { StateOperation } from './summary';
import type { ProjectContext } from './context';

/**
 * Whether a state-only operation (`SeparateDatabaseAndState(state_operations=[…])`) matching `matches` ran in
 * a migration this one depends on (directly or not): step one of the two-deploy route, so the database
 * operation that follows is step two. The same migration does not count: both steps would then reach the
 * database in one deploy, while the old code still runs.
 */
export function removedFromStateBefore(migration: Migration, project: ProjectContext | undefined, matches: (candidate: StateOperation) => boolean, app = migration.appLabel): boolean {
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
    if (summary.app === app && summary.operations.some((candidate) => candidate.scope === 'state' && matches(candidate))) return true;
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

/**
 * A removal of a model the replayed state does not know, in a workspace: the migrations that created it are not
 * there (deleted, or never committed), so no earlier state-only removal can be seen either. The note the
 * finding's message ends with; empty when the history is visible (or the file is linted alone).
 */
export function historyNote(project: ProjectContext | undefined, model: ModelState | undefined, modelName: string | undefined): string {
  if (!project?.hasWorkspace || model) return '';
  return ` (the migrations that created \`${modelName ?? '?'}\` are not in the workspace, so no earlier state-only removal is visible)`;
}

/**
 * A migration marked to run after the code is deployed (django-safemigrate `Safe.after_deploy()`, django-syzygy
 * `Stage.POST_DEPLOY`): a removal in it is the second step of the safe route, since the code deployed before it
 * no longer uses what it drops.
 */
export function runsAfterDeploy(migration: Migration): boolean {
  return migration.deployStage === 'after-deploy';
}

/**
 * A column the deployed code's inserts cannot leave out: NOT NULL with no database default (neither `db_default`
 * nor django-add-default-value's). Code that no longer declares the field omits it, and PostgreSQL rejects the row.
 */
export function requiredOnInsert(field: FieldState | undefined): boolean {
  const info = field?.info;
  return !!info && info.hasColumn && info.null === false && info.primaryKey !== true && !info.hasDbDefault && !field.databaseDefault;
}

