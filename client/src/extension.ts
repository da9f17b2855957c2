// Extension entry: the log channel, the language status item, the commands, and `migrationGuard.enable`.
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { SECTION, ServerManager, type ServerStatus } from './client';
import { offerStartFromHere, startFromHere } from './start-from-here';
import { DOCS_SCHEME, RuleDocsProvider, showRuleDocs, showRules } from './rule-docs';

/** The code action kind of "fix all safe Migration Guard problems" (the server offers it). */
export const FIX_ALL_KIND = 'source.fixAll.migrationGuard';
/** Custom request: lint every migration and settings file in the workspace, publishing diagnostics for all. */
export const LINT_WORKSPACE_REQUEST = 'migrationGuard/lintWorkspace';

/** Custom request: which config file applies to a document, and the size of its folder's index. */
export const STATUS_REQUEST = 'migrationGuard/status';

interface AssumedValue {
  value?: unknown;
  from?: string;
}

/** What the server answers to `migrationGuard/status` (every field optional: an older server sends fewer). */
interface StatusInfo {
  configFile?: string;
  migrations?: number;
  settingsModules?: number;
  indexing?: boolean;
  fileKind?: 'migration' | 'settings' | 'other';
  database?: AssumedValue;
  postgresVersion?: AssumedValue;
  djangoVersion?: AssumedValue;
  since?: { ref?: string; problem?: string };
}

const DATABASE_NAMES: Record<string, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', oracle: 'Oracle' };
const FILE_KINDS: Record<string, string> = { migration: 'migration', settings: 'settings module', other: 'neither a migration nor a settings module' };

/** "PostgreSQL 16 (default), Django 4.2 (requirements)": what the rules assume, and where each value comes from. */
export function describeAssumptions(info: StatusInfo): string | undefined {
  const { database, postgresVersion, djangoVersion } = info;
  if (!database || typeof database.value !== 'string') return undefined;
  const name = DATABASE_NAMES[database.value] ?? database.value;
  const parts = database.value === 'postgresql' && postgresVersion
    ? [`${name} ${String(postgresVersion.value)} (${database.from === postgresVersion.from ? database.from : `database: ${database.from}, version: ${postgresVersion.from}`})`]
    : [`${name} (${database.from})`];
  if (djangoVersion) parts.push(`Django ${String(djangoVersion.value)} (${djangoVersion.from})`);
  return parts.join(', ');
}

/** The status item's text and detail for a status answer. */
export function statusTexts(info: StatusInfo, configLabel: string): { text: string; detail: string } {
  const kind = info.fileKind ? FILE_KINDS[info.fileKind] : undefined;
  const text = info.indexing
    ? '$(sync~spin) Migration Guard: indexing — results incomplete'
    : `$(check) Migration Guard${kind ? `: ${kind}` : ''}`;
  const assumed = describeAssumptions(info);
  const since = info.since?.ref ? (info.since.problem ? `since ${info.since.ref}: ${info.since.problem}` : `workspace lint since ${info.since.ref}`) : undefined;
  const detail = [
    assumed,
    `config: ${configLabel}`,
    `${info.migrations ?? 0} migrations and ${info.settingsModules ?? 0} settings modules indexed`,
    since,
  ].filter(Boolean).join(' · ');
  return { text, detail };
}

/** What the server may answer to `migrationGuard/lintWorkspace` (every field optional). */
interface LintWorkspaceResult {
  files?: number;
  problems?: number;
}

const METHOD_NOT_FOUND = -32601;

/** How often the status item asks again while the workspace is being indexed. */
const INDEXING_POLL_MS = 1000;

/** When this bundle began to run: the start-up times below count from here (the extension host loads it on activation). */
const loadedAt = performance.now();

/** Milliseconds from loading the bundle to the end of activate() and to the server's first start. */
export interface StartupTimes {
  activateMs: number;
  /** Undefined when the server did not start (turned off, or it failed). */
  serverReadyMs?: number;
}

/** What activate() returns (`vscode.extensions.getExtension(…).exports`): the tests and the bench wait on it. */
export interface MigrationGuardApi {
  /** Resolves once the first start of the server has ended, running or not. */
  readonly startup: Promise<StartupTimes>;
  /** What the status item shows now. */
  status(): { text: string; detail: string };
  /** The folder of this extension's log files (the output channel's file is in it). */
  readonly logFolder: string;
}

let manager: ServerManager | undefined;

function isEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('enable', true) !== false;
}

function createStatusItem(): vscode.LanguageStatusItem {
  const item = vscode.languages.createLanguageStatusItem('migrationGuard.status', { language: 'python' });
  item.name = 'Migration Guard';
  item.command = { title: 'Show Output', command: 'migrationGuard.showOutput' };
  return item;
}

