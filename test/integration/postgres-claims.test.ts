// What PGlite cannot show (one session): on Debian's PostgreSQL 15 with several sessions,
// - the CONCURRENTLY claims: the lock a CREATE/DROP INDEX CONCURRENTLY holds while it runs, seen from another
//   session while it waits for a writer, and whether it read the table;
// - the claims of statements PostgreSQL refuses inside a transaction block (VACUUM FULL): the lock held while the
//   table is rewritten, seen from another session while the statement is stopped half-way, and what waits for it;
// - what each lock mode makes wait (WAITING, BLOCKS, blocksReadsOrWrites in analysis/claims.ts): one session holds
//   the lock, another tries a read, a write and a schema change under a short lock_timeout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { BLOCKS, blocksReadsOrWrites, CLAIMS, ROW_LOCKS, WAITING, type Claim, type ClaimId, type LockMode } from '../../server/src/analysis/claims';
import { Postgres } from './harness/postgres';
import { populate, readGoldens, STRENGTH, withoutTransaction, type Database } from '../postgres/observe';

let server: Postgres;
const clients: Client[] = [];

async function connect(): Promise<Client & Database> {
  const client = new Client({ host: server.host, port: server.port, user: server.user, database: 'postgres' });
  await client.connect();
  clients.push(client);
  const database = client as Client & Database;
  database.exec = (sql: string) => client.query(sql);
  return database;
}

before(async () => {
  server = await Postgres.start();
});

after(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  server?.stopSync();
});

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The table's sequential scans so far, as this session sees them after flushing its own counters (a backend
 * publishes them lazily; forced, they are flushed when it next goes idle, before its next query).
 */
async function sequentialScans(session: Database, oid: number): Promise<number> {
  await session.query(`SET stats_fetch_consistency = none`);
  await session.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await session.query<{ seq_scan: string }>(`SELECT seq_scan FROM pg_stat_user_tables WHERE relid = $1`, [oid]);
  return Number(rows[0].seq_scan);
}

/** Whether `sql` in another session gets past the lock within a short lock_timeout. */
async function waits(other: Client, sql: string): Promise<boolean> {
  await other.query('BEGIN');
  try {
    await other.query(`SET LOCAL lock_timeout = '150ms'`);
    await other.query(sql);
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error; // lock_not_available
    return true;
  } finally {
    await other.query('ROLLBACK');
  }
}

const MODE_NAMES: Record<string, string> = {
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE', ShareLock: 'SHARE', AccessExclusiveLock: 'ACCESS EXCLUSIVE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE', RowExclusiveLock: 'ROW EXCLUSIVE', AccessShareLock: 'ACCESS SHARE',
};

