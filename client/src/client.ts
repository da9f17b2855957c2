// The LanguageClient: how the server is started, what it sees, and what happens when it crashes.
// No analysis here: the server (dist/server.js) does all of it.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { RestartPolicy } from './restart-policy';
import { docsFeature } from './rule-docs';

/** The settings section; also the client id, so `migrationGuard.trace.server` works. */
export const SECTION = 'migrationGuard';
export const CLIENT_NAME = 'Migration Guard';

/** Files whose changes the server needs to hear about even when they are not open. */
export const WATCHED_GLOBS = [
  '**/pyproject.toml',
  '**/migrations/*.py',
  '**/settings*.py',
  '**/settings/*.py',
  '**/*_settings.py',
  '**/manage.py',
  // The Django version is detected from these.
  '**/requirements*.txt',
  '**/requirements/*.txt',
  '**/{poetry.lock,uv.lock,Pipfile.lock}',
];

export type ServerStatus = 'disabled' | 'starting' | 'running' | 'stopped' | 'failed';

/**
 * The `migrationGuard` settings as a plain object: the same value the client answers to the server's
 * `workspace/configuration` request for the section (window scope), sent as `initializationOptions`.
 */
export function currentSettings(scope?: vscode.Uri): Record<string, unknown> {
  const value = vscode.workspace.getConfiguration(undefined, scope).get<Record<string, unknown>>(SECTION);
  return value ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>) : {};
}

/** Errors that mean the other end went away (Node IPC channel or pipe closed). */
function isTransportGone(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_IPC_CHANNEL_CLOSED' || code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED'
    || /channel closed|write after end|EPIPE/i.test(error.message);
}

