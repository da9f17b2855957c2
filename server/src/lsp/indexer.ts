// The language server's workspace index: one engine Workspace (migration summaries, graph, lazily replayed
// project state) per workspace folder. Built once in the background after `initialized` (batches that yield
// to the message loop, with work-done progress), then kept fresh: open documents through their lints, files
// that are not open through watched-file events.
import { basename, dirname, join, relative, sep } from 'node:path';
import type { WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { isMigrationPath } from '../analysis/migration';
import { SKIPPED_DIRECTORIES } from '../base/files';
import { compileGlob, matchesAny, readSource, walkPythonFiles, type Glob } from '../base/files';
import { Workspace } from '../engine/workspace';
import type { Logger } from './logger';

export interface FolderIndex {
  folder: string;
  /** Replaced by a fresh one when a rebuild (the `exclude` setting changed) completes. */
  workspace: Workspace;
  /** The Workspace a rebuild is filling: watched-file events go to it too. */
  rebuilding?: Workspace;
  /** What the index was collected with: files the walk skips are not indexed from watched events either. */
  collected?: { exclude: string[]; root: string; globs: Glob[] };
  /** The first full index is built: lints use it from now on. */
  ready: boolean;
  /** Building it threw: lints go on without it (and stop waiting for it). */
  failed?: boolean;
  /** Resolves when the first full index is built (or abandoned because the folder went away). */
  built: Promise<void>;
  removed: boolean;
  /** How many migrations the first index read, and how long it took. */
  stats?: { migrations: number; files: number; ms: number };
}

/** What changed in one folder's index: graph rules and every state may differ, or the states after `keys`. */
export interface IndexChange {
  index: FolderIndex;
  graphChanged: boolean;
  /** A settings module changed: settings rules (entry points) and MG110/MG111 may say something else. */
  settingsChanged?: boolean;
  keys: Set<string>;
  /** Paths whose index entry changed. */
  paths: Set<string>;
}

export interface IndexerHost {
  logger: Logger;
  /** Exclude globs (relative to `root`) of the folder's configuration. */
  collectOptions(folder: string): Promise<{ exclude: string[]; root: string }>;
  /** The live text of an open document, undefined when the file is not open. */
  openText(path: string): string | undefined;
  /** Modules named by DJANGO_SETTINGS_MODULE around a file (settings modules whatever their name). */
  settingsModulesFor(path: string): ReadonlySet<string>;
  /** A work-done progress for the client (a no-op reporter when it cannot show one). */
  createProgress(): Promise<WorkDoneProgressReporter>;
  /** The first index of a folder is built. */
  onReady(index: FolderIndex): void;
  /** Files changed on disk were re-indexed. */
  onChange(change: IndexChange): void;
}

/** Longest run of indexing work between two yields to the message loop. */
const SLICE_MS = 4;
/** Python files indexed per workspace folder at most: saleor has ~3,000; a folder of `/` has hundreds of thousands. */
export const MAX_INDEXED_FILES = 50_000;
/** At most one progress report per this many milliseconds. */
const REPORT_MS = 100;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `path` is `folder` or inside it. */
function contains(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** The state key of a migration summary, if indexed. */
function keyOf(workspace: Workspace, path: string): string | undefined {
  const summary = workspace.summary(path);
  return summary ? `${summary.app}.${summary.name}` : undefined;
}

export class Indexer {
  private readonly folders = new Map<string, FolderIndex>();
  /** Watched-file events not applied yet: path → deleted (the disk is read again either way). */
  private readonly queue = new Map<string, boolean>();
  private draining = false;
  private stopped = false;

  constructor(private readonly host: IndexerHost) {}

  all(): FolderIndex[] {
    return [...this.folders.values()];
  }

  /** Sets the workspace folders: new ones are indexed in the background, removed ones dropped. */
  setFolders(paths: readonly string[]): void {
    const wanted = new Set(paths);
    for (const [folder, index] of this.folders) {
      if (!wanted.has(folder)) {
        index.removed = true;
        this.folders.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.folders.has(folder)) continue;
      const index: FolderIndex = { folder, workspace: new Workspace(), ready: false, removed: false, built: Promise.resolve() };
      this.folders.set(folder, index);
      index.built = this.build(index).catch((error: unknown) => {
        this.host.logger.error(`Indexing ${folder} failed; migrations there are linted without their history`, error);
        index.failed = true;
        if (!index.removed) this.host.onReady(index); // the documents held back for it are linted now
      });
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** The folder a file belongs to: the innermost workspace folder containing it. */
  folderOf(path: string): FolderIndex | undefined {
    let found: FolderIndex | undefined;
    for (const index of this.folders.values()) {
      if (contains(index.folder, path) && (!found || index.folder.length > found.folder.length)) found = index;
    }
    return found;
  }

  /** The workspace to lint `path` with, once its folder's index is built (before that: none). */
  workspaceFor(path: string): Workspace | undefined {
    const index = this.folderOf(path);
    return index?.ready ? index.workspace : undefined;
  }

  /** Resolves when every folder's first index is built. */
  async whenBuilt(): Promise<void> {
    await Promise.all(this.all().map((index) => index.built));
  }

  /**
   * The configuration may have changed: a folder whose `exclude` differs from what its index was collected
   * with is indexed again in the background (the current index keeps serving until the new one is built).
   */
  async configurationChanged(): Promise<void> {
    for (const index of this.all()) {
      if (!index.ready || !index.collected) continue;
      const { exclude, root } = await this.host.collectOptions(index.folder);
      if (index.removed || this.stopped) return;
      if (root === index.collected.root && exclude.join('\0') === index.collected.exclude.join('\0')) continue;
      this.host.logger.info(`The exclude setting of ${index.folder} changed: indexing it again`);
      index.built = this.build(index, new Workspace()).catch((error: unknown) => this.host.logger.error(`Indexing ${index.folder} failed`, error));
    }
  }

  /** Files the folder's walk skips (vendored, virtualenvs, `exclude` globs) stay out of the index. */
  private skipped(index: FolderIndex, path: string): boolean {
    const rel = relative(index.folder, path).split(sep);
    if (rel.slice(0, -1).some((part) => SKIPPED_DIRECTORIES.has(part))) return true;
    const collected = index.collected;
    return !!collected && collected.globs.length > 0 && matchesAny(relative(collected.root, path), collected.globs);
  }

  /** Indexes the folder into `target` (a fresh Workspace on a rebuild), then makes it the folder's index. */
  private async build(index: FolderIndex, target = index.workspace): Promise<void> {
    const { logger } = this.host;
    const started = performance.now();
    const { exclude, root } = await this.host.collectOptions(index.folder);
    if (index.removed || this.stopped) return;
    const files = await this.collect(index, exclude, root);
    if (!files) return;
    const collected = { exclude, root, globs: exclude.map(compileGlob) };
    target.indexing = true;
    if (target !== index.workspace) index.rebuilding = target;
    const migrations = files.filter(isMigrationPath).length;
    const progress = await this.host.createProgress();
    const title = `Migration Guard: indexing ${migrations} migration${migrations === 1 ? '' : 's'}`;
    progress.begin(title, 0, `0/${files.length} files`, false);
    try {
      let slice = performance.now();
      let reported = slice;
      for (let i = 0; i < files.length; i++) {
        if (index.removed || this.stopped) return;
        this.indexFile(target, files[i]);
        const now = performance.now();
        if (now - slice >= SLICE_MS) {
          if (now - reported >= REPORT_MS) {
            progress.report(Math.floor((100 * (i + 1)) / files.length), `${i + 1}/${files.length} files`);
            reported = now;
          }
          await nextTurn();
          slice = performance.now();
        }
      }
    } finally {
      progress.done();
    }
    if (index.rebuilding === target) index.rebuilding = undefined;
    if (index.removed || this.stopped) return;
    if (target !== index.workspace) {
      // Open documents changed while the new index was built: their live text wins.
      for (const path of index.workspace.migrationPaths()) {
        const live = this.host.openText(path);
        if (live !== undefined) target.indexText(path, live);
      }
      index.workspace = target;
    }
    target.indexing = false;
    index.collected = collected;
    index.ready = true;
    const ms = performance.now() - started;
    index.stats = { migrations: target.size, files: files.length, ms };
    logger.info(`Indexed ${target.size} migrations (${files.length} Python files) of ${index.folder} in ${ms.toFixed(0)} ms`);
    this.host.onReady(index);
    await this.warm(index);
  }

  /**
   * The folder's Python files, walked in slices that yield to requests (a folder of `/` took 5.5 s in one go),
   * up to MAX_INDEXED_FILES; undefined when the index was stopped or removed meanwhile.
   */
  private async collect(index: FolderIndex, exclude: string[], root: string): Promise<string[] | undefined> {
    const { logger } = this.host;
    const files = new Set<string>();
    let slice = performance.now();
    const walk = walkPythonFiles([index.folder], { exclude, root, onUnreadable: (dir, reason) => logger.warn(`${dir}: cannot read directory (${reason}); its files are not indexed`) });
    for (const entry of walk) {
      if (entry.kind === 'file') files.add(entry.path);
      if (files.size >= MAX_INDEXED_FILES) {
        logger.warn(`${index.folder} has more than ${MAX_INDEXED_FILES.toLocaleString('en-US')} Python files: only the first ${MAX_INDEXED_FILES.toLocaleString('en-US')} are indexed (open a project folder rather than a whole disk, or exclude what is not the project)`);
        break;
      }
      if (performance.now() - slice >= SLICE_MS) {
        await nextTurn();
        if (index.removed || this.stopped) return undefined;
        slice = performance.now();
      }
    }
    return [...files];
  }

  /**
   * Replays the project state after every migration ahead of time (in slices, after the open documents are
   * linted), so opening any migration finds the state before it ready. Stops when the graph changes.
   */
  private async warm(index: FolderIndex): Promise<void> {
    await nextTurn();
    const { workspace } = index;
    const graphVersion = workspace.graphVersion;
    const order = [...workspace.graph().order];
    let slice = performance.now();
    for (const key of order) {
      if (index.removed || this.stopped || workspace.graphVersion !== graphVersion) return;
      workspace.stateAfter(key);
      if (performance.now() - slice >= SLICE_MS) {
        await nextTurn();
        slice = performance.now();
      }
    }
  }

  /** Reads a file (an open document's live text, else the disk) into the index; a file gone is removed. */
  private indexFile(workspace: Workspace, path: string): void {
    const live = this.host.openText(path);
    const source = live !== undefined ? { ok: true as const, text: live } : readSource(path);
    if (!source.ok) workspace.removeFile(path);
    else if (isMigrationPath(path)) workspace.indexText(path, source.text);
    else workspace.indexText(path, source.text, this.host.settingsModulesFor(path));
  }

  /**
   * A watched file changed on disk. Open documents are skipped: their live text is the truth, and their lints
   * keep the index up to date. Applied in the background, a slice at a time.
   */
  fileChanged(path: string, deleted: boolean): void {
    const index = this.folderOf(path);
    if (!index || this.skipped(index, path)) return;
    if (!path.endsWith('.py')) {
      // A directory deleted (or renamed away): its migrations go with it.
      if (!deleted) return;
      const prefix = path.endsWith(sep) ? path : path + sep;
      for (const migration of index.workspace.migrationPaths()) if (migration.startsWith(prefix)) this.queue.set(migration, true);
    } else {
      this.queue.set(path, deleted);
    }
    if (this.queue.size === 0) return;
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => {
        this.drain().catch((error: unknown) => this.host.logger.error('Updating the index failed', error)).finally(() => { this.draining = false; });
      });
    }
  }

  /** The document closed: what is on disk counts again. */
  documentClosed(path: string): void {
    const index = this.folderOf(path);
    if (!index?.ready) return;
    this.apply(index, [path]);
  }

  private async drain(): Promise<void> {
    let slice = performance.now();
    while (this.queue.size > 0 && !this.stopped) {
      const batch = [...this.queue];
      this.queue.clear();
      const byFolder = new Map<FolderIndex, string[]>();
      for (const [path] of batch) {
        const index = this.folderOf(path);
        if (!index || this.host.openText(path) !== undefined) continue;
        const paths = byFolder.get(index) ?? [];
        if (basename(path) === 'apps.py') {
          // The app's label may have changed: its migrations are read again under the new label.
          index.workspace.forgetAppLabels(dirname(path));
          const migrations = join(dirname(path), 'migrations') + sep;
          for (const migration of index.workspace.migrationPaths()) if (migration.startsWith(migrations)) paths.push(migration);
        }
        paths.push(path);
        byFolder.set(index, paths);
      }
      for (const [index, paths] of byFolder) {
        // Open documents are skipped (their lints keep the index); a slice at a time.
        const pending = [...new Set(paths)].filter((path) => this.host.openText(path) === undefined);
        for (let start = 0; start < pending.length;) {
          let end = start;
          while (end < pending.length && performance.now() - slice < SLICE_MS) end++;
          if (end === start) end++;
          this.apply(index, pending.slice(start, end));
          start = end;
          await nextTurn();
          slice = performance.now();
        }
      }
    }
  }

  /** Re-indexes `paths` from disk and reports what changed. */
  private apply(index: FolderIndex, paths: string[]): void {
    const { workspace } = index;
    const graphBefore = workspace.graphVersion;
    const settingsBefore = workspace.settingsVersion;
    const change: IndexChange = { index, graphChanged: false, keys: new Set(), paths: new Set() };
    for (const path of paths) {
      const versionBefore = workspace.version;
      const keyBefore = keyOf(workspace, path);
      this.indexFile(workspace, path);
      if (index.rebuilding) this.indexFile(index.rebuilding, path);
      if (workspace.version === versionBefore) continue;
      change.paths.add(path);
      const key = keyOf(workspace, path) ?? keyBefore;
      if (key) change.keys.add(key);
    }
    change.graphChanged = workspace.graphVersion !== graphBefore;
    change.settingsChanged = workspace.settingsVersion !== settingsBefore;
    if (index.ready && (change.graphChanged || change.settingsChanged || change.keys.size > 0)) this.host.onChange(change);
  }
}
