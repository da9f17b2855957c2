// Linting open documents: one lint per uri per burst of changes (setImmediate, no fixed debounce), an
// incremental re-parse from the edited tree, and diagnostics pushed with the document version, or kept for
// the client's pulls (`textDocument/diagnostic`) when it pulls.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError,
  type CancellationToken, type Connection, type Diagnostic, type DocumentDiagnosticReport, type Hover,
} from 'vscode-languageserver/node';
import { isMigrationPath } from '../analysis/migration';
import { startAfterProblems } from '../analysis/start-after';
import { hasRunSql } from '../analysis/summary';
import { defaultConfig } from '../config/defaults';
import type { ResolvedConfig } from '../config/pyproject';
import { fixSource } from '../engine/fix';
import { MAX_FILE_BYTES, readSource } from '../base/files';
import { TOO_DEEP, isStackOverflow, lintSource, workBoundNote, type LintResult } from '../engine/lint';
import { loadSqlParser, prepareSqlParser, sqlParserFailure } from '../base/sql-parser';
import { LineIndex } from '../base/text';
import type { Workspace } from '../engine/workspace';
import type { Rule } from '../rules/types';
import type { RewriteInput } from './codeActions';
import { ConfigDiagnostics, SettingsStore, type ServerSettings } from './configuration';
import { toDiagnostics } from './diagnostics';
import type { DocumentStore, StoredDocument } from './documents';
import { hoverAt } from './hover';
import type { Logger } from './logger';
import type { FolderIndex, IndexChange, Indexer } from './indexer';
import type { ProjectIndex } from './project';
import { pathToUri } from './uri';

/** The index as it was before a lint: to tell what the lint changed in it. */
interface IndexSnapshot {
  index: FolderIndex;
  graphVersion: number;
  version: number;
  summary: ReturnType<Workspace['summary']>;
  settingsModule: ReturnType<Workspace['settings']['module']>;
}

/** `lineIndexes` version of a file read from disk. */
const DISK = -Infinity;
/** Line indexes of other files kept at most (a handful are named by related locations). */
const MAX_LINE_INDEXES = 200;

/** Files not open, with diagnostics from disk, re-linted at most this long per turn of the message loop. */
const DISK_SLICE_MS = 8;

/** The last lint of an open document, kept for pulls. */
interface LintedVersion {
  version: number;
  diagnostics: Diagnostic[];
  resultId: string;
}

/** The pull report of a document with no diagnostics from us (not open, not linted, closed meanwhile). */
export const EMPTY_REPORT: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };

