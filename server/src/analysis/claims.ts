// What PostgreSQL does when Django runs a migration operation: the strongest lock on each table, whether the table
// is rewritten, whether it is read in full. This is the one place such claims are written: rule messages, the
// hover and MG110 read them from here. test/postgres replays the SQL Django's own `sqlmigrate` prints for every
// row (test/postgres/goldens) on a populated table in a real PostgreSQL (PGlite, PostgreSQL 18, in `npm test`;
// PostgreSQL 15 with a second session for CONCURRENTLY, in `npm run test:integration`) and fails when one is wrong.

/** The table lock modes migrations take, as PostgreSQL's documentation names them. */
export type LockMode = 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE' | 'SHARE UPDATE EXCLUSIVE' | 'ROW EXCLUSIVE';

/**
 * The tables an operation touches: the model's own (`table`), the table its foreign key points at
 * (`referenced`), and a table whose foreign key points at the model (`referencing`).
 */
export type TableRole = 'table' | 'referenced' | 'referencing';

export interface Claim {
  /** The SQL Django runs, in short: for messages and the hover. */
  sql: string;
  /** The strongest lock on each table; a table without an entry is not locked. */
  locks: Partial<Record<TableRole, LockMode>>;
  /** The model's table is written anew, with its indexes (`relfilenode` changes). */
  rewrites: boolean;
  /** Tables read in full (a sequential scan) while the locks are held. */
  scans: TableRole[];
  /** Verified on PostgreSQL 15 with a second session (CONCURRENTLY cannot run in a transaction, nor in PGlite). */
  concurrently?: true;
  /**
   * PostgreSQL refuses it inside a transaction block (VACUUM): PGlite's observation runs in one, so it is verified
   * on PostgreSQL 15 with a second session, like the CONCURRENTLY rows.
   */
  outsideTransaction?: true;
  /** The safe way, for the hover (advice, not a claim about PostgreSQL). */
  safeRoute: string;
}

/** What waits while a lock is held, as the subject of a sentence ("reads and writes wait"). Verified with two sessions. */
export const WAITING: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'reads and writes',
  EXCLUSIVE: 'inserts, updates and deletes',
  'SHARE ROW EXCLUSIVE': 'inserts, updates and deletes',
  SHARE: 'inserts, updates and deletes',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes',
  'ROW EXCLUSIVE': 'schema changes',
};

/**
 * What an UPDATE or DELETE does to the rows it touches (row locks, not in pg_locks' table rows): verified with two
 * sessions in test/integration.
 */
export const ROW_LOCKS = 'every row it touches stays locked until the transaction commits, so other writes to those rows wait';

/** What a lock blocks, and what goes on, for the hover. */
export const BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'every read and write',
  EXCLUSIVE: 'inserts, updates and deletes (reads go on)',
  'SHARE ROW EXCLUSIVE': 'inserts, updates and deletes (reads go on)',
  SHARE: 'inserts, updates and deletes (reads go on)',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes and VACUUM (reads and writes go on)',
  'ROW EXCLUSIVE': 'only schema changes (it is the lock ordinary writes take; reads and writes go on)',
};

const INDEX_CONCURRENTLY = 'AddIndexConcurrently in a migration with atomic = False';
const FK_NOT_VALID = 'the field with db_constraint=False, then the constraint added NOT VALID and validated in a later migration';
const UNIQUE_CONCURRENTLY = 'a unique index built concurrently, then the constraint added USING INDEX';
const TWO_STEP_REMOVAL = 'remove it from the state first (SeparateDatabaseAndState) and deploy; drop it in the database in a later migration';

