// Replays a golden (the SQL Django's sqlmigrate printed for a scenario, test/postgres/goldens) on a real PostgreSQL
// and reports what the observed migration did to each table that existed before it: the strongest lock the
// session held, whether the table was rewritten (its relfilenode changed) and whether it was read in full (its
// sequential-scan counter grew). The same code runs on PGlite (npm test) and on PostgreSQL 15 (integration).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMS, type Claim, type ClaimId, type LockMode } from '../../server/src/analysis/claims';
import { REPO_ROOT } from '../helpers/paths';

export const GOLDENS_DIR = join(REPO_ROOT, 'test', 'postgres', 'goldens');

export interface Golden {
  claim: string;
  /** `3.2`, `5.2`: the Django whose sqlmigrate printed it; `sql` for the statements written by hand (goldens/sql). */
  django: string;
  file: string;
  app: string;
  /** role (`table`, `referenced`, `referencing`) → table name. */
  roles: Map<string, string>;
  setup: string[];
  observed: string;
}

function parseGolden(file: string, django: string): Golden {
  const text = readFileSync(file, 'utf8');
  const claim = /^-- Claim: (\S+)$/m.exec(text)?.[1];
  const header = /^-- App: (\w+)\. Roles: (.*)\.$/m.exec(text);
  if (!claim || !header) throw new Error(`${file}: no claim or roles header`);
  const roles = new Map(header[2].split(', ').map((pair) => pair.split(' = ') as [string, string]));
  const sections = text.split(/^-- Migration \S+ \((setup|observed)\)$/m);
  const setup: string[] = [];
  let observed: string | undefined;
  for (let i = 1; i < sections.length; i += 2) {
    if (sections[i] === 'setup') setup.push(sections[i + 1]);
    else observed = sections[i + 1];
  }
  if (observed === undefined) throw new Error(`${file}: no observed migration`);
  return { claim, django, file, app: header[1], roles, setup, observed };
}

/**
 * Every golden, for every Django version recorded (`goldens/django-3.2/*.sql`…), then the statements of RunSQL
 * written by hand (`goldens/sql/*.sql`): for raw SQL the statement itself is what runs.
 */
export function readGoldens(): Golden[] {
  const goldens: Golden[] = [];
  const dirs = readdirSync(GOLDENS_DIR).filter((name) => name.startsWith('django-')).sort();
  for (const dir of [...dirs, 'sql']) {
    for (const name of readdirSync(join(GOLDENS_DIR, dir)).filter((file) => file.endsWith('.sql')).sort()) {
      goldens.push(parseGolden(join(GOLDENS_DIR, dir, name), dir.replace(/^django-/, '')));
    }
  }
  return goldens;
}

/**
 * Whether a golden's claim is checked on PostgreSQL 15 with a second session (test/integration/postgres-claims)
 * rather than on PGlite: CONCURRENTLY and VACUUM cannot run in the transaction PGlite's observation runs in.
 */
export function needsSecondSession(golden: Pick<Golden, 'claim'>): boolean {
  const claim = CLAIMS[golden.claim as ClaimId] as Claim | undefined;
  return claim?.concurrently === true || claim?.outsideTransaction === true;
}

/** The SQL of an atomic migration without the BEGIN/COMMIT sqlmigrate wraps it in: the caller opens the transaction. */
export function withoutTransaction(sql: string): string {
  return sql.replace(/^(BEGIN|COMMIT);$/gm, '');
}

