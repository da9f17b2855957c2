// Real parts for the settings tests: Debian's /usr/bin/python3 with Django 3.2, psycopg2, dj_database_url and
// django-environ, and a throwaway PostgreSQL 15 (initdb into a temp dir, a free loopback port, the socket in the
// temp dir; always stopped). `.ci/run` installs the packages with apt; without them these tests FAIL, loudly.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';

/** Debian's interpreter: the `python3` first on PATH may be another one that cannot import Debian's packages. */
export const PYTHON = '/usr/bin/python3';
export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const SCRIPTS = join(REPO_ROOT, 'test', 'e2e', 'postgres');
const APT_PACKAGES = 'python3-django python3-psycopg2 python3-dj-database-url python3-django-environ postgresql';
const INSTALL_HINT = `Install them with \`apt-get install -y --no-install-recommends ${APT_PACKAGES}\` (.ci/run does)`;

let checked: string | undefined;

/** Throws a clear error when the Debian packages are missing. Checked once per process. */
export function requireDjangoStack(): void {
  if (checked === undefined) {
    const problems: string[] = [];
    if (!existsSync(PYTHON)) problems.push(`${PYTHON} does not exist`);
    else {
      try {
        execFileSync(PYTHON, ['-c', 'import django, psycopg2, dj_database_url, environ; assert django.VERSION >= (3, 2)'], { stdio: 'pipe' });
      } catch (error) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').pop();
        problems.push(`${PYTHON} cannot import Django, psycopg2, dj_database_url and environ (${stderr})`);
      }
    }
    for (const tool of ['initdb', 'pg_ctl']) if (!existsSync(join(PG_BIN, tool))) problems.push(`${join(PG_BIN, tool)} does not exist`);
    checked = problems.length ? `The settings tests need Debian's Django, psycopg2 and PostgreSQL 15: ${problems.join('; ')}. ${INSTALL_HINT}.` : '';
  }
  if (checked) throw new Error(checked);
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never rejects (the caller asserts on the status). */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout: String(stdout), stderr: String(stderr) || (error && status === -1 ? String(error) : '') });
    });
  });
}

/** An environment for Django: the project on sys.path, the settings module, no DATABASE_URL from the caller. */
export function djangoEnv(projectDir: string, settingsModule: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: projectDir, DJANGO_SETTINGS_MODULE: settingsModule, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.DATABASE_URL;
  delete env.PGOPTIONS;
  return env;
}

/** Runs one of the harness's Python scripts with Django configured for `settingsModule`; parses its JSON output. */
export async function runDjangoScript<T>(script: string, projectDir: string, settingsModule: string, args: string[] = []): Promise<T> {
  const result = await run(PYTHON, [join(SCRIPTS, script), ...args], { cwd: projectDir, env: djangoEnv(projectDir, settingsModule) });
  if (result.status !== 0) throw new Error(`${script} for ${settingsModule} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export type DatabasesJson = Record<string, Record<string, unknown> & { ENGINE?: string; OPTIONS?: Record<string, unknown> }>;

/** `django.conf.settings.DATABASES`, as Django itself loads the module. */
export function readDatabases(projectDir: string, settingsModule: string): Promise<DatabasesJson> {
  return runDjangoScript<DatabasesJson>('read_settings.py', projectDir, settingsModule);
}

/** Runs `tasks` at most `limit` at a time (each Python start costs ~0.2 s). */
export async function inBatches<T>(tasks: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A PostgreSQL 15 cluster in a temp dir, trust auth, listening on 127.0.0.1:port. */
export class Postgres {
  private stopped = false;
  private readonly onExit = () => this.stopSync();

  private constructor(readonly dir: string, readonly dataDir: string, readonly port: number, private readonly asPostgres: boolean) {
    process.once('exit', this.onExit);
  }

  readonly host = '127.0.0.1';
  readonly user = 'postgres';

  /** initdb + pg_ctl start (as the `postgres` user when we are root: PostgreSQL refuses to run as root). */
  static async start(): Promise<Postgres> {
    requireDjangoStack();
    const dir = mkdtempSync(join(tmpdir(), 'mg-pg-'));
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    const dataDir = join(dir, 'data');
    const port = await freePort();
    const pg = new Postgres(dir, dataDir, port, asPostgres);
    try {
      await pg.tool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
      await pg.tool('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, 'start']);
    } catch (error) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      pg.stopSync();
      throw new Error(`${(error as Error).message}\n${log}`);
    }
    return pg;
  }

  private command(tool: string, args: string[]): [string, string[]] {
    const path = join(PG_BIN, tool);
    return this.asPostgres ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  }

  private async tool(tool: string, args: string[]): Promise<void> {
    const [command, commandArgs] = this.command(tool, args);
    const result = await run(command, commandArgs, { cwd: this.dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  }

  /** Stops the server (immediate mode) and removes the temp dir. Safe to call twice. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener('exit', this.onExit);
    try {
      if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
        const [command, args] = this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
        execFileSync(command, args, { stdio: 'pipe', cwd: this.dir });
      }
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