export class Linter {
  /** uri → the document version seen at the last turn (NaN: none yet). */
  private readonly pending = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  /** uri → how many diagnostics its last lint published. */
  private readonly counts = new Map<string, number>();
  /** Files that are not open, with diagnostics from a workspace lint of their text on disk: uri → path. */
  private readonly onDisk = new Map<string, string>();
  /** Line indexes of other files (related locations): path → document version (DISK: the file on disk). */
  private readonly lineIndexes = new Map<string, { version: number; lines: LineIndex }>();
  /** Paths of `onDisk` files to lint again because something they depend on changed. */
  private readonly diskQueue = new Set<string>();
  private diskDraining = false;
  private stopped = false;
  /** Pull mode: uri → the diagnostics of the last lint of the open document. */
  private readonly results = new Map<string, LintedVersion>();
  /** Result ids count up across documents: an id from before a close never matches after a reopen. */
  private lastResultId = 0;
  /** Pulls waiting for a lint of their uri to end. */
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Pull mode: diagnostics changed without an edit; the client is asked to pull again. */
  private refreshWanted = false;
  private refreshQueued = false;
  /** Open documents whose diagnostics wait for their folder's index (see `lint`). */
  private readonly held = new Set<string>();
  /** uri → what the last lint found the document to be (the status item shows it). */
  private readonly kinds = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly store: DocumentStore,
    private readonly settings: SettingsStore,
    private readonly configDiagnostics: ConfigDiagnostics,
    private readonly project: ProjectIndex,
    /** Resolves to false when the parser could not load: then nothing is linted. */
    private readonly ready: Promise<boolean>,
    private readonly indexer: Indexer,
    /** The client pulls the diagnostics of open documents (and supports refresh): nothing pushed for them. */
    private readonly pullMode = false,
  ) {}

  /** The index `path` is linted with, and its state before the lint (undefined: no built index for it). */
  private snapshot(path: string): IndexSnapshot | undefined {
    const index = this.indexer.folderOf(path);
    if (!index?.ready) return undefined;
    const { workspace } = index;
    return { index, graphVersion: workspace.graphVersion, version: workspace.version, summary: workspace.summary(path), settingsModule: workspace.settings.module(path) };
  }

  /**
   * After a lint of `text`: the index holds what the file says now (lintSource records a migration's summary;
   * a file that stopped being a migration, an ignored one and AUTH_USER_MODEL are handled here), and what
   * depends on the file is linted again.
   */
  private recordLint(snapshot: IndexSnapshot | undefined, path: string, text: string, result: LintResult): void {
    if (!snapshot) return;
    const { index } = snapshot;
    const { workspace } = index;
    let settingsChanged = false;
    if (isMigrationPath(path)) {
      const recorded = workspace.summary(path);
      if (result.migration && recorded === snapshot.summary) workspace.setMigration(path, workspace.migrationSummary(path, result.migration));
      // A class half typed away is still the migration it was until the file parses again.
      else if (!result.migration && recorded && !result.tree.rootNode.hasError) workspace.setMigration(path, undefined);
    } else {
      workspace.noteAuthUserModel(path, text);
      // lintSource recorded a settings module's summary itself; a module that stopped being one goes.
      if (result.fileKind === 'settings') settingsChanged = workspace.settingsRecorded(path, snapshot.settingsModule);
      else if (snapshot.settingsModule) {
        workspace.setSettings(path, undefined);
        settingsChanged = true;
      }
    }
    if (workspace.version === snapshot.version && !settingsChanged) return;
    const summary = workspace.summary(path) ?? snapshot.summary;
    this.refreshDependents({
      index,
      graphChanged: workspace.graphVersion !== snapshot.graphVersion,
      settingsChanged,
      keys: new Set(summary ? [`${summary.app}.${summary.name}`] : []),
      paths: new Set([path]),
    });
  }

  /**
   * The index changed: lint again the open migrations (and those with diagnostics from disk) that depend on
   * what changed, or all of the folder's when the graph changed (graph rules involve other files).
   */
  refreshDependents(change: IndexChange): void {
    if (this.stopped) return;
    const { index } = change;
    const { workspace } = index;
    let wanted: Set<string> | undefined;
    if (change.settingsChanged) {
      // Settings rules judge entry points across modules, MG110/MG111 read the project's timeouts: every
      // migration and settings module of the folder may say something else now.
      const inFolder = (path: string) => !change.paths.has(path) && this.indexer.folderOf(path) === index;
      for (const stored of this.store.all()) if (stored.path && inFolder(stored.path)) this.schedule(stored.uri);
      for (const [uri, path] of this.onDisk) if (!this.store.get(uri) && inFolder(path)) this.diskQueue.add(path);
      this.drainDiskQueue();
      return;
    }
    if (!change.graphChanged) {
      const graph = workspace.graph();
      wanted = new Set();
      for (const key of change.keys) for (const descendant of graph.descendants(key)) wanted.add(descendant);
      if (wanted.size === 0) return;
    }
    const affected = (path: string) => {
      if (change.paths.has(path) || !isMigrationPath(path) || this.indexer.folderOf(path) !== index) return false;
      if (!wanted) return true;
      const summary = workspace.summary(path);
      return !!summary && wanted.has(`${summary.app}.${summary.name}`);
    };
    for (const stored of this.store.all()) if (stored.path && affected(stored.path)) this.schedule(stored.uri);
    for (const [uri, path] of this.onDisk) if (!this.store.get(uri) && affected(path)) this.diskQueue.add(path);
    this.drainDiskQueue();
  }

  /** Lints the queued files from disk, a slice per turn of the message loop. */
  private drainDiskQueue(): void {
    if (this.diskDraining || this.diskQueue.size === 0) return;
    this.diskDraining = true;
    const step = async () => {
      try {
        if (!(await this.ready)) return;
        const settings = await this.settings.forUri(undefined);
        while (this.diskQueue.size > 0 && !this.stopped) {
          const started = performance.now();
          for (const path of this.diskQueue) {
            this.diskQueue.delete(path);
            try {
              this.lintOnDisk(path, settings);
            } catch (error) {
              this.logger.error(`Linting ${path} failed`, error);
            }
            if (performance.now() - started >= DISK_SLICE_MS) break;
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        this.diskDraining = false;
      }
    };
    setImmediate(() => { step().catch((error: unknown) => this.logger.error('Refreshing diagnostics from disk failed', error)); });
  }

  /** The live text of an open document at `path`. */
  openText(path: string): string | undefined {
    return this.store.byPath(path)?.document.getText();
  }

  /**
   * Lints `uri` once the current burst of messages has been handled. vscode-jsonrpc handles one message per
   * setImmediate turn, so a single setImmediate would run between two queued changes: the lint waits instead
   * until a whole turn passes without a new version of the document (no timer, no fixed delay).
   */
  schedule(uri: string): void {
    if (this.stopped || this.pending.has(uri)) return;
    this.pending.set(uri, NaN);
    setImmediate(() => this.settle(uri));
  }

  private settle(uri: string): void {
    const version = this.store.get(uri)?.version;
    if (version !== undefined && !this.stopped && version !== this.pending.get(uri)) {
      this.pending.set(uri, version);
      setImmediate(() => this.settle(uri));
      return;
    }
    this.pending.delete(uri);
    void this.run(uri);
  }

  /** A document opened. Pull mode: its pulls own its diagnostics now; those pushed from disk go. */
  opened(uri: string): void {
    this.results.delete(uri);
    if (this.pullMode && this.onDisk.has(uri)) this.send(uri, []);
    this.schedule(uri);
  }

  scheduleAll(): void {
    for (const stored of this.store.all()) if (stored.path) this.schedule(stored.uri);
  }

  /** Shutdown: no more linting (the trees are about to be freed). */
  stop(): void {
    this.stopped = true;
    for (const uri of [...this.waiters.keys()]) this.wake(uri);
  }

  private async run(uri: string): Promise<void> {
    if (this.running.has(uri)) {
      this.again.add(uri); // a lint is waiting for settings; lint once more when it is done
      return;
    }
    this.running.add(uri);
    try {
      await this.lint(uri);
    } catch (error) {
      this.logger.error(`Linting ${uri} failed`, error);
    } finally {
      this.running.delete(uri);
      if (this.again.delete(uri)) this.schedule(uri);
      this.wake(uri);
      this.flushRefresh();
    }
  }

  /**
   * PostgreSQL's SQL parser, loaded the first time a text that may have a `RunSQL` is linted (see
   * base/sql-parser.ts): the lint is synchronous, the load is not, so it is awaited before. One log line
   * when it loads, one when it cannot (then the SQL inside RunSQL is not checked; every other rule runs).
   */
  private async sqlParserFor(text: string): Promise<void> {
    const pending = prepareSqlParser(text);
    if (pending) await this.sqlParserLoaded(pending);
  }

  private sqlParserLogged?: Promise<void>;

  private sqlParserLoaded(pending: Promise<boolean>): Promise<void> {
    const started = performance.now();
    this.sqlParserLogged ??= pending.then((loaded) => {
      if (loaded) this.logger.info(`Loaded PostgreSQL's SQL parser for RunSQL in ${(performance.now() - started).toFixed(0)} ms`);
      else this.logger.error(`PostgreSQL's SQL parser could not be loaded (${sqlParserFailure()}): SQL inside RunSQL is not checked; the other rules run`);
    });
    return this.sqlParserLogged;
  }

  /** Before linting these files from disk: the SQL parser, when the index says one of them runs raw SQL. */
  async prepareSqlFor(paths: readonly string[]): Promise<void> {
    const needed = paths.some((path) => isMigrationPath(path) && hasRunSql(this.indexer.folderOf(path)?.workspace.summary(path)));
    if (needed) await this.sqlParserLoaded(loadSqlParser());
  }

  /** Settings, the lint-able document (re-read after every await: it may have changed or closed). */
  private async prepare(uri: string): Promise<{ stored: StoredDocument & { path: string }; settings: ServerSettings } | undefined> {
    if (!(await this.ready) || this.stopped || !this.store.get(uri)?.path) return undefined;
    await this.sqlParserFor(this.store.get(uri)!.document.getText());
    const settings = await this.settings.forUri(uri);
    const stored = this.store.get(uri);
    if (this.stopped || !stored?.path) return undefined;
    return { stored: stored as StoredDocument & { path: string }, settings };
  }

  private resolve(settings: ServerSettings, path: string): ResolvedConfig {
    try {
      const resolved = this.settings.resolverFor(settings).forFile(path);
      this.configDiagnostics.report(this.withGraphProblems(resolved, path));
      return resolved;
    } catch (error) {
      this.logger.error(`Reading the configuration for ${path} failed; using the defaults`, error);
      return { config: defaultConfig(), problems: [] };
    }
  }

  /**
   * The config's problems plus those only the workspace can tell (a `start-after` that names no migration), once
   * the index of `path`'s folder is built.
   */
  private withGraphProblems(resolved: ResolvedConfig, path: string): ResolvedConfig {
    const index = this.indexer.folderOf(path);
    if (!index?.ready || Object.keys(resolved.config.startAfter).length === 0) return resolved;
    const problems = startAfterProblems(index.workspace.graph(), resolved.config.startAfter);
    return problems.length > 0 ? { ...resolved, problems: [...resolved.problems, ...problems] } : resolved;
  }

  private onRuleError = (rule: Rule, error: unknown) => this.logger.error(`Rule ${rule.code} (${rule.name}) threw`, error);
  /** Texts of other files read from disk (models.py for MG201), kept while their size and mtime stay the same. */
  private readonly diskTexts = new Map<string, { size: number; mtimeMs: number; ino: number; text: string }>();

  /** readProjectFile for one lint: each file once (MG201 asks for models.py once per finding). */
  private readForOneLint(): (path: string) => string | undefined {
    const texts = new Map<string, string | undefined>();
    return (path) => {
      if (!texts.has(path)) texts.set(path, this.readProjectFile(path));
      return texts.get(path);
    };
  }

  /**
   * Another file for a fix that edits it too (MG201: models.py): the open document's text, else the disk's. A
   * keystroke asks again: a stat tells whether the text read last time is still the file's.
   */
  private readProjectFile = (path: string): string | undefined => {
    const open = this.store.byPath(path);
    if (open) return open.document.getText();
    const cached = this.diskTexts.get(path);
    if (cached) {
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats && stats.size === cached.size && stats.mtimeMs === cached.mtimeMs && stats.ino === cached.ino) return cached.text;
      this.diskTexts.delete(path);
    }
    const read = readSource(path);
    if (!read.ok) return undefined;
    if (read.fingerprint) {
      if (this.diskTexts.size >= MAX_LINE_INDEXES) this.diskTexts.clear();
      this.diskTexts.set(path, { ...read.fingerprint, text: read.text });
    }
    return read.text;
  };

  private async lint(uri: string): Promise<void> {
    const prepared = await this.prepare(uri);
    if (!prepared) return;
    const { stored, settings } = prepared;
    const text = stored.document.getText();
    if (!settings.enable || text.length > MAX_FILE_BYTES) {
      if (settings.enable) this.logger.info(`${stored.path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not linted`);
      this.store.dropTree(stored);
      this.publish(uri, [], stored.version);
      return;
    }
    const { config } = this.resolve(settings, stored.path);
    const started = performance.now();
    const incremental = !!stored.tree;
    const snapshot = this.snapshot(stored.path);
    // While the folder is indexed, diagnostics are held back (indexBuilding): the rules would run for nothing.
    const indexing = this.indexBuilding(stored.path);
    let result;
    try {
      result = lintSource({
        path: stored.path, text, config, previousTree: stored.tree, keepWasm: true, kindOnly: indexing, settingsModules: this.project.settingsModulesFor(stored.path), onRuleError: this.onRuleError,
        workspace: snapshot?.index.workspace, settingsIndex: snapshot?.index.workspace.settings, readFile: this.readForOneLint(),
      });
    } catch (error) {
      // The old tree may be the culprit: start from scratch next time.
      this.store.dropTree(stored);
      if (!isStackOverflow(error)) throw error;
      // This document only: no diagnostics for it (the previous ones go), everything else goes on.
      this.logger.warn(`${stored.path}: not linted: ${TOO_DEEP}`);
      this.publish(uri, [], stored.version);
      return;
    }
    this.store.replaceTree(stored, result.tree);
    this.kinds.set(uri, result.fileKind);
    if (indexing && result.fileKind !== 'other') {
      this.held.add(uri);
      return;
    }
    const diagnostics = toDiagnostics(result.violations, stored.path, text, stored.version, this.linesOf, result.lines());
    const note = workBoundNote(result);
    if (note) this.logger.warn(`${stored.path}: ${note}`);
    this.logger.debug(() => `${stored.path} v${stored.version}: ${diagnostics.length} diagnostic(s), ${result.fileKind}, ${incremental ? 'incremental' : 'full'} parse + lint ${(performance.now() - started).toFixed(1)} ms`);
    // Published even when empty: that is how the previous problems go away.
    if (result.fileKind === 'other') this.counts.delete(uri);
    else this.counts.set(uri, diagnostics.length);
    this.publish(uri, diagnostics, stored.version);
    // After publishing: dependents never delay the edited document's diagnostics.
    this.recordLint(snapshot, stored.path, text, result);
    // The tree stays for the next keystroke's incremental parse, which reads its slots only. The node objects this
    // lint made (and its Migration model) would stay with it and be copied by every young-generation GC until then:
    // typing in the bench's 1,000-line migration, minor GC time fell by 15 % without them, and the server's RSS stayed
    // at 271-275 MB instead of 286-565 MB. Hover and code actions start again from the root.
    result.tree.forgetNodes();
  }

  /**
   * While its folder's index is being built, what a migration or a settings module gets depends on files not read
   * yet (start-after and the graph, the models' history, the other settings modules): its diagnostics are held
   * back until the index is ready (which lints the open documents again), instead of showing all, then none,
   * then a partial set. Then a lint only tells what the document is (kindOnly).
   */
  private indexBuilding(path: string): boolean {
    const index = this.indexer.folderOf(path);
    return !!index && !index.ready && !index.failed && !index.removed;
  }

  /** What the last lint found the open document to be: migration, settings, other (undefined: not linted yet). */
  fileKindOf(uri: string): string | undefined {
    return this.kinds.get(uri);
  }

  /** Diagnostics of the open document are held back until its folder's index is ready. */
  isHeld(uri: string): boolean {
    return this.held.has(uri);
  }

  /**
   * Line index of another file for related locations: an open document's live text (per version), else the
   * file on disk, read once and kept until a watched-file event or a close says it changed.
   */
  private readonly linesOf = (path: string): LineIndex | undefined => {
    const stored = this.store.byPath(path);
    const cached = this.lineIndexes.get(path);
    const version = stored ? stored.version : DISK;
    if (cached && cached.version === version) return cached.lines;
    let lines: LineIndex | undefined;
    if (stored) lines = new LineIndex(stored.document.getText());
    else {
      const source = readSource(path);
      if (!source.ok) return undefined;
      lines = new LineIndex(source.text);
    }
    if (this.lineIndexes.size >= MAX_LINE_INDEXES) this.lineIndexes.clear();
    this.lineIndexes.set(path, { version, lines });
    return lines;
  };

  /** A file changed on disk (or its document closed): its cached line index and text go. */
  forgetLines(path: string): void {
    this.lineIndexes.delete(path);
    this.diskTexts.delete(path);
  }

  private send(uri: string, diagnostics: Diagnostic[], version?: number): void {
    this.connection.sendDiagnostics({ uri, version, diagnostics }).catch((error: unknown) => this.logger.debug(`publishDiagnostics failed: ${String(error)}`));
  }

  /**
   * The diagnostics of a lint of an open document: pushed, or in pull mode kept for the pulls under a new
   * result id when they changed. The client pulls after its own edits; the same version linted again (a
   * dependency, the settings or the index changed) it would not pull for: that asks for a refresh.
   */
  private publish(uri: string, diagnostics: Diagnostic[], version: number): void {
    const wasHeld = this.held.delete(uri);
    if (!this.pullMode) return this.send(uri, diagnostics, version);
    const last = this.results.get(uri);
    if (last?.version === version && JSON.stringify(last.diagnostics) === JSON.stringify(diagnostics)) return;
    this.results.set(uri, { version, diagnostics, resultId: String(++this.lastResultId) });
    // A held document's pulls got nothing: the client must pull again to see these.
    if (last?.version === version || wasHeld) this.refreshWanted = true;
  }

  /**
   * `workspace/diagnostic/refresh`, once the lints in flight are done: a settings change that re-lints every
   * open document asks once, not once per document (each re-pull of the client answers from `results`).
   */
  private flushRefresh(): void {
    if (!this.refreshWanted || this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      // The last of those lints flushes again when it ends.
      if (this.stopped || this.pending.size > 0 || this.running.size > 0) return;
      this.refreshWanted = false;
      this.connection.languages.diagnostics.refresh().catch((error: unknown) => this.logger.debug(`workspace/diagnostic/refresh failed: ${String(error)}`));
    });
  }

  /**
   * `textDocument/diagnostic`: the diagnostics of the open document's current version. didOpen and didChange
   * always schedule a lint, so a pull that finds no result for the current version waits for that lint
   * instead of linting the same text again.
   */
  async pull(uri: string, previousResultId: string | undefined, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    for (;;) {
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The diagnostic pull was cancelled');
      const stored = this.store.get(uri);
      if (!stored?.path || this.stopped) return EMPTY_REPORT;
      const last = this.results.get(uri);
      // No lint on its way but none for this version (it threw, or the parser did not load): the last is all there is.
      if (last?.version === stored.version || (!this.pending.has(uri) && !this.running.has(uri))) {
        if (!last) return EMPTY_REPORT;
        if (last.resultId === previousResultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
        return { kind: DocumentDiagnosticReportKind.Full, resultId: last.resultId, items: last.diagnostics };
      }
      await this.lintEnded(uri, token);
    }
  }

  /** Resolves when a lint of `uri` ends, the document closes, the server stops or the pull is cancelled. */
  private lintEnded(uri: string, token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.waiters.get(uri) ?? new Set<() => void>();
      this.waiters.set(uri, waiting);
      const done = () => {
        cancellation.dispose();
        waiting.delete(done);
        resolve();
      };
      const cancellation = token.onCancellationRequested(done);
      waiting.add(done);
    });
  }

  private wake(uri: string): void {
    const waiting = this.waiters.get(uri);
    this.waiters.delete(uri);
    for (const done of waiting ?? []) done();
  }

  /** Hover for an open document at `offset`, with its settings and config (null when disabled). */
  async hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    const prepared = await this.prepare(uri);
    if (!prepared || !prepared.settings.enable) return null;
    const { stored, settings } = prepared;
    const { config } = this.resolve(settings, stored.path);
    const tree = this.store.currentTree(stored);
    const index = this.indexer.folderOf(stored.path);
    return hoverAt(stored.path, stored.document.getText(), tree, stored.document.offsetAt(position), config, index?.ready ? index.workspace : undefined);
  }

  /** What a rewrite of an open document's finding needs: its config, tree and workspace index (once built). */
  async rewriteInput(uri: string): Promise<RewriteInput | undefined> {
    const prepared = await this.prepare(uri);
    if (!prepared || !prepared.settings.enable) return undefined;
    const { stored, settings } = prepared;
    const { config } = this.resolve(settings, stored.path);
    const index = this.indexer.folderOf(stored.path);
    return { stored, config, tree: this.store.currentTree(stored), workspace: index?.ready ? index.workspace : undefined };
  }

  /** How many diagnostics the last lint of an open document published (undefined: not linted yet). */
  lastCount(uri: string): number | undefined {
    return this.counts.get(uri);
  }

  /** The document closed: its diagnostics go, or come from the file on disk again after a workspace lint. */
  closed(uri: string, path: string): void {
    this.counts.delete(uri);
    this.held.delete(uri);
    this.kinds.delete(uri);
    this.results.delete(uri);
    this.wake(uri); // a pull waiting for it answers empty
    this.forgetLines(path);
    // Unsaved edits are gone: the index reads the file on disk again (and re-lints what depends on it).
    this.indexer.documentClosed(path);
    if (!this.onDisk.has(uri)) {
      this.send(uri, []);
      return;
    }
    this.settings.forUri(uri).then(
      (settings) => { if (!this.store.get(uri)) this.lintOnDisk(path, settings); },
      (error: unknown) => this.logger.error(`Linting ${path} failed`, error),
    );
  }

  /**
   * Lints a file that is not open, from disk, and publishes its diagnostics (with no version: no quick fixes
   * until it is opened). Returns how many; undefined when it is not linted (unreadable, not a migration or
   * settings module, disabled).
   */
  lintOnDisk(path: string, settings: ServerSettings): number | undefined {
    const uri = pathToUri(path);
    if (this.stopped || this.store.get(uri)) return undefined;
    const source = settings.enable ? readSource(path) : undefined;
    if (!source?.ok) {
      if (source) this.logger.debug(`${path}: ${source.reason}`);
      if (this.onDisk.delete(uri)) this.send(uri, []);
      return undefined;
    }
    const loadingSql = prepareSqlParser(source.text);
    if (loadingSql) {
      // Linted now without the SQL rules; again (from the queue) once the parser is there.
      void this.sqlParserLoaded(loadingSql).then(() => {
        this.diskQueue.add(path);
        this.drainDiskQueue();
      });
    }
    const { config } = this.resolve(settings, path);
    const snapshot = this.snapshot(path);
    const result = lintSource({
      path, text: source.text, config, settingsModules: this.project.settingsModulesFor(path), onRuleError: this.onRuleError,
      workspace: snapshot?.index.workspace, settingsIndex: snapshot?.index.workspace.settings, readFile: this.readForOneLint(),
    });
    result.tree.delete();
    this.recordLint(snapshot, path, source.text, result);
    if (result.fileKind === 'other') {
      if (this.onDisk.delete(uri)) this.send(uri, []);
      return undefined;
    }
    // Version -1: a code action never matches it; opening the file lints it again with its real version.
    this.send(uri, toDiagnostics(result.violations, path, source.text, -1, this.linesOf, result.lines()));
    this.onDisk.set(uri, path);
    return result.violations.length;
  }

  /** A watched `.py` file changed on disk: if we published diagnostics for it from disk, refresh them. */
  async diskFileChanged(path: string, deleted: boolean): Promise<void> {
    const uri = pathToUri(path);
    if (!this.onDisk.has(uri) || this.store.get(uri)) return;
    if (deleted) {
      this.onDisk.delete(uri);
      this.send(uri, []);
      return;
    }
    if (await this.ready) this.lintOnDisk(path, await this.settings.forUri(uri));
  }

  /** Settings or config files changed: lint again what a workspace lint published, a file per turn. */
  private async refreshOnDisk(): Promise<void> {
    if (this.onDisk.size === 0 || !(await this.ready)) return;
    const settings = await this.settings.forUri(undefined);
    for (const path of [...this.onDisk.values()]) {
      if (this.stopped) return;
      try {
        this.lintOnDisk(path, settings);
      } catch (error) {
        this.logger.error(`Linting ${path} failed`, error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Open documents, and files linted from disk, after a change of settings or config files. */
  relintEverything(): void {
    this.scheduleAll();
    this.indexer.configurationChanged().catch((error: unknown) => this.logger.error('Checking the index configuration failed', error));
    this.refreshOnDisk().catch((error: unknown) => this.logger.error('Refreshing workspace diagnostics failed', error));
  }

  /**
   * The text of the document after every safe fix (ruff's loop), with the text it started from; undefined
   * when the document is not linted.
   */
  /** The text after every safe fix; `applied` counts them, `unsafeLeft` names the codes whose fixes are all unsafe. */
  async fixAll(uri: string): Promise<{ stored: StoredDocument; before: string; after: string; applied: number; unsafeLeft: string[] } | undefined> {
    const prepared = await this.prepare(uri);
    if (!prepared || !prepared.settings.enable) return undefined;
    const { stored, settings } = prepared;
    const before = stored.document.getText();
    if (before.length > MAX_FILE_BYTES) return undefined;
    const { config } = this.resolve(settings, stored.path);
    const workspace = this.indexer.workspaceFor(stored.path);
    const fixed = fixSource({ path: stored.path, text: before, config, settingsModules: this.project.settingsModulesFor(stored.path), onRuleError: this.onRuleError, workspace, settingsIndex: workspace?.settings }, { unsafe: false });
    fixed.result.tree.delete();
    const unsafeLeft = fixed.result.violations.filter((violation) => violation.fixes.length > 0 && violation.fixes.every((fix) => fix.applicability !== 'safe')).map((violation) => violation.code);
    // The fix loop recorded the summaries of texts the document does not have (yet): lint it again.
    if (workspace && fixed.text !== before) this.schedule(stored.uri);
    return { stored, before, after: fixed.text, applied: fixed.applied, unsafeLeft };
  }

  /** A pyproject.toml changed on disk: forget cached configs, report its problems afresh, re-lint. */
  async configFileChanged(path: string, deleted: boolean): Promise<void> {
    this.configDiagnostics.forget(path, deleted);
    this.settings.clearResolvers();
    if (!deleted && (await this.ready)) {
      try {
        const settings = await this.settings.forUri(undefined);
        const resolved = this.settings.resolverFor(settings).forDirectory(dirname(path));
        if (resolved.configPath === path) this.configDiagnostics.report(this.withGraphProblems(resolved, path));
        else this.configDiagnostics.forget(path, true);
      } catch (error) {
        this.logger.error(`Reading ${path} failed`, error);
      }
    }
    this.relintEverything();
  }
}
