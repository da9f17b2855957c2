// A real LSP client for the tests: spawns the BUILT server (dist/server.js) over stdio and speaks JSON-RPC
// with vscode-languageserver-protocol. Waits poll the received notifications (never a fixed sleep).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationToken, CodeActionRequest, ConfigurationRequest, DiagnosticRefreshRequest, DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, DocumentDiagnosticRequest, type DocumentDiagnosticReport, ExitNotification, FileChangeType, HoverRequest, InitializeRequest, InitializedNotification, LogMessageNotification,
  PublishDiagnosticsNotification, RegistrationRequest, ShowMessageNotification, ShutdownRequest, WorkDoneProgress,
  WorkDoneProgressCreateRequest, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport,
  createProtocolConnection, type CodeAction, type Command, type Diagnostic, type Hover, type InitializeResult,
  type ProtocolConnection, type PublishDiagnosticsParams, type Range, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

/** From out/test/lsp/*.test.js (where the bundled tests run) up to the repository root. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const SERVER = join(REPO_ROOT, 'dist', 'server.js');

const DEFAULT_TIMEOUT = 10_000;

/** Diagnostic predicates for waitForDiagnostics / waitForCurrent. */
export const has = (code: string) => (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === code);
export const lacks = (code: string) => (diagnostics: Diagnostic[]) => !diagnostics.some((d) => d.code === code);

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** A temporary project laid out like a Django app; `files` are relative paths → contents. */
export function makeProject(files: Record<string, string> = {}): { root: string; path(relative: string): string; write(relative: string, text: string): string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mg-lsp-'));
  const path = (relative: string) => join(root, relative);
  const write = (relative: string, text: string) => {
    const full = path(relative);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  for (const [relative, text] of Object.entries(files)) write(relative, text);
  return { root, path, write, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Applies LSP text edits (positions in UTF-16 units, like the server's). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (position: { line: number; character: number }) =>
    position.line >= starts.length ? text.length : Math.min(starts[position.line] + position.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

/** The LSP range of `text.indexOf(needle)` (first occurrence) spanning `needle`. */
export function rangeOf(text: string, needle: string, from = 0): Range {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`${JSON.stringify(needle)} not in text`);
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: position(start), end: position(start + needle.length) };
}

export interface ClientOptions {
  /** Settings answered to `workspace/configuration` for section `migrationGuard`. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Advertise `workspace.configuration` (default true). */
  configuration?: boolean;
  rootPath?: string;
  /** Advertise `window.workDoneProgress` (default false): the server may then create progress tokens. */
  workDoneProgress?: boolean;
  /** Advertise `textDocument.diagnostic` (pull diagnostics) and, unless `refreshSupport: false`, `workspace.diagnostics.refreshSupport`. */
  pullDiagnostics?: boolean;
  refreshSupport?: boolean;
  /** `capabilities.experimental` (e.g. `{ migrationGuardDocs: 'scheme' }`). */
  experimental?: Record<string, unknown>;
  /** Advertise `workspace.workspaceEdit.documentChanges` (default false). */
  documentChanges?: boolean;
  /** Advertise WorkspaceEdit `documentChanges` with `resourceOperations: ['create']` and disabled code actions. */
  createFiles?: boolean;
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** Answered to every `workspace/configuration` item of section `migrationGuard`. */
  settings: Record<string, unknown>;
  /** Latest publishDiagnostics per uri. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  readonly messages: string[] = [];
  readonly registrations: string[] = [];
  /** Every item of every `workspace/configuration` request. */
  readonly configurationItems: { scopeUri?: string; section?: string }[] = [];
  /** How many publishDiagnostics arrived per uri. */
  readonly publishCount = new Map<string, number>();
  /** Every publishDiagnostics, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Work-done progress the server created (`window/workDoneProgress/create`) and reported, in order. */
  readonly progress: { token: string | number; value: ProgressValue }[] = [];
  readonly progressTokens: (string | number)[] = [];
  /** How many `workspace/diagnostic/refresh` requests the server sent. */
  refreshes = 0;
  stderr = '';
  /** Errors reading or writing the stream: anything on stdout that is not a JSON-RPC message lands here. */
  readonly protocolErrors: string[] = [];
  exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  /** While set, `workspace/configuration` answers wait for it (to hold a lint back). */
  private configurationGate?: Promise<void>;
  /** While set, `window/workDoneProgress/create` answers wait for it (the index waits for its progress). */
  private progressGate?: Promise<void>;

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    this.exited = new Promise((resolveExit) => this.process.on('exit', (code) => {
      this.exitCode = code;
      resolveExit(code);
      this.notify();
    }));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      this.publishCount.set(params.uri, (this.publishCount.get(params.uri) ?? 0) + 1);
      this.notify();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => { this.logs.push(params.message); this.notify(); });
    this.connection.onNotification(ShowMessageNotification.type, (params) => { this.messages.push(params.message); this.notify(); });
    this.connection.onRequest(ConfigurationRequest.type, async (params) => {
      this.configurationItems.push(...params.items);
      this.notify();
      await this.configurationGate;
      return params.items.map((item) => (item.section === 'migrationGuard' ? this.settings : null));
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, async (params) => {
      this.progressTokens.push(params.token);
      this.connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push({ token: params.token, value });
        this.notify();
      });
      this.notify();
      await this.progressGate;
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((registration) => registration.method));
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      this.notify();
    });
    this.connection.onError(([error]) => { this.protocolErrors.push(String(error)); });
    this.connection.listen();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with `check()`'s first non-undefined value, re-checked on every message; rejects on timeout. */
  waitFor<T>(check: () => T | undefined, what: string, timeout = DEFAULT_TIMEOUT): Promise<T> {
    return new Promise((resolveWait, reject) => {
      const attempt = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolveWait(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}\nserver log:\n${this.logs.join('\n')}\nstderr:\n${this.stderr}`));
      }, timeout);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }

  async initialize(): Promise<InitializeResult> {
    const configuration = this.options.configuration ?? true;
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: this.options.rootPath ? uriOf(this.options.rootPath) : null,
      workspaceFolders: this.options.rootPath ? [{ uri: uriOf(this.options.rootPath), name: 'workspace' }] : null,
      initializationOptions: this.options.initializationOptions,
      capabilities: {
        ...(this.options.experimental ? { experimental: this.options.experimental } : {}),
        window: { workDoneProgress: this.options.workDoneProgress ?? false },
        workspace: {
          configuration,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: this.options.createFiles ? { documentChanges: true, resourceOperations: ['create'] } : { documentChanges: this.options.documentChanges ?? false },
          ...(this.options.pullDiagnostics && this.options.refreshSupport !== false ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(this.options.pullDiagnostics ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
            ...(this.options.createFiles ? { disabledSupport: true } : {}),
          },
        },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(path: string, text: string, languageId = 'python'): Promise<string> {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.texts.get(uri)!;
  }

  version(uri: string): number {
    return this.versions.get(uri)!;
  }

  /** An incremental change: replaces `range` with `newText`; the client's copy of the text follows. */
  async change(uri: string, range: Range, newText: string): Promise<number> {
    return this.changeMany(uri, [{ range, text: newText }]);
  }

  async changeMany(uri: string, changes: { range?: Range; text: string }[]): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    let text = this.text(uri);
    for (const change of changes) text = change.range ? applyTextEdits(text, [{ range: change.range, newText: change.text }]) : change.text;
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes.map((change) => (change.range ? { range: change.range, text: change.text } : { text: change.text })),
    });
    return version;
  }

  /** A full-text change (no range). */
  async replace(uri: string, text: string): Promise<number> {
    return this.changeMany(uri, [{ text }]);
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { migrationGuard: settings } });
  }

  async fileChanged(path: string, type: FileChangeType = FileChangeType.Changed): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(path), type }] });
  }

  /**
   * Waits for diagnostics of `uri` that satisfy `predicate` (default: any publish). With `version`, only a
   * publish for that document version (or later) counts.
   */
  waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true, options: { version?: number; timeout?: number } = {}): Promise<Diagnostic[]> {
    return this.waitFor(() => {
      const published = this.diagnostics.get(uri);
      if (!published) return undefined;
      if (options.version !== undefined && (published.version ?? -1) < options.version) return undefined;
      return predicate(published.diagnostics) ? published.diagnostics : undefined;
    }, `diagnostics of ${uri}${options.version !== undefined ? ` at version ${options.version}` : ''}`, options.timeout);
  }

  /** Waits for the diagnostics of the document's current version. */
  waitForCurrent(uri: string, predicate?: (diagnostics: Diagnostic[]) => boolean, timeout?: number): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, predicate, { version: this.version(uri), timeout });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
    return (result ?? []).filter((action: Command | CodeAction): action is CodeAction => 'kind' in action || 'edit' in action);
  }

  hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  /** `textDocument/diagnostic`. */
  pull(uri: string, previousResultId?: string, token?: CancellationToken): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId }, token);
  }

  /**
   * Pulls the diagnostics of `uri` until they satisfy `predicate`, pulling again after each
   * `workspace/diagnostic/refresh` (as an editor does).
   */
  async pullUntil(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true, timeout = DEFAULT_TIMEOUT): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const refreshes = this.refreshes;
      const report = await this.pull(uri);
      const items = report.kind === 'full' ? report.items : [];
      if (predicate(items)) return items;
      await this.waitFor(() => (this.refreshes > refreshes ? true : undefined), `a refresh after ${JSON.stringify(items.map((d) => d.code))} for ${uri}`, Math.max(1, deadline - Date.now()));
    }
  }

  /** Holds `workspace/configuration` answers (and so the lints that wait for settings) until the release. */
  holdConfiguration(): () => void {
    let release = () => undefined as void;
    this.configurationGate = new Promise((resolveGate) => { release = resolveGate; });
    return () => {
      this.configurationGate = undefined;
      release();
    };
  }

  /**
   * Holds the answers to `window/workDoneProgress/create` until the release: the folder's index has collected its
   * files and waits for its progress before it reads them (at most the server's PROGRESS_TIMEOUT_MS, 2 s), so
   * "still indexing" does not depend on how fast the index is. Needs `workDoneProgress: true`.
   */
  holdProgress(): () => void {
    let release = () => undefined as void;
    this.progressGate = new Promise((resolveGate) => { release = resolveGate; });
    return () => {
      this.progressGate = undefined;
      release();
    };
  }

  /** The Lint Workspace command's request. */
  lintWorkspace(): Promise<{ files: number; problems: number }> {
    return this.connection.sendRequest('migrationGuard/lintWorkspace', {});
  }

  async shutdown(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** For `after` hooks: shut down politely when possible, else kill. */
  async dispose(): Promise<void> {
    if (this.exitCode !== undefined) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.shutdown(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('shutdown timed out')), 5000); })]);
    } catch {
      this.process.kill();
    } finally {
      clearTimeout(timer);
    }
  }

  get exitedPromise(): Promise<number | null> {
    return this.exited;
  }
}

/** A migration that adds an index to an existing table: MG101 on `migrations.AddIndex(`. */
export const ADD_INDEX_MIGRATION = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.AddIndex(',
  '            model_name="order",',
  '            index=models.Index(fields=["created_at"], name="order_created_idx"),',
  '        ),',
  '    ]',
  '',
].join('\n');

export const MIGRATION_PATH = 'shop/migrations/0002_order_created_idx.py';

/** `shop/migrations/0001_initial.py`: creates `order`, the history the migrations above depend on. */
export const INITIAL_MIGRATION = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = []',
  '',
  '    operations = [',
  '        migrations.CreateModel(',
  '            name="Order",',
  '            fields=[',
  '                ("id", models.BigAutoField(primary_key=True)),',
  '                ("created_at", models.DateTimeField(null=True)),',
  '            ],',
  '        ),',
  '    ]',
  '',
].join('\n');