function showStatus(item: vscode.LanguageStatusItem, status: ServerStatus): void {
  const texts: Record<ServerStatus, string> = {
    disabled: '$(circle-slash) Migration Guard: disabled',
    starting: '$(sync~spin) Migration Guard: starting',
    running: '$(check) Migration Guard',
    stopped: '$(debug-stop) Migration Guard: stopped',
    failed: '$(error) Migration Guard: stopped after errors',
  };
  const details: Record<ServerStatus, string> = {
    disabled: 'Turned off by `migrationGuard.enable`',
    starting: 'Starting the language server',
    running: 'The language server is running',
    stopped: 'The language server is not running',
    failed: 'The language server crashed or could not start; see the output',
  };
  item.text = texts[status];
  item.detail = details[status];
  shownStatus = { text: item.text, detail: item.detail };
  item.busy = status === 'starting';
  item.severity = status === 'failed' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
  item.command = status === 'failed' || status === 'stopped'
    ? { title: 'Restart', command: 'migrationGuard.restartServer' }
    : { title: 'Show Output', command: 'migrationGuard.showOutput' };
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('Migration Guard: open a Python file to fix.');
    return;
  }
  if (!(await manager?.whenRunning())) {
    void vscode.window.showWarningMessage('Migration Guard: the server is not running, so there is nothing to fix with.');
    return;
  }
  const { document } = editor;
  const range = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
    'vscode.executeCodeActionProvider', document.uri, range, FIX_ALL_KIND, 1);
  const action = actions?.find((candidate) => candidate.kind?.value === FIX_ALL_KIND) ?? actions?.[0];
  if (!action || (!action.edit && !action.command)) {
    // Say why nothing happened: the fixes the server marks unsafe are left to the lightbulb.
    const quickFixes = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
      'vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
    const unsafe = [...new Set((quickFixes ?? []).map((candidate) => candidate.title).filter((title) => title.includes('(unsafe:')))];
    const left = unsafe.length ? ` ${unsafe.length} unsafe fix${unsafe.length === 1 ? '' : 'es'} left, since they may change behaviour; use the lightbulb: ${unsafe.map((title) => title.replace(/^Migration Guard /, '')).join('; ')}` : '';
    void vscode.window.showInformationMessage(`Migration Guard: no safe fixes for this file.${left}`);
    return;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showErrorMessage('Migration Guard: the fixes could not be applied (the file changed meanwhile?). Try again.');
    return;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  // The server's title carries what was applied and what was left: "Fix all safe problems (2 safe fixes; …)".
  const summary = action.title.includes('(') ? action.title.slice(action.title.indexOf('(') + 1, -1) : 'done';
  void vscode.window.showInformationMessage(`Migration Guard: applied ${summary}.`);
}

/** The Python document the status is about: the active one, else the last one that had focus, else a visible one. */
let lastPythonDocument: vscode.Uri | undefined;

function statusSubject(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'python' && active.uri.scheme === 'file') lastPythonDocument = active.uri;
  const open = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString() && !document.isClosed);
  if (lastPythonDocument && open(lastPythonDocument)) return lastPythonDocument;
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.languageId === 'python' && editor.document.uri.scheme === 'file');
  // Nothing Python open: the folder's status (database, versions, config, index).
  return visible?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** The last texts shown, for the tests (`MigrationGuardApi.status`). */
let shownStatus: { text: string; detail: string } = { text: '', detail: '' };

/** While the server runs: assumptions, file kind, config file and index size of the document in focus, in the status item. */
async function showIndexStatus(item: vscode.LanguageStatusItem, retries = 5): Promise<void> {
  const client = manager?.runningClient;
  const subject = statusSubject();
  if (!client || !subject) return;
  try {
    const info = await client.sendRequest<StatusInfo | null>(STATUS_REQUEST, { uri: subject.toString() });
    if (!info || manager?.runningClient !== client) return;
    const config = info.configFile ? vscode.workspace.asRelativePath(info.configFile) : 'no [tool.migration-guard] (defaults)';
    shownStatus = statusTexts(info, config);
    item.text = shownStatus.text;
    item.detail = shownStatus.detail;
    item.severity = info.since?.problem ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    // The end of indexing changes no diagnostics when the open files have none to gain: ask again until it is over.
    if (info.indexing) setTimeout(() => void showIndexStatus(item), INDEXING_POLL_MS);
    // A document not linted yet has no kind: ask again a few times (a file without problems changes no diagnostics).
    else if (!info.fileKind && subject !== vscode.workspace.workspaceFolders?.[0]?.uri && retries > 0) setTimeout(() => void showIndexStatus(item, retries - 1), INDEXING_POLL_MS);
  } catch {
    // An older server, or it stopped meanwhile: the server state shown already says enough.
  }
}

