// The language server: wiring only. `migration-guard server --stdio` and dist/server.js both call
// startServer(); `--stdio` or `--node-ipc` in argv picks the transport.
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  ProposedFeatures, ResponseError, StreamMessageReader, StreamMessageWriter, TextDocumentSyncKind, createConnection,
  type CodeAction, type Connection, type InitializeResult, type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { dirname } from 'node:path';
import { version } from '../../../package.json';
import { readSource } from '../base/files';
import { initParser } from '../base/parser';
import { FIX_ALL_KIND, OPEN_CREATED_COMMAND, SHOW_DOCUMENTATION_COMMAND, createdMigrationUri, documentationUrl, fixAllAction, kindRequested, quickFixes, rewriteActions, type RewriteSupport } from './codeActions';
import { ConfigDiagnostics, SettingsStore } from './configuration';
import { DocumentStore } from './documents';
import { Indexer } from './indexer';
import { EMPTY_REPORT, Linter } from './linting';
import { Logger } from './logger';
import { PROJECT_FILE, ProjectIndex } from './project';
import { pathToUri, uriToPath } from './uri';
import { START_FROM_HERE_REQUEST, someMigration, startFromHere } from './start-from-here';
import { RULES_REQUEST, RULE_DOCS_REQUEST, docsScheme, docsUri, ruleDocsMarkdown, ruleSummaries } from './rule-docs';
import { linkDocsTo } from './diagnostics';
import { EMPTY_STATUS, STATUS_REQUEST, assumedValues, type ServerStatusInfo } from './status';
import { LINT_WORKSPACE_REQUEST, lintWorkspace, sinceOutcome } from './workspace';

/** requirements*.txt, requirements/*.txt and lock files: where the Django version is read from. */
const DEPENDENCY_FILE = /(^|[\\/])requirements[^\\/]*\.txt$|[\\/]requirements[\\/][^\\/]+\.txt$|(^|[\\/])(poetry|uv|Pipfile)\.lock$/;

const NO_PROGRESS: WorkDoneProgressReporter = { begin: () => undefined, report: () => undefined, done: () => undefined };

/** Files the workspace index follows: migrations, app configs (labels), settings (AUTH_USER_MODEL). */
const INDEX_GLOBS = ['**/migrations/*.py', '**/apps.py', '**/*settings*.py', '**/settings/*.py'];

/** How long to wait for the client to accept a work-done progress before indexing without one. */
const PROGRESS_TIMEOUT_MS = 2000;


/**
 * The connection. Over stdio the reader is ours: after a malformed message header the stream cannot be read any
 * further, so the server exits with an error (a client then restarts it) instead of staying up, deaf.
 */
function serverConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((error) => {
    process.stderr.write(`migration-guard: unreadable message from the client, exiting: ${error.message.split('\n')[0]}\n`);
    process.exit(1);
  });
  let shutdown = false;
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  connection.onShutdown(() => { shutdown = true; });
  reader.onClose(() => process.exit(shutdown ? 0 : 1));
  // What createConnection does in its own stdio mode: console output would corrupt the protocol.
  console.log = console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  return connection;
}