/** Resolves once the client has left the Starting state (or after `timeoutMs`). */
function settled(client: LanguageClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const subscription = client.onDidChangeState(({ newState }) => {
      if (newState !== State.Starting) done();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CrashListener {
  /** The server died and will be started again (after a delay). */
  onRestarting(): void;
  /** The server died once too often: it stays stopped. */
  onGiveUp(message: string): void;
}

/** Restarts a crashed server with back-off; after too many crashes, stops and says so once. */
export class CrashHandler implements ErrorHandler {
  private cancelled = false;
  gaveUp = false;
  /** Between a crash and the restarted server running. */
  restarting = false;

  constructor(
    private readonly policy: RestartPolicy,
    private readonly log: vscode.LogOutputChannel,
    private readonly listener: CrashListener,
  ) {}

  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    // The server process is gone (killed, crashed): writes fail until the close event arrives, and closed()
    // decides about the restart. Shutting down here would stop the client and skip closed(), so no restart.
    if (this.cancelled || isTransportGone(error)) return { action: ErrorAction.Continue, handled: true };
    // Like the default handler: a few errors in a row are tolerated, then the server is shut down.
    if (count === undefined || count <= 3) return { action: ErrorAction.Continue };
    const message = `The connection to the Migration Guard server keeps failing (${error.message}), so the server was stopped. See the output for details, then run "Migration Guard: Restart Server".`;
    this.gaveUp = true;
    this.listener.onGiveUp(message);
    return { action: ErrorAction.Shutdown, message, handled: true };
  }

  async closed(): Promise<CloseHandlerResult> {
    if (this.cancelled) return { action: CloseAction.DoNotRestart, message: 'The previous server connection closed (stopped or replaced on purpose).', handled: true };
    const decision = this.policy.onCrash();
    if (!decision.restart) {
      this.gaveUp = true;
      const minutes = Math.round(this.policy.windowMs / 60000);
      const message = `The Migration Guard server crashed ${decision.crashes} times in the last ${minutes} minutes and will not be restarted. See the output for details, then run "Migration Guard: Restart Server".`;
      this.listener.onGiveUp(message);
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    this.restarting = true;
    this.listener.onRestarting();
    this.log.warn(`The server stopped unexpectedly (crash ${decision.crashes} of at most ${this.policy.maxRestarts} in ${Math.round(this.policy.windowMs / 60000)} minutes); restarting${decision.delayMs ? ` in ${decision.delayMs} ms` : ''}.`);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    // A manual stop or restart during the wait wins over the automatic restart.
    if (this.cancelled) return { action: CloseAction.DoNotRestart, message: 'The crashed server was not restarted automatically: it was stopped or restarted by hand meanwhile.', handled: true };
    return { action: CloseAction.Restart, handled: true };
  }

  /** Called before a deliberate stop: the close that follows is not a crash. */
  cancel(): void {
    this.cancelled = true;
  }
}

export function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const module = context.asAbsolutePath('dist/server.js');
  return {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
}

export function clientOptions(
  log: vscode.LogOutputChannel,
  errorHandler: ErrorHandler,
  watchers: vscode.FileSystemWatcher[],
): LanguageClientOptions {
  return {
    // Saved Python files only: untitled buffers have no path, so no migrations/ folder and no pyproject.toml.
    documentSelector: [{ scheme: 'file', language: 'python' }],
    // Settings: the server registers for workspace/didChangeConfiguration (section migrationGuard) itself and
    // pulls the values per folder with workspace/configuration, which the client answers from the settings.
    // (No `configurationSection` here: with the server's registration, every change would arrive twice.)
    synchronize: { fileEvents: watchers },
    initializationOptions: () => currentSettings(),
    outputChannel: log,
    traceOutputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
    diagnosticCollectionName: 'migration-guard',
    markdown: { isTrusted: false, supportHtml: false },
  };
}

/**
 * Owns the LanguageClient: start, stop, restart (each a fresh client, so a manual restart also resets the
 * crash count), and the status shown to the user. Calls are serialized.
 */
export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private crashHandler: CrashHandler | undefined;
  private watchers: vscode.FileSystemWatcher[] = [];
  private clientSubscriptions: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private currentStatus: ServerStatus = 'stopped';
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get status(): ServerStatus {
    return this.currentStatus;
  }

  /** The client, when the server is up and can take requests. */
  get runningClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /**
   * The running client, once a start or restart under way has ended: a command that activated the extension (or
   * came during Restart Server) waits for the server instead of saying it is not running. Undefined when it did not
   * come up (turned off, failed, or still starting after `timeoutMs`).
   */
  async whenRunning(timeoutMs = 60_000): Promise<LanguageClient | undefined> {
    await this.queue;
    if (this.currentStatus === 'starting') {
      // A restart after a crash: the back-off runs outside the queue.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        const subscription = this.onDidChangeStatus((status) => { if (status !== 'starting') done(); });
      });
    }
    return this.runningClient;
  }

  start(): Promise<void> {
    return this.serialize(() => this.doStart());
  }

  /** `disabled`: stopped because `migrationGuard.enable` is false. */
  stop(disabled = false): Promise<void> {
    return this.serialize(async () => {
      await this.doStop();
      this.setStatus(disabled ? 'disabled' : 'stopped');
    });
  }

  restart(): Promise<void> {
    return this.serialize(async () => {
      this.log.info('Restarting the server.');
      await this.doStop();
      await this.doStart();
    });
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
  }

  /** For deactivate(): resolves once the server is down. */
  async shutdown(): Promise<void> {
    await this.stop();
  }

  private serialize(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setStatus(status: ServerStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  private async doStart(): Promise<void> {
    if (this.client) return;
    const handler = new CrashHandler(new RestartPolicy(), this.log, {
      onRestarting: () => this.setStatus('starting'),
      onGiveUp: (message) => {
        this.setStatus('failed');
        void vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server').then((choice) => {
          if (choice === 'Show Output') this.log.show(true);
          else if (choice === 'Restart Server') void this.restart();
        });
      },
    });
    this.watchers = WATCHED_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    const client = new LanguageClient(SECTION, CLIENT_NAME, serverOptions(this.context), clientOptions(this.log, handler, this.watchers));
    client.registerFeature(docsFeature);
    this.client = client;
    this.crashHandler = handler;
    this.clientSubscriptions = [
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) handler.restarting = false;
        if (this.client !== client) return; // a client being replaced or disposed
        if (newState === State.Starting) this.setStatus('starting');
        else if (newState === State.Running) this.setStatus('running');
        else if (newState === State.Stopped) {
          // Stopped also passes by during an automatic restart; a failed start stays "failed".
          if (handler.gaveUp || this.currentStatus === 'failed') this.setStatus('failed');
          else this.setStatus(handler.restarting ? 'starting' : 'stopped');
        }
      }),
    ];
    this.setStatus('starting');
    this.log.info(`Starting the server: ${this.context.asAbsolutePath('dist/server.js')}`);
    try {
      await client.start();
      // No "running" line here: the server's own "ready" line follows at once (one event, one line).
    } catch (error) {
      // The client has already logged the error and shown it with a "Go to output" button.
      this.log.error(`The server failed to start: ${error instanceof Error ? error.message : String(error)}`);
      this.setStatus('failed');
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    const handler = this.crashHandler;
    if (!client || !handler) return;
    handler.cancel();
    this.client = undefined;
    this.crashHandler = undefined;
    try {
      // An automatic restart under way: let it finish, then stop that server.
      if (client.state === State.Starting) await settled(client, 10000);
      // Running with `restarting` set: the server is dead and the client waits out the back-off; the cancelled
      // handler now tells it not to restart, and it cleans up by itself. dispose() would only fail.
      const waitingToRestart = handler.restarting && client.state === State.Running;
      // dispose() throws for a client that never got running (start failed); nothing is left to stop then.
      if (client.state === State.Running && !waitingToRestart) await client.dispose();
    } catch (error) {
      this.log.warn(`Stopping the server: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const disposable of [...this.clientSubscriptions, ...this.watchers]) disposable.dispose();
    this.clientSubscriptions = [];
    this.watchers = [];
  }
}
