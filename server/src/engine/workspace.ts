// The workspace index: every migration of the workspace reduced to a summary (trees are freed), the
// migration graph, and the replayed project state after each migration, computed lazily and kept until a
// change upstream invalidates it. An edit to one migration re-replays only that migration and, when asked,
// what depends on it. It also holds the workspace's settings modules (a SettingsIndex) and AUTH_USER_MODEL.
import { basename, dirname, join } from 'node:path';
import { appConfigLabel } from '../analysis/app-config';
import { MigrationGraph, nodeKey } from '../analysis/graph';
import { detectFileKind, mayBeSettings } from '../analysis/fileKind';
import { isMigrationPath, parseMigration, type Migration } from '../analysis/migration';
import { summarizeSettings, type SettingsModule } from '../analysis/settings';
import { mergeStates, replayMigration, type ProjectState, type ReplayResult } from '../analysis/state';
import { summarizeMigration, type MigrationSummary } from '../analysis/summary';
import { parsePython, type Tree } from '../base/parser';
import { readWorkspaceText } from '../base/files';
import { SettingsIndex } from '../analysis/settings-index';

const AUTH_USER_MODEL = /^AUTH_USER_MODEL\s*=\s*["']([\w]+)\.[\w]+["']/m;

/** Structural equality of plain data (summaries: objects, arrays, strings, numbers, booleans, undefined). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!sameData(left[key], right[key])) return false;
  return true;
}

/** Dependencies, replaces and run_before: what the graph is built from. */
function graphSignature(summary: MigrationSummary): string {
  const refs = (list: MigrationSummary['dependencies']) => list.map((d) => `${d.swappable ? '*' : ''}${d.app}.${d.name}`).join(',');
  return `${summary.app}.${summary.name}|${refs(summary.dependencies)}|${refs(summary.replaces)}|${refs(summary.runBefore)}`;
}

/** A migration's replay and the state it started from (until its lint took them: see replayOf). */
export interface StartedReplay extends ReplayResult {
  start?: ProjectState;
}

/**
 * What indexing one file recorded, as plain data: a worker thread indexes files, the main thread (and the other
 * workers) record its results without parsing them again.
 */
export type IndexedFile =
  | { path: string; kind: 'migration'; summary: MigrationSummary | undefined }
  | { path: string; kind: 'module'; settings: SettingsModule | undefined; authUserApp: string | undefined };

export class Workspace {
  private readonly summaries = new Map<string, MigrationSummary>();
  private readonly authUserApps = new Map<string, string>();
  private readonly appLabels = new Map<string, string>();
  private graphCache?: MigrationGraph;
  /** The graph before the last change, to tell which replayed states survive it. */
  private previousGraph?: MigrationGraph;
  private positions?: Map<string, number>;
  private graphAuthApp?: string;
  /**
   * Per migration, its replay: the state after it and, until its lint took them, the states before each operation
   * and the state it started from (its parents' merged: merged once, here, not again for the lint).
   */
  private readonly afterStates = new Map<string, StartedReplay>();
  /** The last merge of several parents' states (see merged). */
  private lastMerge?: { key: string; parents: readonly ProjectState[]; state: ProjectState };
  /** The workspace's settings modules (lintSource's `settingsIndex`): entry points, effective settings. */
  readonly settings = new SettingsIndex();
  private settingsChanges = 0;
  /** True while the files are still being read: the graph is partial, so graph rules must stay silent. */
  indexing = false;
  /**
   * A check that lints each migration once (the CLI's, not fixing) lets a migration's replay go once its lint took
   * it and every migration after it in the graph was replayed from it: each replay holds a copy of the whole project
   * state (the bench project's live heap after its lint: 56 MB kept, 40 MB forgotten). A state asked for again (a
   * duplicate migration, a child counted twice) is replayed again, the same.
   */
  forgetUsedStates = false;
  /** With forgetUsedStates: per migration, how many of its graph children are not replayed yet. */
  private childrenToReplay?: Map<string, number>;
  private graphChanges = 0;
  private stateChanges = 0;

  /** Grows whenever the graph is rebuilt (a migration added, removed, or its dependencies changed). */
  get graphVersion(): number {
    return this.graphChanges;
  }

  /** Grows whenever any replayed state may have changed (graph changes included). */
  get version(): number {
    return this.stateChanges;
  }

  /** Paths of the migrations indexed. */
  migrationPaths(): IterableIterator<string> {
    return this.summaries.keys();
  }

  get size(): number {
    return this.summaries.size;
  }

  /** The app label of a migration: its AppConfig's `label = "…"` in the app's apps.py, else the app directory's name. */
  appLabel(migrationPath: string): string {
    const appDir = dirname(dirname(migrationPath));
    let label = this.appLabels.get(appDir);
    if (label === undefined) {
      label = basename(appDir);
      const apps = readWorkspaceText(join(appDir, 'apps.py'));
      if (apps !== undefined) label = appConfigLabel(apps) ?? label;
      this.appLabels.set(appDir, label);
    }
    return label;
  }

  /**
   * Parses a file from its text and records what it contributes: a migration summary, or a settings module
   * (its summary in `settings`, AUTH_USER_MODEL). `settingsModules`: the modules named by
   * DJANGO_SETTINGS_MODULE, which count as settings whatever their name (see detectFileKind).
   */
  indexText(path: string, text: string, settingsModules?: ReadonlySet<string>): void {
    try {
      this.indexTextOrThrow(path, text, settingsModules);
    } catch {
      // A file the analysis cannot take (nested too deeply: the stack ran out) contributes nothing; the rest of
      // the folder's index stands. Linting it says why.
      this.removeFile(path);
    }
  }

  private indexTextOrThrow(path: string, text: string, settingsModules?: ReadonlySet<string>): void {
    if (isMigrationPath(path)) {
      this.setMigration(path, this.summarizeText(path, text));
      return;
    }
    this.noteAuthUserModel(path, text);
    // Only a module that assigns DATABASES or is named like settings can be one: others are not parsed.
    if (!mayBeSettings(path, text, settingsModules)) {
      this.setSettings(path, undefined);
      return;
    }
    const tree = parsePython(text);
    try {
      this.setSettings(path, detectFileKind(path, tree.rootNode, false, settingsModules) === 'settings' ? summarizeSettings(path, tree.rootNode, settingsModules?.has(path)) : undefined);
    } finally {
      tree.delete();
    }
  }

  /** What the index holds for a file (after indexText), to record in another Workspace with `record`. */
  indexed(path: string): IndexedFile {
    if (isMigrationPath(path)) return { path, kind: 'migration', summary: this.summaries.get(path) };
    return { path, kind: 'module', settings: this.settings.module(path), authUserApp: this.authUserApps.get(path) };
  }

  record(file: IndexedFile): void {
    if (file.kind === 'migration') {
      this.setMigration(file.path, file.summary);
      return;
    }
    this.setAuthUserApp(file.path, file.authUserApp);
    this.setSettings(file.path, file.settings);
  }

  /** Records a settings module's summary (undefined: not a settings module, or gone). */
  setSettings(path: string, module: SettingsModule | undefined): void {
    const previous = this.settings.module(path);
    if (!previous && !module) return;
    this.settings.set(path, module);
    if (!previous || !module || !sameData(previous, module)) this.settingsChanges++;
  }

  /**
   * A lint recorded `path`'s settings module in `settings` itself (lintSource does): counts it as a change
   * when it differs from `previous`, the module before the lint. True when it did.
   */
  settingsRecorded(path: string, previous: SettingsModule | undefined): boolean {
    const current = this.settings.module(path);
    if (current === previous || (current && previous && sameData(current, previous))) return false;
    this.settingsChanges++;
    return true;
  }

  /** Grows whenever a settings module of the workspace changes. */
  get settingsVersion(): number {
    return this.settingsChanges;
  }

  /** The summary of a migration file's text (undefined: no migration), without recording it. */
  summarizeText(path: string, text: string): MigrationSummary | undefined {
    const tree = parsePython(text);
    try {
      return this.summarizeTree(path, tree);
    } finally {
      tree.delete();
    }
  }

  /** The summary of a migration file already parsed (the caller keeps the tree, e.g. to lint it next). */
  summarizeTree(path: string, tree: Tree): MigrationSummary | undefined {
    return this.extractTree(path, tree).summary;
  }

  /** The Migration model of a parsed migration file and the summary to record for it. */
  extractTree(path: string, tree: Tree): { migration: Migration | undefined; summary: MigrationSummary | undefined } {
    const migration = parseMigration(path, tree.rootNode, this.appLabel(path));
    if (migration) return { migration, summary: this.migrationSummary(path, migration) };
    // A class half typed away is still the migration it was until the file parses again.
    return { migration, summary: tree.rootNode.hasError ? this.summaries.get(path) : undefined };
  }

  /**
   * The summary to record for a migration. While the file does not parse (`dependencies = [("shop", "00` half
   * typed), it keeps its place in the graph from the summary recorded before: other migrations must not turn into
   * leaves (MG501) while someone types.
   */
  migrationSummary(path: string, migration: Migration): MigrationSummary {
    const summary = summarizeMigration(migration);
    const previous = this.summaries.get(path);
    // The same references as before: the fresh ones, whose locations match the text.
    if (!previous || !migration.classNode.tree.rootNode.hasError || graphSignature(previous) === graphSignature(summary)) return summary;
    return { ...summary, dependencies: previous.dependencies, replaces: previous.replaces, runBefore: previous.runBefore };
  }

  /** `AUTH_USER_MODEL = "app.Model"` in a module (what swappable dependencies resolve to). */
  noteAuthUserModel(path: string, text: string): void {
    this.setAuthUserApp(path, AUTH_USER_MODEL.exec(text)?.[1]?.toLowerCase());
  }

  private setAuthUserApp(path: string, app: string | undefined): void {
    if (app === this.authUserApps.get(path)) return;
    if (app) this.authUserApps.set(path, app);
    else this.authUserApps.delete(path);
    this.invalidateAll();
  }

  /** Records a migration's summary (undefined: the file is gone or is no migration). */
  setMigration(path: string, summary: MigrationSummary | undefined): void {
    const previous = this.summaries.get(path);
    if (summary) this.summaries.set(path, summary);
    else this.summaries.delete(path);
    if (!previous && !summary) return;
    if (previous && summary && sameData(previous, summary)) {
      // The same content (a re-lint of an unchanged file): replayed states stay valid.
      const key = nodeKey(summary.app, summary.name);
      if (this.graphCache?.nodes.get(key) === previous) this.replaceNode(this.graphCache, key, summary);
      return;
    }
    if (!previous || !summary || graphSignature(previous) !== graphSignature(summary)) {
      this.invalidateAll();
      return;
    }
    // Same place in the graph: only this migration's and its descendants' states change.
    const key = nodeKey(summary.app, summary.name);
    const graph = this.graph();
    // Another file with the same app and name holds the node: this one is not in the graph.
    if (graph.nodes.get(key)?.path !== path) return;
    this.replaceNode(graph, key, summary);
    this.stateChanges++;
    if (this.afterStates.size === 0) return;
    this.afterStates.delete(key);
    for (const descendant of graph.descendants(key)) this.afterStates.delete(descendant);
  }

  /** A node's new summary, same place in the graph; unresolved dependencies point at its (located) refs. */
  private replaceNode(graph: MigrationGraph, key: string, summary: MigrationSummary): void {
    const old = graph.nodes.get(key);
    graph.nodes.set(key, summary);
    if (!old) return;
    for (const unresolved of graph.unresolved) {
      if (unresolved.from !== key) continue;
      const index = old.dependencies.indexOf(unresolved.dependency);
      if (index >= 0 && summary.dependencies[index]) unresolved.dependency = summary.dependencies[index];
    }
  }

  removeFile(path: string): void {
    if (this.summaries.has(path)) this.setMigration(path, undefined);
    this.setSettings(path, undefined);
    if (this.authUserApps.delete(path)) this.invalidateAll();
  }

  /** apps.py changed: labels are read again (of one app directory, or all). Re-index its migrations after. */
  forgetAppLabels(appDir?: string): void {
    if (appDir === undefined) this.appLabels.clear();
    else this.appLabels.delete(appDir);
  }

  /**
   * The graph must be rebuilt. Replayed states are kept for now: when the new graph is built, only the
   * migrations whose summary or parents changed, and their descendants, lose theirs.
   */
  private invalidateAll(): void {
    if (this.graphCache) this.previousGraph = this.graphCache;
    this.graphCache = undefined;
    this.positions = undefined;
    this.childrenToReplay = undefined;
    this.graphChanges++;
    this.stateChanges++;
  }

  graph(): MigrationGraph {
    if (!this.graphCache) {
      const authApp = [...this.authUserApps.values()].sort()[0] ?? 'auth';
      const graph = new MigrationGraph(this.summaries.values(), authApp);
      const previous = this.previousGraph;
      this.previousGraph = undefined;
      if (!previous || this.graphAuthApp !== authApp) this.afterStates.clear();
      else if (this.afterStates.size > 0) this.keepUnaffectedStates(previous, graph);
      this.graphCache = graph;
      this.graphAuthApp = authApp;
    }
    return this.graphCache;
  }

  /** Drops the states of migrations whose summary or parents differ between the graphs, and their descendants'. */
  private keepUnaffectedStates(previous: MigrationGraph, graph: MigrationGraph): void {
    const sameParents = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
      !!a && !!b && a.length === b.length && a.every((parent, index) => parent === b[index]);
    const dropped = new Set<string>();
    const stack: string[] = [];
    for (const [key, summary] of graph.nodes) {
      if (previous.nodes.get(key) !== summary || !sameParents(previous.parents.get(key), graph.parents.get(key))) stack.push(key);
    }
    while (stack.length) {
      const key = stack.pop()!;
      if (dropped.has(key)) continue;
      dropped.add(key);
      this.afterStates.delete(key);
      for (const item of graph.children.get(key) ?? []) stack.push(item);
    }
    for (const key of [...this.afterStates.keys()]) if (!graph.nodes.has(key)) this.afterStates.delete(key);
  }

  /** Position of each migration in the graph's topological order. */
  private position(): Map<string, number> {
    const graph = this.graph();
    if (!this.positions) this.positions = new Map(graph.order.map((node, index) => [node, index]));
    return this.positions;
  }

  summary(path: string): MigrationSummary | undefined {
    return this.summaries.get(path);
  }

  /** The project state after a migration; ancestors are replayed (and kept) first, iteratively. */
  stateAfter(key: string): ProjectState {
    const cached = this.afterStates.get(key);
    if (cached) return cached.after;
    const graph = this.graph();
    // Ancestors without a cached state, in topological order.
    const missing: string[] = [];
    const seen = new Set<string>();
    const stack = [key];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next) || this.afterStates.has(next)) continue;
      seen.add(next);
      missing.push(next);
      for (const item of graph.parents.get(next) ?? []) stack.push(item);
    }
    const position = this.position();
    missing.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    // Iterative: parents come first in topological order, so their states are there. A parent that is not is
    // part of a cycle (Django refuses those): its state is left out rather than recursed into.
    for (const node of missing) {
      const summary = graph.nodes.get(node);
      if (!summary) continue;
      const parents: ProjectState[] = [];
      for (const parent of graph.parents.get(node) ?? []) {
        const state = this.afterStates.get(parent);
        if (state) parents.push(state.after);
      }
      const start = this.merged(node, parents);
      this.afterStates.set(node, { ...replayMigration(start, summary), start });
      if (this.forgetUsedStates) this.replayedFromParents(graph, node);
    }
    return this.afterStates.get(key)?.after ?? new Map();
  }

  /**
   * The replay of a migration that is the graph's node for its key: replayed once, in graph order, for the states
   * after it and for its lint's state before each operation. Handed out once: the before-states hold every
   * intermediate model version, so they are dropped then (a later lint of the same file replays it again), with
   * the start state; undefined when they are gone or the summary is not the graph's node.
   */
  replayOf(summary: MigrationSummary): Required<StartedReplay> | undefined {
    const key = nodeKey(summary.app, summary.name);
    if (this.graph().nodes.get(key) !== summary) return undefined;
    this.stateAfter(key);
    const replay = this.afterStates.get(key);
    if (!replay?.start) return undefined;
    if (this.forgetUsedStates && !this.unreplayedChildren().get(key)) this.afterStates.delete(key);
    else this.afterStates.set(key, { after: replay.after, before: new Map() });
    return { ...replay, start: replay.start };
  }

  /** How many migrations' replays the index holds (tests read it). */
  get statesKept(): number {
    return this.afterStates.size;
  }

  /** With forgetUsedStates: per migration of the current graph, its children not replayed yet. */
  private unreplayedChildren(): Map<string, number> {
    if (!this.childrenToReplay) {
      const counts = new Map<string, number>();
      for (const parents of this.graph().parents.values()) for (const parent of parents) counts.set(parent, (counts.get(parent) ?? 0) + 1);
      this.childrenToReplay = counts;
    }
    return this.childrenToReplay;
  }

  /** `node` was replayed from its parents' states: a parent whose lint took its replay and has no child left goes. */
  private replayedFromParents(graph: MigrationGraph, node: string): void {
    const counts = this.unreplayedChildren();
    for (const parent of graph.parents.get(node) ?? []) {
      const left = (counts.get(parent) ?? 1) - 1;
      counts.set(parent, left);
      if (left === 0 && this.afterStates.get(parent)?.start === undefined) this.afterStates.delete(parent);
    }
  }

  /**
   * The state a migration starts from, also before the index has recorded it (a file being typed, hovered
   * before its first lint): then its literal dependencies that the graph knows are its parents.
   */
  stateBeforeMigration(summary: MigrationSummary): ProjectState {
    const key = nodeKey(summary.app, summary.name);
    if (this.graph().parents.has(key)) return this.stateBeforeNode(key);
    const parents = summary.dependencies.filter((d) => d.app && d.name).map((d) => nodeKey(d.app!, d.name!)).filter((parent) => this.graph().nodes.has(parent));
    return this.merged(key, parents.map((parent) => this.stateAfter(parent)));
  }

  /** The state a migration starts from: its parents' states merged. */
  stateBeforeNode(key: string): ProjectState {
    return this.merged(key, (this.graph().parents.get(key) ?? []).map((parent) => this.stateAfter(parent)));
  }

  /**
   * The parents' states merged: a migration with several dependencies starts from a copy of the whole project
   * state. The last merge is kept while its parents' states are the same objects: each keystroke in that
   * migration replays it again from the same start (its parents are unchanged), and the merge was ~1/6 of it.
   */
  private merged(key: string, parents: ProjectState[]): ProjectState {
    if (parents.length === 1) return parents[0];
    const last = this.lastMerge;
    if (last && last.key === key && last.parents.length === parents.length && last.parents.every((state, index) => state === parents[index])) return last.state;
    const state = mergeStates(parents);
    this.lastMerge = { key, parents, state };
    return state;
  }
}