describe('CONCURRENTLY claims on PostgreSQL 15 (a second session)', () => {
  const goldens = readGoldens().filter((golden) => (CLAIMS[golden.claim as ClaimId] as Claim).concurrently);

  test('every CONCURRENTLY claim has goldens', () => {
    const covered = new Set(goldens.map((golden) => golden.claim));
    assert.deepEqual(Object.keys(CLAIMS).filter((id) => (CLAIMS[id as ClaimId] as Claim).concurrently && !covered.has(id)), []);
  });

  for (const golden of goldens) {
    test(`${golden.claim} (Django ${golden.django})`, async () => {
      const migrator = await connect();
      const writer = await connect();
      const observer = await connect();
      await migrator.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      for (const sql of golden.setup) await migrator.exec(sql);
      await populate(migrator, golden.app, 2000);
      const table = golden.roles.get('table')!;
      const { rows: [{ oid, relfilenode }] } = await observer.query<{ oid: number; relfilenode: number }>(`SELECT oid::int AS oid, relfilenode::int AS relfilenode FROM pg_class WHERE relname = $1`, [table]);
      const scansBefore = await sequentialScans(migrator, oid);
      // A writer in an open transaction (an index lookup, not a scan): the concurrent statement waits for it,
      // holding its own lock meanwhile.
      await writer.exec('BEGIN');
      await writer.query(`UPDATE "${table}" SET id = id WHERE id = 1`);
      const pid = (await migrator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const running = migrator.exec(withoutTransaction(golden.observed));
      const held = await waitUntil('the concurrent statement to wait for the writer', async () => {
        const { rows } = await observer.query<{ mode: string; waiting: boolean }>(
          `SELECT l.mode, EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND NOT w.granted) AS waiting
             FROM pg_locks l WHERE l.pid = $1 AND l.relation = $2 AND l.granted`, [pid, oid]);
        return rows.length && rows[0].waiting ? rows.map((row) => MODE_NAMES[row.mode] ?? row.mode) : undefined;
      });
      await writer.exec('COMMIT');
      await running;
      const scansAfter = await sequentialScans(migrator, oid);
      const after = (await observer.query<{ relfilenode: number }>(`SELECT relfilenode::int AS relfilenode FROM pg_class WHERE oid = $1`, [oid])).rows[0];
      const claim = CLAIMS[golden.claim as ClaimId] as Claim;
      assert.deepEqual(held, [claim.locks.table], `${golden.file}: the lock held while it runs`);
      assert.equal(after.relfilenode !== relfilenode, claim.rewrites, `${golden.file}: rewrite`);
      assert.equal(scansAfter > scansBefore, claim.scans.includes('table'), `${golden.file}: full scan (${scansBefore} → ${scansAfter})`);
    });
  }
});

describe('claims of statements refused inside a transaction block (VACUUM FULL), on PostgreSQL 15 (a second session)', () => {
  const goldens = readGoldens().filter((golden) => (CLAIMS[golden.claim as ClaimId] as Claim).outsideTransaction);

  test('every such claim has goldens', () => {
    const covered = new Set(goldens.map((golden) => golden.claim));
    assert.ok(covered.size > 0);
    assert.deepEqual(Object.keys(CLAIMS).filter((id) => (CLAIMS[id as ClaimId] as Claim).outsideTransaction && !covered.has(id)), []);
  });

  for (const golden of goldens) {
    test(`${golden.claim} (SQL written by hand)`, async () => {
      const migrator = await connect();
      const gate = await connect();
      const observer = await connect();
      const reader = await connect();
      await migrator.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      for (const sql of golden.setup) await migrator.exec(sql);
      await populate(migrator, golden.app, 2000);
      const table = golden.roles.get('table')!;
      // A gate: an index whose expression waits for an advisory lock the gate session holds. The statement copies
      // the table and then builds every index of it again, so it stops there, half-way through the rewrite,
      // holding whatever table lock it took.
      await migrator.exec(`CREATE FUNCTION mg_gate(bigint) RETURNS bigint IMMUTABLE LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_lock_shared(4242); PERFORM pg_advisory_unlock_shared(4242); RETURN $1; END $$;
        CREATE INDEX mg_gate_idx ON "${table}" (mg_gate(id));`);
      const { rows: [{ oid, relfilenode }] } = await observer.query<{ oid: number; relfilenode: number }>(`SELECT oid::int AS oid, relfilenode::int AS relfilenode FROM pg_class WHERE relname = $1`, [table]);
      const scansBefore = await sequentialScans(migrator, oid);
      await gate.query('SELECT pg_advisory_lock(4242)');
      const pid = (await migrator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const running = migrator.exec(golden.observed);
      const held = await waitUntil('the statement to stop at the gate', async () => {
        const { rows } = await observer.query<{ mode: string; waiting: boolean }>(
          `SELECT l.mode, EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND w.locktype = 'advisory' AND NOT w.granted) AS waiting
             FROM pg_locks l WHERE l.pid = $1 AND l.relation = $2 AND l.granted`, [pid, oid]);
        return rows.length && rows[0].waiting ? rows.map((row) => MODE_NAMES[row.mode] ?? row.mode) : undefined;
      });
      const readWaits = await waits(reader, `SELECT count(*) FROM "${table}"`);
      const writeWaits = await waits(reader, `INSERT INTO "${table}" ("number", "created") VALUES (1, now())`);
      await gate.query('SELECT pg_advisory_unlock(4242)');
      await running;
      const scansAfter = await sequentialScans(migrator, oid);
      const after = (await observer.query<{ relfilenode: number }>(`SELECT relfilenode::int AS relfilenode FROM pg_class WHERE oid = $1`, [oid])).rows[0];
      const claim = CLAIMS[golden.claim as ClaimId] as Claim;
      const lock = claim.locks.table!;
      // The strongest lock it holds (building an index again also takes SHARE on the table, a weaker one).
      const strongest = held.reduce((a, b) => (STRENGTH.indexOf(b as never) > STRENGTH.indexOf(a as never) ? b : a));
      assert.equal(strongest, lock, `${golden.file}: the lock held while it rewrites the table (${held.join(', ')})`);
      assert.equal(readWaits, /reads/.test(WAITING[lock]), `${golden.file}: a read waits for it`);
      assert.equal(writeWaits, /writes|inserts, updates and deletes/.test(WAITING[lock]), `${golden.file}: a write waits for it`);
      assert.equal(after.relfilenode !== relfilenode, claim.rewrites, `${golden.file}: rewrite`);
      assert.equal(scansAfter > scansBefore, claim.scans.includes('table'), `${golden.file}: full scan (${scansBefore} → ${scansAfter})`);
    });
  }
});

describe('what each lock mode makes wait, on PostgreSQL 15 (two sessions)', () => {
  for (const mode of Object.keys(WAITING) as LockMode[]) {
    test(`${mode}: ${WAITING[mode]} wait; it blocks ${BLOCKS[mode]}`, async () => {
      const holder = await connect();
      const other = await connect();
      await holder.exec('DROP TABLE IF EXISTS locked; CREATE TABLE locked (id int PRIMARY KEY, note text); INSERT INTO locked SELECT g, null FROM generate_series(1, 100) g;');
      await holder.exec(`BEGIN; LOCK TABLE locked IN ${mode} MODE;`);
      const read = await waits(other, 'SELECT count(*) FROM locked');
      const write = await waits(other, 'INSERT INTO locked VALUES (1000, null)');
      const schema = await waits(other, 'ALTER TABLE locked ADD COLUMN extra int');
      const index = await waits(other, 'CREATE INDEX locked_note ON locked (note)');
      await holder.exec('ROLLBACK');
      const said = WAITING[mode];
      assert.equal(read, /reads/.test(said), `reads wait under ${mode}?`);
      assert.equal(write, /writes|inserts, updates and deletes/.test(said), `writes wait under ${mode}?`);
      assert.equal(read || write, blocksReadsOrWrites(mode));
      assert.equal(/reads( and writes)? go on/.test(BLOCKS[mode]), !read, `BLOCKS says reads go on under ${mode}`);
      assert.ok(schema, `a schema change waits under ${mode}`);
      // "other schema changes" for SHARE UPDATE EXCLUSIVE: an index build (SHARE) waits too.
      if (mode === 'SHARE UPDATE EXCLUSIVE') assert.ok(index);
    });
  }
});

describe('row locks of an UPDATE of every row, on PostgreSQL 15 (two sessions)', () => {
  test(`ROW_LOCKS: ${ROW_LOCKS}`, async () => {
    const migrator = await connect();
    const other = await connect();
    await migrator.exec('DROP TABLE IF EXISTS rows_locked; CREATE TABLE rows_locked (id int PRIMARY KEY, n int); INSERT INTO rows_locked SELECT g, 0 FROM generate_series(1, 100) g;');
    await migrator.exec('BEGIN; UPDATE rows_locked SET n = n + 1;');
    await other.query(`SET lock_timeout = '150ms'`);
    await assert.rejects(other.query('UPDATE rows_locked SET n = 5 WHERE id = 7'), (error: { code?: string }) => error.code === '55P03');
    await other.query('SELECT count(*) FROM rows_locked'); // reads go on
    await migrator.exec('COMMIT');
    await other.query('UPDATE rows_locked SET n = 5 WHERE id = 7'); // and the row is free after the commit
  });
});
