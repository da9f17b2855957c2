// The language server: wiring only. `migration-guard server --stdio` and dist/server.js both call
// startServer(); createConnection reads `--stdio` / `--node-ipc` from argv.
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  ProposedFeatures, TextDocumentSyncKind, createConnection,
  type CodeAction, type InitializeResult,
} from 'vscode-languageserver/node';
import { version } from '../../../package.json';
import { initParser } from '../engine/parser';
import { FIX_ALL_KIND, fixAllAction, kindRequested, quickFixes } from './codeActions';
import { ConfigDiagnostics, SettingsStore } from './configuration';
import { DocumentStore } from './documents';
import { Linter } from './linting';
import { Logger } from './logger';
import { uriToPath } from './uri';

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const logger = new Logger(connection.console);
  const store = new DocumentStore();
  const configDiagnostics = new ConfigDiagnostics(connection, logger);

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
  let registerConfiguration = false;
  let registerWatchers = false;

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
    settings = new SettingsStore(connection, logger, params.initializationOptions, pull);
    linter = new Linter(connection, logger, store, settings, configDiagnostics, ready);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      },
      serverInfo: { name: 'migration-guard', version },
    };
  });

  connection.onInitialized(async () => {
    try {
      if (registerConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'migrationGuard' });
      if (registerWatchers) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/pyproject.toml' }] });
      } else {
        logger.info('The client cannot watch files: changes to pyproject.toml apply after a restart or a settings change.');
      }
    } catch (error) {
      logger.warn(`Registering for configuration or file changes failed: ${String(error)}`);
    }
    try {
      await settings?.forUri(undefined); // the log level
      const loaded = await ready;
      logger.info(`Migration Guard ${version} ready (node ${process.version}, parser ${loaded ? 'loaded' : 'NOT loaded'})`);
    } catch (error) {
      logger.error('Initialization failed', error);
    }
  });

  connection.onDidOpenTextDocument(guard('didOpen', (params) => {
    const stored = store.open(params.textDocument);
    if (stored.path) linter?.schedule(stored.uri);
  }));

  connection.onDidChangeTextDocument(guard('didChange', (params) => {
    const stored = store.change(params);
    if (stored?.path) linter?.schedule(stored.uri);
  }));

  connection.onDidCloseTextDocument(guard('didClose', (params) => {
    const stored = store.close(params.textDocument.uri);
    settings?.forget(params.textDocument.uri);
    if (stored?.path) linter?.clear(stored.uri);
  }));

  connection.onDidChangeConfiguration(guard('didChangeConfiguration', (params) => {
    settings?.changed(params.settings);
    settings?.resetResolvers();
    linter?.scheduleAll();
  }));

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', (params) => {
    const configs = new Map<string, boolean>();
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (path?.endsWith('pyproject.toml')) configs.set(path, change.type === FileChangeType.Deleted);
    }
    for (const [path, deleted] of configs) {
      linter?.configFileChanged(path, deleted).catch((error: unknown) => logger.error(`Reloading ${path} failed`, error));
    }
  }));

  connection.onCodeAction(async (params) => {
    try {
      const stored = store.get(params.textDocument.uri);
      if (!stored?.path) return [];
      const only = params.context.only;
      const actions: CodeAction[] = [];
      if (kindRequested(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(params, stored));
      if (kindRequested(only, FIX_ALL_KIND) && linter) {
        const fixed = await linter.fixAll(stored.uri);
        const action = fixed && fixAllAction(fixed.stored.uri, fixed.before, fixed.after);
        if (action) actions.push(action);
      }
      return actions;
    } catch (error) {
      logger.error(`codeAction for ${params.textDocument.uri} failed`, error);
      return [];
    }
  });

  connection.onShutdown(() => {
    try {
      linter?.stop();
      store.clear();
    } catch (error) {
      logger.error('shutdown failed', error);
    }
  });

  connection.listen();
}
