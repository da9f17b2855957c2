// `migrationGuard/startFromHere`: the `[tool.migration-guard.start-after]` that silences every migration of the
// folder's current graph (each app's leaf and its ancestors), written into the pyproject.toml that applies (or a
// new one at the folder's root). The server computes the text; the client applies it as an edit the user can undo.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeStartAfter } from '../config/start-after-write';
import { readWorkspaceText } from '../base/files';
import type { Workspace } from '../engine/workspace';

export const START_FROM_HERE_REQUEST = 'migrationGuard/startFromHere';

export interface StartFromHereResult {
  /** The pyproject.toml to write. */
  path: string;
  /** Whether it exists (else the client creates it). */
  exists: boolean;
  text: string;
  /** app → the migration written for it. */
  entries: Record<string, string>;
  /** Apps with two leaves (Django refuses to migrate them): the last by name was written. */
  conflicts: string[];
}

/** Each app's last migration in the graph: its leaf (the last by name when there are two). */
export function currentLeaves(workspace: Workspace): { entries: Record<string, string>; conflicts: string[] } {
  const graph = workspace.graph();
  const entries: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const app of [...graph.apps.keys()].sort()) {
    const leaves = graph.leaves(app).map((key) => key.slice(app.length + 1)).sort();
    if (leaves.length === 0) continue;
    if (leaves.length > 1) conflicts.push(app);
    entries[app] = leaves[leaves.length - 1];
  }
  return { entries, conflicts };
}

/** A migration of the workspace: the config that applies to it is where start-after belongs. */
export function someMigration(workspace: Workspace): string | undefined {
  return workspace.migrationPaths().next().value as string | undefined;
}

/**
 * `configPath` (the pyproject.toml nearest to the migrations) when it lies inside the folder, else
 * `folder/pyproject.toml`.
 */
export function startFromHere(folder: string, configPath: string | undefined, workspace: Workspace): StartFromHereResult {
  const inside = configPath && !relative(folder, configPath).startsWith('..');
  const path = inside ? configPath : join(folder, 'pyproject.toml');
  const exists = existsSync(path);
  const { entries, conflicts } = currentLeaves(workspace);
  return { path, exists, text: writeStartAfter(exists ? readWorkspaceText(path) ?? '' : undefined, entries), entries, conflicts };
}