export function startServer(): void {
  const connection = serverConnection();
  const logger = new Logger(connection.console);
  const store = new DocumentStore();
  const configDiagnostics = new ConfigDiagnostics(connection, logger);
  const project = new ProjectIndex();

  // A bug must cost one lint, never the server.
  process.on('uncaughtException', (error) => logger.error('Uncaught exception', error));
  process.on('unhandledRejection', (error) => logger.error('Unhandled promise rejection', error));

  // Loading starts at once; every lint awaits it, so documents opened early wait instead of failing.
  const ready = initParser().then(
    () => true,
    (error: unknown) => {
      logger.error('Loading the Python parser failed; no diagnostics until the server restarts', error);
      return false;
    },
  );

  let settings: SettingsStore | undefined;
  let linter: Linter | undefined;
  /** Resolves once `initialized` has started the workspace index (or found no parser to build it with). */
  let indexStarted: () => void = () => undefined;
  const indexing = new Promise<void>((resolve) => { indexStarted = resolve; });
  const indexer = new Indexer({
    logger,
    async collectOptions(folder) {
      if (!settings) return { exclude: [], root: folder };
      const folderSettings = await settings.forUri(pathToUri(folder));
      const resolved = settings.resolverFor(folderSettings).forDirectory(folder);
      return { exclude: resolved.config.exclude, root: resolved.configPath ? dirname(resolved.configPath) : folder };
    },
    openText: (path) => store.byPath(path)?.document.getText(),
    settingsModulesFor: (path) => project.settingsModulesFor(path),
    async createProgress() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<WorkDoneProgressReporter>((resolve) => { timer = setTimeout(() => resolve(NO_PROGRESS), PROGRESS_TIMEOUT_MS); });
      try {
        return await Promise.race([connection.window.createWorkDoneProgress(), timeout]);
      } catch (error) {
        logger.debug(`window/workDoneProgress/create failed: ${String(error)}`);
        return NO_PROGRESS;
      } finally {
        clearTimeout(timer);
      }
    },
    onReady: (index) => linter?.refreshDependents({ index, graphChanged: true, settingsChanged: true, keys: new Set(), paths: new Set() }),
    onChange: (change) => linter?.refreshDependents(change),
  });
  /** The scheme of the client's in-editor rule docs, if it has them. */
  let docs: string | undefined;
  let registerConfiguration = false;
  let registerWatchers = false;
  let workspaceFolders = false;
  let rewriteSupport: RewriteSupport = { createFiles: false, disabledActions: false };
  /** Workspace folders from initialize (asked again at each Lint Workspace when the client supports it). */
  let folders: string[] = [];
  /** The client applies WorkspaceEdit.documentChanges (a multi-file fix then names each document's version). */
  let documentChanges = false;

  /** Runs a notification handler, logging what it throws. */
  const guard = <P>(name: string, handler: (params: P) => void) => (params: P) => {
    try {
      handler(params);
    } catch (error) {
      logger.error(`${name} failed`, error);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    const pull = !!capabilities.workspace?.configuration;
    registerConfiguration = !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    registerWatchers = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    workspaceFolders = !!capabilities.workspace?.workspaceFolders;
    documentChanges = !!capabilities.workspace?.workspaceEdit?.documentChanges;
    // A rewrite creates files: only for clients whose WorkspaceEdit can (documentChanges with `create`).
    const workspaceEdit = capabilities.workspace?.workspaceEdit;
    rewriteSupport = {
      createFiles: !!workspaceEdit?.documentChanges && !!workspaceEdit.resourceOperations?.includes('create'),
      disabledActions: !!capabilities.textDocument?.codeAction?.disabledSupport,
    };
    // Pull diagnostics only with refresh: a dependency, settings or index change re-lints open documents the
    // client did not edit, and without a refresh it would not pull them again. Such a client gets pushes.
    const pullDiagnostics = !!capabilities.textDocument?.diagnostic && !!capabilities.workspace?.diagnostics?.refreshSupport;
    const roots = params.workspaceFolders?.map((folder) => uriToPath(folder.uri))
      ?? [params.rootUri ? uriToPath(params.rootUri) : params.rootPath ?? undefined];
    folders = roots.filter((path): path is string => !!path);
    docs = docsScheme(capabilities.experimental);
    linkDocsTo(docs);
    settings = new SettingsStore(connection, logger, params.initializationOptions, pull);
    // Lints start once the index has been started (after `initialized`): a document opened before it is then
    // held back until its folder is indexed, not shown first without start-after and the graph.
    const lintReady = ready.then((loaded) => indexing.then(() => loaded));
    linter = new Linter(connection, logger, store, settings, configDiagnostics, project, lintReady, indexer, pullDiagnostics);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'migration-guard', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        executeCommandProvider: { commands: [SHOW_DOCUMENTATION_COMMAND, OPEN_CREATED_COMMAND] },
        ...(workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'migration-guard', version },
    };
  });

  connection.onInitialized(async () => {
    try {
      if (registerConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'migrationGuard' });
      if (registerWatchers) {
        // pyproject.toml: config; the others name DJANGO_SETTINGS_MODULE or pin the Django version.
        const globs = ['**/pyproject.toml', '**/manage.py', '**/{pytest.ini,setup.cfg,tox.ini}', '**/{requirements*.txt,requirements/*.txt,poetry.lock,uv.lock,Pipfile.lock}', ...INDEX_GLOBS];
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) });
      } else {
        logger.info('The client cannot watch files: changes to pyproject.toml apply after a restart or a settings change.');
      }
    } catch (error) {
      logger.warn(`Registering for configuration or file changes failed: ${String(error)}`);
    }
    if (workspaceFolders) {
      try {
        connection.workspace.onDidChangeWorkspaceFolders(guard('didChangeWorkspaceFolders', (event) => {
          const removed = new Set(event.removed.map((folder) => uriToPath(folder.uri)));
          const added = event.added.map((folder) => uriToPath(folder.uri)).filter((path): path is string => !!path);
          folders = [...folders.filter((folder) => !removed.has(folder)), ...added.filter((folder) => !folders.includes(folder))];
          indexer.setFolders(folders);
        }));
      } catch (error) {
        logger.debug(`Workspace folder changes are not followed: ${String(error)}`);
      }
    }
    let loaded = false;
    try {
      await settings?.forUri(undefined); // the log level
      loaded = await ready;
      logger.info(`Migration Guard ${version} ready (node ${process.version}, parser ${loaded ? 'loaded' : 'NOT loaded'})`);
    } catch (error) {
      logger.error('Initialization failed', error);
    }
    // The workspace index (project state, migration graph) builds in the background; open documents are
    // linted without it until it is ready, then again with it.
    if (loaded) indexer.setFolders(folders);
    indexStarted();
  });

  connection.onDidOpenTextDocument(guard('didOpen', (params) => {
    const stored = store.open(params.textDocument);
    if (stored.path) linter?.opened(stored.uri);
  }));

  connection.onDidChangeTextDocument(guard('didChange', (params) => {
    const stored = store.change(params);
    if (stored?.path) linter?.schedule(stored.uri);
  }));

  connection.onDidCloseTextDocument(guard('didClose', (params) => {
    const stored = store.close(params.textDocument.uri);
    settings?.forget(params.textDocument.uri);
    if (stored?.path) linter?.closed(stored.uri, stored.path);
  }));

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', (params) => {
    settings?.changed(params.settings);
    settings?.resetResolvers();
    linter?.relintEverything();
  }));

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', (params) => {
    const configs = new Map<string, boolean>();
    let projectChanged = false;
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      const deleted = change.type === FileChangeType.Deleted;
      indexer.fileChanged(path, deleted);
      linter?.forgetLines(path);
      if (path.endsWith('pyproject.toml')) configs.set(path, deleted);
      if (PROJECT_FILE.test(path) || DEPENDENCY_FILE.test(path)) projectChanged = true;
      else if (path.endsWith('.py')) {
        linter?.diskFileChanged(path, deleted).catch((error: unknown) => logger.error(`Linting ${path} failed`, error));
      }
    }
    if (projectChanged) {
      project.clear();
      settings?.clearResolvers(); // the Django version comes from requirements and lock files
    }
    for (const [path, deleted] of configs) {
      linter?.configFileChanged(path, deleted).catch((error: unknown) => logger.error(`Reloading ${path} failed`, error));
    }
    if (projectChanged && configs.size === 0) linter?.relintEverything();
  }));

  connection.onRequest(LINT_WORKSPACE_REQUEST, async (params: unknown, token) => {
    if (!settings || !linter || !(await ready)) return { files: 0, problems: 0 };
    try {
      if (workspaceFolders) {
        const current = await connection.workspace.getWorkspaceFolders();
        if (current) {
          folders = current.map((folder) => uriToPath(folder.uri)).filter((path): path is string => path !== undefined);
          indexer.setFolders(folders);
        }
      }
    } catch (error) {
      logger.debug(`workspace/workspaceFolders failed: ${String(error)}`);
    }
    // Lint with the project state and the graph: wait for the index.
    await indexing;
    await indexer.whenBuilt();
    // Progress only on the client's token: VS Code's command shows its own notification.
    const workDoneToken = (params as { workDoneToken?: string | number } | undefined)?.workDoneToken;
    const progress = workDoneToken === undefined ? NO_PROGRESS : connection.window.attachWorkDoneProgress(workDoneToken);
    return lintWorkspace({ connection, logger, store, settings, linter }, folders, token, progress);
  });

  /** Another file as the editor has it (open) or the disk. */
  const readProjectFile = (path: string): { text: string; version?: number } | undefined => {
    const open = store.byPath(path);
    if (open) return { text: open.document.getText(), version: open.version };
    const read = readSource(path);
    return read.ok ? { text: read.text } : undefined;
  };

  connection.onCodeAction(async (params) => {
    try {
      const stored = store.get(params.textDocument.uri);
      if (!stored?.path) return [];
      const only = params.context.only;
      const actions: CodeAction[] = [];
      if (kindRequested(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(params, stored, { read: readProjectFile, documentChanges, createFiles: rewriteSupport.createFiles }));
      if (kindRequested(only, CodeActionKind.RefactorRewrite) && rewriteSupport.createFiles && linter) {
        const input = await linter.rewriteInput(stored.uri);
        if (input) actions.push(...rewriteActions(params, input, rewriteSupport, readProjectFile));
      }
      if (kindRequested(only, FIX_ALL_KIND) && linter) {
        const fixed = await linter.fixAll(stored.uri);
        const action = fixed && fixAllAction(fixed.stored.uri, fixed.before, fixed.after, fixed.applied, fixed.unsafeLeft);
        if (action) actions.push(action);
      }
      return actions;
    } catch (error) {
      logger.error(`codeAction for ${params.textDocument.uri} failed`, error);
      return [];
    }
  });

  // The language status: the config file, the database and versions assumed, the file's kind, the index.
  // The uri may be a document's or, when no Python file has focus, a workspace folder's.
  connection.onRequest(STATUS_REQUEST, async (params: { uri?: unknown }): Promise<ServerStatusInfo> => {
    try {
      const uri = typeof params?.uri === 'string' && params.uri.startsWith('file:') ? params.uri : undefined;
      const path = uri ? uriToPath(uri) : undefined;
      if (!uri || !path || !settings) return EMPTY_STATUS;
      await indexing; // until the index has started, "not indexing" would be wrong
      const folderSettings = await settings.forUri(uri);
      const isFolder = folders.includes(path);
      const resolver = settings.resolverFor(folderSettings);
      const resolved = isFolder ? resolver.forDirectory(path) : resolver.forFile(path);
      const index = indexer.folderOf(path);
      const stored = isFolder ? undefined : store.byPath(path);
      const fileKind = stored ? linter?.fileKindOf(stored.uri) : undefined;
      return {
        configFile: resolved.configPath,
        migrations: index?.workspace.size ?? 0,
        settingsModules: index?.workspace.settings.size ?? 0,
        indexing: !!index && !index.ready && !index.failed,
        ...(fileKind ? { fileKind: fileKind as ServerStatusInfo['fileKind'] } : {}),
        ...assumedValues(resolved, folderSettings.overrides, isFolder ? path : dirname(path)),
        ...(folderSettings.since ? { since: (index && sinceOutcome(index.folder)) ?? { ref: folderSettings.since } } : {}),
      };
    } catch (error) {
      logger.error('status request failed', error);
      return EMPTY_STATUS;
    }
  });

  connection.onExecuteCommand(async (params) => {
    try {
      if (params.command === OPEN_CREATED_COMMAND) {
        const uri = createdMigrationUri(params.arguments?.[0]);
        return uri ? await connection.window.showDocument({ uri, takeFocus: true }) : null;
      }
      // The address is built from the rule code alone: a client could send anything as the argument.
      const href = params.command === SHOW_DOCUMENTATION_COMMAND ? documentationUrl(params.arguments?.[0]) : undefined;
      if (!href) return null;
      const code = String(params.arguments?.[0]);
      // In the editor when it can show the docs itself (offline); else the web page.
      if (docs) return await connection.window.showDocument({ uri: docsUri(docs, code), takeFocus: true });
      return await connection.window.showDocument({ uri: href, external: true });
    } catch (error) {
      logger.error(`executeCommand ${params.command} failed`, error);
      return null;
    }
  });

  // Open documents only (workspaceDiagnostics: false); files linted from disk keep being pushed.
  connection.languages.diagnostics.on(async (params, token) => {
    try {
      return (await linter?.pull(params.textDocument.uri, params.previousResultId, token)) ?? EMPTY_REPORT;
    } catch (error) {
      if (error instanceof ResponseError) throw error; // cancelled
      logger.error(`textDocument/diagnostic for ${params.textDocument.uri} failed`, error);
      return EMPTY_REPORT;
    }
  });

  connection.onHover(async (params) => {
    try {
      return (await linter?.hover(params.textDocument.uri, params.position)) ?? null;
    } catch (error) {
      logger.error(`hover in ${params.textDocument.uri} failed`, error);
      return null;
    }
  });

  // "Start From Here": the start-after table for the folder of `uri` (or the first folder), once it is indexed.
  connection.onRequest(START_FROM_HERE_REQUEST, async (params: { uri?: unknown } | undefined) => {
    try {
      await indexing;
      await indexer.whenBuilt();
      const path = typeof params?.uri === 'string' && params.uri.startsWith('file:') ? uriToPath(params.uri) : undefined;
      const index = (path && indexer.folderOf(path)) || indexer.all()[0];
      if (!index || !settings) return null;
      const resolver = settings.resolverFor(await settings.forUri(pathToUri(index.folder)));
      const migration = someMigration(index.workspace);
      const resolved = migration ? resolver.forFile(migration) : resolver.forDirectory(index.folder);
      return startFromHere(index.folder, resolved.configPath, index.workspace);
    } catch (error) {
      logger.error('startFromHere failed', error);
      return null;
    }
  });

  connection.onRequest(RULE_DOCS_REQUEST, (params: { code?: unknown } | undefined) => ruleDocsMarkdown(params?.code) ?? null);
  connection.onRequest(RULES_REQUEST, () => ruleSummaries());

  connection.onShutdown(() => {
    try {
      linter?.stop();
      indexer.stop();
      store.clear();
    } catch (error) {
      logger.error('shutdown failed', error);
    }
  });

  connection.listen();
}
