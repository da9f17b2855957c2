// `migrationGuard/lintWorkspace`: lint every migration and settings module of the workspace folders from
// disk and publish their diagnostics (the "Lint Workspace" command). Open documents keep their live text.
import { dirname } from 'node:path';
import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { isMigrationPath } from '../analysis/migration';
import { changedSince } from '../cli/git';
import { walkPythonFiles, type CollectOptions } from '../base/files';
import { MAX_INDEXED_FILES } from './indexer';
import type { SettingsStore } from './configuration';
import type { DocumentStore } from './documents';
import type { Linter } from './linting';
import type { Logger } from './logger';
import { pathToUri } from './uri';

export const LINT_WORKSPACE_REQUEST = 'migrationGuard/lintWorkspace';

export interface LintWorkspaceResult {
  /** Migrations and settings modules linted. */
  files: number;
  /** Diagnostics published for them (open documents: the last lint of their text). */
  problems: number;
}

export interface WorkspaceContext {
  connection: Connection;
  logger: Logger;
  store: DocumentStore;
  settings: SettingsStore;
  linter: Linter;
}

/** Per workspace folder, the `since` ref of the last run and why it could not be used (no git, unknown ref). */
const sinceOutcomes = new Map<string, { ref: string; problem?: string }>();

export function sinceOutcome(folder: string): { ref: string; problem?: string } | undefined {
  return sinceOutcomes.get(folder);
}

/**
 * `migrationGuard.since`: the migrations to lint, as the CLI's `--since` picks them (changed since the merge base,
 * settings modules always); without git or with an unknown ref, every file, and the reason once in the log.
 */
function sinceFilter(folder: string, ref: string | undefined, logger: Logger): ((path: string) => boolean) | undefined {
  if (!ref) {
    sinceOutcomes.delete(folder);
    return undefined;
  }
  try {
    const { files } = changedSince(ref, folder);
    sinceOutcomes.set(folder, { ref });
    return (path) => !isMigrationPath(path) || files.has(path);
  } catch (error) {
    const problem = `${error instanceof Error ? error.message : String(error)}; linting every file`;
    if (sinceOutcomes.get(folder)?.problem !== problem) logger.warn(`migrationGuard.since: ${problem}`);
    sinceOutcomes.set(folder, { ref, problem });
    return undefined;
  }
}

/** Files handled between two yields to the message loop, so typing stays responsive during a long run. */
const BATCH = 20;

/** Longest run of the folder walk between two yields to the message loop. */
const WALK_SLICE_MS = 4;

/**
 * The folder's Python files, walked in slices that yield to requests (hover and typing keep their answers while a
 * huge folder is walked), up to the index's cap; undefined when cancelled.
 */
async function collectFiles(folder: string, options: CollectOptions, token: CancellationToken, logger: Logger): Promise<string[] | undefined> {
  const files = new Set<string>();
  let slice = performance.now();
  for (const entry of walkPythonFiles([folder], options)) {
    if (entry.kind === 'file') files.add(entry.path);
    if (files.size >= MAX_INDEXED_FILES) {
      logger.warn(`Lint Workspace: ${folder} has more than ${MAX_INDEXED_FILES.toLocaleString('en-US')} Python files: only the first ${MAX_INDEXED_FILES.toLocaleString('en-US')} are linted`);
      break;
    }
    if (performance.now() - slice >= WALK_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) return undefined;
      slice = performance.now();
    }
  }
  return [...files];
}

export async function lintWorkspace(context: WorkspaceContext, folders: readonly string[], token: CancellationToken, progress: WorkDoneProgressReporter): Promise<LintWorkspaceResult> {
  const { logger, store, settings, linter } = context;
  const started = performance.now();
  const result: LintWorkspaceResult = { files: 0, problems: 0 };
  progress.begin('Migration Guard: linting the workspace', 0, undefined, true);
  try {
    for (const folder of folders) {
      const folderSettings = await settings.forUri(pathToUri(folder));
      if (!folderSettings.enable) continue;
      let files: string[];
      try {
        const resolved = settings.resolverFor(folderSettings).forDirectory(folder);
        const collected = await collectFiles(folder, { exclude: resolved.config.exclude, root: resolved.configPath ? dirname(resolved.configPath) : folder }, token, logger);
        if (!collected) return result;
        files = collected;
        const wanted = sinceFilter(folder, folderSettings.since, logger);
        if (wanted) files = files.filter(wanted);
      } catch (error) {
        logger.warn(`Cannot lint ${folder}: ${String(error)}`);
        continue;
      }
      await linter.prepareSqlFor(files);
      for (let index = 0; index < files.length; index++) {
        if (token.isCancellationRequested) return result;
        const path = files[index];
        const uri = pathToUri(path);
        try {
          if (store.get(uri)) {
            const count = linter.lastCount(uri);
            if (count !== undefined) {
              result.files++;
              result.problems += count;
            }
          } else {
            const count = linter.lintOnDisk(path, folderSettings);
            if (count !== undefined) {
              result.files++;
              result.problems += count;
            }
          }
        } catch (error) {
          logger.error(`Linting ${path} failed`, error);
        }
        if (index % BATCH === BATCH - 1) {
          progress.report(Math.round((100 * (index + 1)) / files.length), `${index + 1}/${files.length} files`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
  } finally {
    progress.done();
  }
  logger.info(`Linted the workspace: ${result.files} files, ${result.problems} problems, ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}
