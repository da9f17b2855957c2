// The server's log: `connection.console` (the client's output channel), gated by the `logLevel` setting.
// Never stdout: in stdio mode it carries the protocol.
import type { RemoteConsole } from 'vscode-languageserver/node';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** A message and, for errors, the stack: enough to find the bug from a user's log. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export class Logger {
  level: LogLevel = 'info';

  constructor(private readonly console: RemoteConsole) {}

  private enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }

  private write(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    try {
      if (level === 'error') this.console.error(message);
      else if (level === 'warn') this.console.warn(message);
      else if (level === 'info') this.console.info(message);
      else this.console.debug(message); // Debug, not Log: a client files it under its debug level
    } catch {
      // The connection is gone (client exited): nowhere left to log.
    }
  }

  error(message: string, error?: unknown): void {
    this.write('error', error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  debug(message: string | (() => string)): void {
    if (this.enabled('debug')) this.write('debug', typeof message === 'function' ? message() : message);
  }
}
