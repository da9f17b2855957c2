// A throwaway PostgreSQL 15 (Debian's, in /usr/lib/postgresql/15/bin): initdb into a temp dir, a free loopback
// port, the socket in the temp dir, trust auth; always stopped (at the latest when the process exits). Connect to
// it with libpq parameters `host`, `port`, `user` (database `postgres`), from as many sessions as a test needs.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePrograms } from './packages';
import { run } from './run';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** The PostgreSQL 15 programs that are missing. */
export function postgresProblems(): string[] {
  return ['initdb', 'pg_ctl', 'postgres'].map((tool) => join(PG_BIN, tool)).filter((path) => !existsSync(path)).map((path) => `${path} does not exist`);
}

/** Throws a clear error when PostgreSQL 15's programs are missing. */
export function requirePostgres(): void {
  requirePrograms("These tests need Debian's PostgreSQL 15", postgresProblems());
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
    requirePostgres();
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