/** Lint Workspace; resolves with the server's answer (files, problems), or undefined when it did not run. */
async function lintWorkspace(log: vscode.LogOutputChannel, state: vscode.Memento): Promise<LintWorkspaceResult | undefined> {
  const client = await manager?.whenRunning();
  if (!client) {
    void vscode.window.showWarningMessage('Migration Guard: the server is not running. Run "Migration Guard: Restart Server" first.');
    return undefined;
  }
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Migration Guard: linting the workspace', cancellable: true },
      (_progress, token) => client.sendRequest<LintWorkspaceResult | null>(LINT_WORKSPACE_REQUEST, {}, token),
    );
    const files = typeof result?.files === 'number' ? `${result.files} files` : 'the workspace';
    const problems = typeof result?.problems === 'number' ? `: ${result.problems} problem${result.problems === 1 ? '' : 's'}` : '';
    // The server logs the run (files, problems, time): the log gets it once.
    void vscode.window.showInformationMessage(`Migration Guard: linted ${files}${problems}. See the Problems panel.`);
    if (typeof result?.problems === 'number') void offerStartFromHere(state, result.problems, () => manager?.runningClient);
    return result ?? undefined;
  } catch (error) {
    if (error instanceof ResponseError && error.code === METHOD_NOT_FOUND) {
      log.warn(`The server does not implement ${LINT_WORKSPACE_REQUEST}.`);
      void vscode.window.showWarningMessage('Migration Guard: this version of the language server cannot lint the whole workspace yet. Open a migration to see its problems.');
      return undefined;
    }
    if (error instanceof vscode.CancellationError || (error instanceof ResponseError && error.code === -32800)) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    log.error(`Lint Workspace failed: ${reason}`);
    const choice = await vscode.window.showErrorMessage(`Migration Guard: linting the workspace failed: ${reason}`, 'Show Output');
    if (choice === 'Show Output') log.show(true);
    return undefined;
  }
}

export function activate(context: vscode.ExtensionContext): MigrationGuardApi {
  const log = vscode.window.createOutputChannel('Migration Guard', { log: true });
  const statusItem = createStatusItem();
  manager = new ServerManager(context, log);
  const current = manager;
  context.subscriptions.push(log, statusItem, manager, manager.onDidChangeStatus((status) => {
    showStatus(statusItem, status);
    if (status === 'running') void showIndexStatus(statusItem);
  }));
  // Refreshed when the document or its diagnostics change (the index grows, a pyproject.toml appears).
  const refresh = () => void showIndexStatus(statusItem);
  const events = [vscode.window.onDidChangeActiveTextEditor, vscode.languages.onDidChangeDiagnostics] as const;
  for (const event of events) if (typeof event === 'function') context.subscriptions.push(event(refresh));

  context.subscriptions.push(
    vscode.commands.registerCommand('migrationGuard.restartServer', async () => {
      if (!isEnabled()) {
        void vscode.window.showInformationMessage('Migration Guard is turned off (`migrationGuard.enable`). Turn it on to start the server.');
        return;
      }
      await current.restart();
    }),
    vscode.commands.registerCommand('migrationGuard.showOutput', () => log.show()),
    vscode.commands.registerCommand('migrationGuard.fixAll', fixAll),
    vscode.commands.registerCommand('migrationGuard.lintWorkspace', () => lintWorkspace(log, context.workspaceState)),
    vscode.commands.registerCommand('migrationGuard.startFromHere', async () => startFromHere(await current.whenRunning())),
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, new RuleDocsProvider(() => current.runningClient)),
    vscode.commands.registerCommand('migrationGuard.showRules', () => showRules(current.runningClient)),
    vscode.commands.registerCommand('migrationGuard.showRuleDocs', (code: unknown) => (typeof code === 'string' && /^MG\d{3}$/.test(code) ? showRuleDocs(code) : showRules(current.runningClient))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(`${SECTION}.enable`)) return;
      if (isEnabled()) void current.start();
      else void current.stop(true);
    }),
  );

  showStatus(statusItem, isEnabled() ? 'starting' : 'disabled');
  // Not awaited: activation stays fast; the status item tracks the start-up.
  const starting = isEnabled() ? current.start() : current.stop(true);
  if (!isEnabled()) log.info('Migration Guard is turned off (migrationGuard.enable is false).');
  const activateMs = performance.now() - loadedAt;
  const startup = starting.then((): StartupTimes => {
    if (!current.runningClient) return { activateMs };
    const serverReadyMs = performance.now() - loadedAt;
    log.info(`Started in ${Math.round(serverReadyMs)} ms (activated in ${Math.round(activateMs)} ms, then the server started).`);
    return { activateMs, serverReadyMs };
  });
  return { startup, status: () => shownStatus, get logFolder() { return context.logUri.fsPath; } };
}

export async function deactivate(): Promise<void> {
  const stopping = manager?.shutdown();
  manager = undefined;
  await stopping;
}