export const CLAIMS = {
  AddIndex: {
    sql: 'CREATE INDEX', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'], safeRoute: INDEX_CONCURRENTLY,
  },
  AddIndexConcurrently: {
    sql: 'CREATE INDEX CONCURRENTLY', locks: { table: 'SHARE UPDATE EXCLUSIVE' }, rewrites: false, scans: ['table'], concurrently: true,
    safeRoute: 'this is the safe route; it needs atomic = False',
  },
  RemoveIndex: {
    sql: 'DROP INDEX', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [], safeRoute: 'RemoveIndexConcurrently in a migration with atomic = False',
  },
  RemoveIndexConcurrently: {
    sql: 'DROP INDEX CONCURRENTLY', locks: { table: 'SHARE UPDATE EXCLUSIVE' }, rewrites: false, scans: [], concurrently: true,
    safeRoute: 'this is the safe route; it needs atomic = False',
  },
  'AddField.nullable': {
    sql: 'ALTER TABLE … ADD COLUMN … NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe way to add a column; set a lock_timeout so it cannot queue behind a long query',
  },
  'AddField.notNullWithDefault': {
    sql: 'ALTER TABLE … ADD COLUMN … DEFAULT … NOT NULL, then DROP DEFAULT', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'a db_default (Django 5.0+) so the old code\'s inserts keep working, or a nullable column',
  },
  'AddField.constantDbDefault': {
    sql: 'ALTER TABLE … ADD COLUMN … DEFAULT <constant> NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe way to add a NOT NULL column',
  },
  'AddField.stableDbDefault': {
    sql: 'ALTER TABLE … ADD COLUMN … DEFAULT now() NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: now() is computed once, not per row',
  },
  'AddField.volatileDbDefault': {
    sql: 'ALTER TABLE … ADD COLUMN … DEFAULT <volatile expression>', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a nullable column without a default, the default set afterwards, existing rows backfilled in batches',
  },
  'AddField.dbIndex': {
    sql: 'ALTER TABLE … ADD COLUMN, then CREATE INDEX in the same transaction', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'the field with db_index=False, then AddIndexConcurrently in a later migration with atomic = False',
  },
  'AddField.unique': {
    sql: 'ALTER TABLE … ADD COLUMN … UNIQUE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: `the field without unique=True, then ${UNIQUE_CONCURRENTLY}`,
  },
  'AddField.foreignKey': {
    sql: 'ALTER TABLE … ADD COLUMN … REFERENCES, then CREATE INDEX', locks: { table: 'ACCESS EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'the field with db_index=False, then AddIndexConcurrently in a later migration with atomic = False',
  },
  'AddField.foreignKeyNoIndex': {
    sql: 'ALTER TABLE … ADD COLUMN … NULL REFERENCES', locks: { table: 'ACCESS EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: a new nullable column has no value to check; set a lock_timeout, since both tables are locked',
  },
  'AddField.foreignKeyWithDefault': {
    sql: 'ALTER TABLE … ADD COLUMN … DEFAULT … REFERENCES', locks: { table: 'ACCESS EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: ['table', 'referenced'],
    safeRoute: FK_NOT_VALID,
  },
  'AddField.manyToMany': {
    sql: 'CREATE TABLE … REFERENCES both tables', locks: { table: 'SHARE ROW EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: the new table is empty; set a lock_timeout, since both tables are locked briefly',
  },
  'AlterField.setNotNull': {
    sql: 'ALTER TABLE … ALTER COLUMN … SET NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'a CHECK (column IS NOT NULL) constraint added NOT VALID, validated in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)',
  },
  'AlterField.setNotNullWithDefault': {
    sql: 'UPDATE … SET column = default WHERE column IS NULL, then SET NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'backfill the NULL rows in batches first, then the CHECK-then-SET-NOT-NULL route',
  },
  'AlterField.setNotNullAfterValidatedCheck': {
    sql: 'ALTER TABLE … ALTER COLUMN … SET NOT NULL, proved by a validated CHECK (column IS NOT NULL)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe route (PostgreSQL 12+); drop the CHECK constraint afterwards',
  },
  'AlterField.dropNotNull': {
    sql: 'ALTER TABLE … ALTER COLUMN … DROP NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine; set a lock_timeout',
  },
  'AlterField.type': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a new column with the new type, backfilled in batches, then swapped in',
  },
  'AlterField.varcharShorter': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE varchar(shorter)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a CHECK (length(column) <= n) constraint added NOT VALID and validated, instead of the shorter type',
  },
  'AlterField.varcharLonger': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE varchar(longer)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'AlterField.varcharToText': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE text', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'AlterField.decimalPrecision': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE numeric(more digits, same scale)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'AlterField.dbIndex': {
    sql: 'CREATE INDEX', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'],
    safeRoute: 'the field with db_index=False and AddIndexConcurrently in a migration with atomic = False',
  },
  'AlterField.unique': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … UNIQUE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: UNIQUE_CONCURRENTLY,
  },
  'AlterField.foreignKeyConstraint': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY', locks: { table: 'SHARE ROW EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: ['table', 'referenced'],
    safeRoute: 'the constraint added NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  'AlterField.defaultOnly': {
    sql: 'no SQL: Django keeps a field\'s default in Python', locks: {}, rewrites: false, scans: [],
    safeRoute: 'nothing to do: it only changes Django\'s state',
  },
  RemoveField: {
    sql: 'ALTER TABLE … DROP COLUMN', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: TWO_STEP_REMOVAL,
  },
  'RemoveField.foreignKey': {
    sql: 'ALTER TABLE … DROP CONSTRAINT … (the foreign key), then DROP COLUMN', locks: { table: 'ACCESS EXCLUSIVE', referenced: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: TWO_STEP_REMOVAL,
  },
  RenameField: {
    sql: 'ALTER TABLE … RENAME COLUMN', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'keep the column name with db_column, or add a new column, copy, switch the code, then remove the old one',
  },
  'AddConstraint.check': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … CHECK', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'AddConstraintNotValid, then ValidateConstraint in a later migration',
  },
  'AddConstraint.unique': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … UNIQUE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: UNIQUE_CONCURRENTLY,
  },
  'AddConstraint.uniqueCondition': {
    sql: 'CREATE UNIQUE INDEX … WHERE', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'],
    safeRoute: 'the unique index built concurrently (CREATE UNIQUE INDEX CONCURRENTLY … WHERE …) in a migration with atomic = False',
  },
  // Expressions, include or opclasses without a condition: a unique index, not a constraint, and no WHERE.
  'AddConstraint.uniqueIndex': {
    sql: 'CREATE UNIQUE INDEX', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'],
    safeRoute: 'the unique index built concurrently (CREATE UNIQUE INDEX CONCURRENTLY …) in a migration with atomic = False',
  },
  'AddConstraint.exclusion': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … EXCLUDE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'none without a lock: an exclusion constraint cannot be added NOT VALID; add it while the table is small, or in a maintenance window',
  },
  AddConstraintNotValid: {
    sql: 'ALTER TABLE … ADD CONSTRAINT … NOT VALID', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe route; validate with ValidateConstraint in a later migration',
  },
  ValidateConstraint: {
    sql: 'ALTER TABLE … VALIDATE CONSTRAINT', locks: { table: 'SHARE UPDATE EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'this is the safe route; keep it out of the migration that added the constraint',
  },
  RemoveConstraint: {
    sql: 'ALTER TABLE … DROP CONSTRAINT', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine; set a lock_timeout',
  },
  DeleteModel: {
    sql: 'DROP TABLE … CASCADE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: TWO_STEP_REMOVAL,
  },
  'DeleteModel.withForeignKey': {
    sql: 'DROP TABLE … CASCADE (with its foreign keys)', locks: { table: 'ACCESS EXCLUSIVE', referenced: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: TWO_STEP_REMOVAL,
  },
  RenameModel: {
    sql: 'ALTER TABLE … RENAME TO', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'keep the table name with db_table',
  },
  'RenameModel.withIncomingForeignKey': {
    sql: 'ALTER TABLE … RENAME TO, then every foreign key to it dropped and added again (validated)', locks: { table: 'ACCESS EXCLUSIVE', referencing: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table', 'referencing'],
    safeRoute: 'keep the table name with db_table: then Django runs no SQL at all',
  },
  'RenameModel.pinnedTableWithIncomingForeignKey': {
    sql: 'no RENAME (db_table keeps the name), but every foreign key to it dropped and added again (validated): Django before 5.2',
    locks: { table: 'ACCESS EXCLUSIVE', referencing: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table', 'referencing'],
    safeRoute: 'upgrade Django (5.2 runs no SQL for it), or rename the model in the state only (SeparateDatabaseAndState)',
  },
  'RenameModel.pinnedTable': {
    sql: 'no SQL: db_table keeps the table name (Django 5.2)', locks: {}, rewrites: false, scans: [],
    safeRoute: 'this is the safe route',
  },
  AlterModelTable: {
    sql: 'ALTER TABLE … RENAME TO', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'keep the table name; rename only together with a deploy that no longer uses the old one',
  },
  AlterUniqueTogether: {
    sql: 'ALTER TABLE … ADD CONSTRAINT … UNIQUE', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: UNIQUE_CONCURRENTLY,
  },
  AlterIndexTogether: {
    sql: 'CREATE INDEX', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'], safeRoute: INDEX_CONCURRENTLY,
  },
  AlterOrderWithRespectTo: {
    sql: 'ALTER TABLE … ADD COLUMN "_order" … DEFAULT 0 NOT NULL', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'CreateModel.withForeignKey': {
    sql: 'CREATE TABLE, then ADD CONSTRAINT … FOREIGN KEY to the existing table', locks: { referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: the new table is empty; set a lock_timeout, since the referenced table is locked briefly',
  },
  'DataMigration.update': {
    sql: 'UPDATE … (every row)', locks: { table: 'ROW EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'batches (pk ranges) in a migration with atomic = False, so each batch commits and releases its row locks',
  },
  // Statements of a RunSQL that Django's operations never run (test/postgres/goldens/sql, written by hand).
  'RunSQL.addColumnGeneratedStored': {
    sql: 'ALTER TABLE … ADD COLUMN … GENERATED ALWAYS AS (…) STORED', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a nullable column filled in batches (and kept up to date by the application or a trigger), or a view',
  },
  'RunSQL.addColumnSerial': {
    sql: 'ALTER TABLE … ADD COLUMN … serial', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a nullable column without a default, the sequence default set afterwards, existing rows backfilled in batches',
  },
  'RunSQL.cluster': {
    sql: 'CLUSTER … USING …', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'pg_repack, or a maintenance window: CLUSTER has no concurrent form',
  },
  'RunSQL.lockTable': {
    sql: 'LOCK TABLE … (IN ACCESS EXCLUSIVE MODE)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'no explicit table lock; if one is needed, the weakest mode that works, with a lock_timeout',
  },
  'RunSQL.lockTableExclusive': {
    sql: 'LOCK TABLE … IN EXCLUSIVE MODE', locks: { table: 'EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'no explicit table lock; if one is needed, the weakest mode that works, with a lock_timeout',
  },
  'RunSQL.lockTableShareRowExclusive': {
    sql: 'LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE', locks: { table: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'no explicit table lock; if one is needed, the weakest mode that works, with a lock_timeout',
  },
  'RunSQL.lockTableShare': {
    sql: 'LOCK TABLE … IN SHARE MODE', locks: { table: 'SHARE' }, rewrites: false, scans: [],
    safeRoute: 'no explicit table lock; if one is needed, the weakest mode that works, with a lock_timeout',
  },
  'RunSQL.vacuumFull': {
    sql: 'VACUUM FULL …', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'], outsideTransaction: true,
    safeRoute: 'pg_repack, or a maintenance window: VACUUM FULL has no concurrent form (and needs atomic = False)',
  },
  'RunSQL.setLogged': {
    sql: 'ALTER TABLE … SET LOGGED', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a maintenance window: the table is copied into the write-ahead log while it is locked',
  },
  'RunSQL.setUnlogged': {
    sql: 'ALTER TABLE … SET UNLOGGED', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: true, scans: ['table'],
    safeRoute: 'a maintenance window: the table is copied while it is locked',
  },
  'RunSQL.varcharUnbounded': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE varchar (no length limit)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'RunSQL.textToVarchar': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE varchar (from text, no length limit)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'RunSQL.numericUnbounded': {
    sql: 'ALTER TABLE … ALTER COLUMN … TYPE numeric (no precision limit)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'fine: no rewrite; set a lock_timeout',
  },
  'RunSQL.reindex': {
    sql: 'REINDEX INDEX … / REINDEX TABLE …', locks: { table: 'SHARE' }, rewrites: false, scans: ['table'],
    safeRoute: 'REINDEX … CONCURRENTLY (PostgreSQL 12+) in a migration with atomic = False',
  },
  'RunSQL.addPrimaryKey': {
    sql: 'ALTER TABLE … ADD PRIMARY KEY (…)', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: ['table'],
    safeRoute: 'a unique index built concurrently, then ADD CONSTRAINT … PRIMARY KEY USING INDEX',
  },
  // The statements the rewrites (server/src/rewrite) write out, each a step of a safe route.
  'RunSQL.addForeignKeyNotValid': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID', locks: { table: 'SHARE ROW EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe route; validate it with VALIDATE CONSTRAINT in a later migration',
  },
  'RunSQL.addUniqueUsingIndex': {
    sql: 'ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX', locks: { table: 'ACCESS EXCLUSIVE' }, rewrites: false, scans: [],
    safeRoute: 'this is the safe route: the unique index was built concurrently before',
  },
} as const satisfies Record<string, Claim>;

export type ClaimId = keyof typeof CLAIMS;

export function claim(id: ClaimId): Claim {
  return CLAIMS[id];
}

/** Whether a lock makes the application's reads (ACCESS SHARE) or writes (ROW EXCLUSIVE) wait: verified with two sessions. */
export function blocksReadsOrWrites(mode: LockMode): boolean {
  return mode === 'SHARE' || mode === 'SHARE ROW EXCLUSIVE' || mode === 'EXCLUSIVE' || mode === 'ACCESS EXCLUSIVE';
}

/** "an ACCESS EXCLUSIVE lock", "a SHARE lock". */
export function aLock(mode: LockMode): string {
  return `${/^[AEIOU]/.test(mode) ? 'an' : 'a'} ${mode} lock`;
}

/** The strongest lock the claim takes on the model's table (or on whichever table it locks). */
export function mainLock(id: ClaimId): LockMode | undefined {
  const locks: Claim['locks'] = CLAIMS[id].locks;
  return locks.table ?? locks.referenced ?? locks.referencing;
}

/** Table names per role; a role without a name is described ("the referenced table"). */
export type ClaimTables = Partial<Record<TableRole, string>>;

const UNNAMED: Record<TableRole, string> = { table: 'the table', referenced: 'the referenced table', referencing: 'the referencing table' };

function named(tables: ClaimTables, role: TableRole): string {
  const name = tables[role];
  return name ? `\`${name}\`` : UNNAMED[role];
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const ROLES: TableRole[] = ['table', 'referenced', 'referencing'];

/**
 * The claim as the end of a sentence whose subject names the operation and its table: "takes a SHARE lock:
 * inserts, updates and deletes wait while every row is read". Other tables are named; so is the model's table
 * when another is locked too. Every word about locks, scans and rewrites comes from the claim.
 */
export function lockClause(claim: Claim, tables: ClaimTables): string {
  const locked = ROLES.filter((role) => claim.locks[role]);
  if (locked.length === 0) return 'takes no lock: Django runs no SQL for it';
  const several = locked.length > 1 || locked[0] !== 'table';
  const where = (roles: TableRole[]) => (several ? ` on ${list(roles.map((role) => named(tables, role)))}` : '');
  const modes = [...new Set(locked.map((role) => claim.locks[role]!))];
  const takes = modes.map((mode) => `${aLock(mode)}${where(locked.filter((role) => claim.locks[role] === mode))}`);
  const waits = modes.map((mode) => `${WAITING[mode]}${where(locked.filter((role) => claim.locks[role] === mode))}`);
  let duration: string;
  if (claim.rewrites) duration = `while ${several ? named(tables, 'table') : 'the table'} and its indexes are rewritten`;
  else if (claim.scans.length > 0) duration = several || claim.scans[0] !== 'table' ? `while every row of ${list(claim.scans.map((role) => named(tables, role)))} is read` : 'while every row is read';
  else duration = 'only briefly (no scan, no rewrite), unless it queues behind a long-running query';
  return `takes ${list(takes)}: ${list(waits)} wait ${duration}`;
}