/** What both PGlite and node-postgres-like clients offer. */
export interface Database {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

const MODES: Record<string, LockMode | 'ACCESS SHARE' | 'ROW SHARE' | 'EXCLUSIVE'> = {
  AccessShareLock: 'ACCESS SHARE',
  RowShareLock: 'ROW SHARE',
  RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE',
  ShareLock: 'SHARE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE',
  AccessExclusiveLock: 'ACCESS EXCLUSIVE',
};
/** PostgreSQL's table lock modes, weakest first (the conflict table of the docs is ordered the same way). */
export const STRENGTH = Object.values(MODES);

/** A value for every row of a column Django made, by type: unique per row (`g`), so unique indexes build. */
function columnValue(type: string, length: number | null): string | undefined {
  if (/^(bigint|integer|smallint|numeric)/.test(type)) return 'g';
  if (type === 'character varying') return length ? `left('v' || g, ${length})` : `'v' || g`;
  if (type === 'text') return `'v' || g`;
  if (type.startsWith('timestamp')) return `now() - g * interval '1 minute'`;
  if (type === 'boolean') return 'true';
  if (type === 'uuid') return `md5(g::text)::uuid`;
  return undefined;
}

/**
 * Fills every table of the app with `rows` rows, in one transaction: every column gets a value (NOT NULL and
 * nullable alike, so a later SET NOT NULL holds), foreign keys point at row `g` of the referenced table (Django's
 * constraints are DEFERRABLE INITIALLY DEFERRED, so the order of the tables does not matter). Then ANALYZE, so
 * the planner sees real sizes, as it would on a production table.
 */
export async function populate(db: Database, app: string, rows: number): Promise<void> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string; character_maximum_length: number | null; column_default: string | null; is_identity: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, character_maximum_length, column_default, is_identity, is_nullable
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name ~ $1 ORDER BY table_name, ordinal_position`,
    [tablePattern(app)],
  );
  const byTable = new Map<string, string[][]>();
  for (const column of columns.rows) {
    if (column.is_identity === 'YES' || column.column_default?.startsWith('nextval(')) continue;
    const value = columnValue(column.data_type, column.character_maximum_length);
    if (value === undefined && column.is_nullable === 'NO') throw new Error(`populate: no value for ${column.table_name}.${column.column_name} (${column.data_type})`);
    if (value === undefined) continue;
    const list = byTable.get(column.table_name) ?? [];
    list.push([`"${column.column_name}"`, value]);
    byTable.set(column.table_name, list);
  }
  const inserts = [...byTable].map(([table, list]) =>
    `INSERT INTO "${table}" (${list.map(([name]) => name).join(', ')}) SELECT ${list.map(([, value]) => value).join(', ')} FROM generate_series(1, ${rows}) AS g;`);
  const analyze = [...byTable.keys()].map((table) => `ANALYZE "${table}";`);
  await db.exec(`BEGIN; ${inserts.join('\n')} COMMIT; ${analyze.join(' ')}`);
}

export interface TableEffect {
  /** The strongest lock the migration's session held on the table, or undefined for none. */
  lock?: string;
  rewritten: boolean;
  scanned: boolean;
}

/** role (or `other:<table>` for a table without one) → effect, for every table of the app that existed before. */
export type Observation = Map<string, TableEffect>;

interface TableRow { oid: number; relname: string; relfilenode: number; seq_scan: string | number }

// The app's tables: `<app>_<model>` (the scenarios' model names have no underscore, and one app's label may be
// the start of another's: `removefield` and `removefield_foreignkey`).
const TABLES = `SELECT c.oid::int AS oid, c.relname, c.relfilenode::int AS relfilenode, coalesce(s.seq_scan, 0) AS seq_scan
  FROM pg_class c LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
  WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace AND c.relname ~ $1`;

function tablePattern(app: string): string {
  return `^${app}_[a-z]+$`;
}

/**
 * Runs the golden's observed migration inside a transaction that is rolled back, and reads, before the end of the
 * transaction, pg_locks for this session, relfilenode and the transaction's own sequential-scan counters.
 * The setup migrations must have run already (see `prepare`).
 */
export async function observe(db: Database, golden: Golden): Promise<Observation> {
  const pattern = tablePattern(golden.app);
  await db.exec('BEGIN');
  try {
    const before = (await db.query<TableRow>(TABLES, [pattern])).rows;
    await db.exec(withoutTransaction(golden.observed));
    const after = new Map((await db.query<TableRow>(TABLES, [pattern])).rows.map((row) => [row.oid, row]));
    const locks = await db.query<{ oid: number; mode: string }>(
      `SELECT l.relation::int AS oid, l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'`);
    const strongest = new Map<number, string>();
    for (const { oid, mode } of locks.rows) {
      const name = MODES[mode];
      if (!name) throw new Error(`unknown lock mode ${mode}`);
      const current = strongest.get(oid);
      if (!current || STRENGTH.indexOf(name as never) > STRENGTH.indexOf(current as never)) strongest.set(oid, name);
    }
    const roleOf = new Map([...golden.roles].map(([role, table]) => [table, role]));
    const observation: Observation = new Map();
    for (const table of before) {
      const later = after.get(table.oid);
      observation.set(roleOf.get(table.relname) ?? `other:${table.relname}`, {
        lock: strongest.get(table.oid),
        // A dropped table has no row afterwards: it was not rewritten, and what it held is in pg_locks.
        rewritten: later !== undefined && later.relfilenode !== table.relfilenode,
        scanned: later !== undefined && Number(later.seq_scan) > Number(table.seq_scan),
      });
    }
    return observation;
  } finally {
    await db.exec('ROLLBACK');
  }
}

/** Drops every table: each Django version's goldens use the same app labels. */
export async function resetDatabase(db: Database): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

/** Runs the setup migrations and fills the tables. */
export async function prepare(db: Database, golden: Golden, rows: number): Promise<void> {
  for (const sql of golden.setup) await db.exec(sql);
  await populate(db, golden.app, rows);
}
