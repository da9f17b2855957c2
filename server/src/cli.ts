// CLI entry: `migration-guard check | rules | server`. Argument parsing is hand-written (server/src/cli/args.ts).
import { version } from '../../package.json';
import { parseArgs, suggest, UsageError } from './cli/args';
import { CHECK_HELP, runCheck } from './cli/check';
import { OutputError, processIo, type Io } from './cli/io';
import { errorText } from './base/files';
import { isCheckWorker, serveCheckWorker } from './cli/parallel';
import { REWRITE_HELP, runRewrite } from './cli/rewrite';
import { RULES_HELP, runRules } from './cli/rules';

const COMMANDS = ['check', 'rules', 'rewrite', 'server', 'help'];

export const HELP = `Django Migration Guard ${version}: catches Django migrations that lock or break a live PostgreSQL
database, and database settings without timeouts.

Usage: migration-guard <COMMAND> [OPTIONS]

Commands:
  check [PATH...]   Lint migrations and settings modules (see \`migration-guard check --help\`).
  rules [CODE]      Show the rules, or one rule's documentation.
  rewrite FILE:LINE Write the finding on that line as safe steps: follow-up migrations (--diff: print them).
  server --stdio    Run the language server (also --node-ipc).
  help [COMMAND]    Show this help, or a command's.

Options:
  -V, --version     Print the version.
  -h, --help        Show this help.
`;

const SERVER_HELP = `Run the language server (LSP) for editors.

Usage: migration-guard server --stdio | --node-ipc

Options:
  --stdio           Talk LSP over standard input and output.
  --node-ipc        Talk LSP over Node's IPC channel (used by the VS Code extension).
  -h, --help        Show this help.
`;

function runServer(argv: readonly string[], io: Io): number | undefined {
  // vscode-languageserver reads the transport from process.argv; the client may add `--clientProcessId=N`.
  const known = argv.filter((arg) => arg === '--stdio' || arg === '--node-ipc' || /^--(clientProcessId|socket|pipe)=/.test(arg));
  const parsed = parseArgs(argv.filter((arg) => !known.includes(arg)), [{ name: 'help', short: 'h' }], 'server');
  if (parsed.flags.has('help')) {
    io.stdout(SERVER_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`\`server\` takes no arguments; got \`${parsed.positionals[0]}\``);
  if (!known.some((arg) => arg === '--stdio' || arg === '--node-ipc' || /^--(socket|pipe)=/.test(arg))) {
    throw new UsageError('`server` needs a transport: --stdio or --node-ipc');
  }
  // Required here, not imported at the top: `check` never evaluates the language server and vscode-languageserver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./lsp/start') as typeof import('./lsp/start')).startServer();
  return undefined; // the server keeps the process alive and decides when it ends
}

/** Runs one command line; resolves to the exit code, or undefined when the process must keep running. */
export async function main(argv: readonly string[], io: Io): Promise<number | undefined> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stderr(HELP);
      return 2;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`migration-guard ${version}\n`);
      return 0;
    }
    if (command === '--help' || command === '-h') {
      io.stdout(HELP);
      return 0;
    }
    switch (command) {
      case 'check':
        return await runCheck(rest, io);
      case 'rules':
        return runRules(rest, io);
      case 'rewrite':
        return await runRewrite(rest, io);
      case 'server':
        return runServer(rest, io);
      case 'help': {
        const topic = rest[0];
        if (topic === 'check') io.stdout(CHECK_HELP);
        else if (topic === 'rules') io.stdout(RULES_HELP);
        else if (topic === 'rewrite') io.stdout(REWRITE_HELP);
        else if (topic === 'server') io.stdout(SERVER_HELP);
        else if (topic === undefined) io.stdout(HELP);
        else throw new UsageError(`unknown command \`${topic}\``);
        return 0;
      }
      default: {
        const hint = command.startsWith('-') ? undefined : suggest(command, COMMANDS);
        const what = command.startsWith('-') ? `unknown option \`${command}\`` : `unknown command \`${command}\``;
        throw new UsageError(`${what}${hint ? ` (did you mean \`${hint}\`?)` : ''}`);
      }
    }
  } catch (error) {
    if (error instanceof OutputError) {
      io.stderr(`migration-guard: error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      const topic = ['check', 'rules', 'rewrite', 'server'].includes(argv[0] ?? '') ? `${argv[0]} --help` : '--help';
      io.stderr(`migration-guard: error: ${error.message}\nRun \`migration-guard ${topic}\` for usage.\n`);
      return 2;
    }
    throw error;
  }
}

if (isCheckWorker()) {
  serveCheckWorker();
} else if (require.main === module) {
  // `migration-guard check | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  // Any other write error (a full disk behind `> report.txt`) is a failure to report: 2, not 1 (findings).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`migration-guard: error: cannot write the report to standard output: ${errorText(error)}\n`);
    process.exit(2);
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`migration-guard: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
