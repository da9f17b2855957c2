// PostgreSQL locks taken by migration operations: one table, used by rule messages and by hover.
export type LockMode = 'ACCESS EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'SHARE UPDATE EXCLUSIVE' | 'ROW EXCLUSIVE' | 'none';

export interface LockInfo {
  lock: LockMode;
  /** What other sessions cannot do while the lock is held. */
  blocks: string;
  /** How long the lock is held. */
  duration: string;
  safeRoute: string;
}

export const BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'every read and write',
  SHARE: 'inserts, updates and deletes (reads continue)',
  'SHARE ROW EXCLUSIVE': 'inserts, updates and deletes (reads continue)',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes and VACUUM (reads and writes continue)',
  'ROW EXCLUSIVE': 'nothing but schema changes (it is the lock of ordinary writes)',
  none: 'nothing',
};

/** What waits while the lock is held, as the subject of a message: "reads and writes wait". */
export const WAITING: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'reads and writes',
  SHARE: 'inserts, updates and deletes',
  'SHARE ROW EXCLUSIVE': 'inserts, updates and deletes',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes',
  'ROW EXCLUSIVE': 'schema changes',
  none: 'nothing',
};

export const OPERATION_LOCKS: Record<string, LockInfo> = {
  AddIndex: { lock: 'SHARE', blocks: BLOCKS.SHARE, duration: 'until the whole index is built (a full table scan)', safeRoute: 'AddIndexConcurrently in a migration with atomic = False' },
  AddIndexConcurrently: { lock: 'SHARE UPDATE EXCLUSIVE', blocks: BLOCKS['SHARE UPDATE EXCLUSIVE'], duration: 'while the index is built, in two table scans', safeRoute: 'this is the safe route; it needs atomic = False' },
  RemoveIndex: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but it queues behind every running query', safeRoute: 'RemoveIndexConcurrently in a migration with atomic = False' },
  RemoveIndexConcurrently: { lock: 'SHARE UPDATE EXCLUSIVE', blocks: BLOCKS['SHARE UPDATE EXCLUSIVE'], duration: 'while the index is dropped', safeRoute: 'this is the safe route; it needs atomic = False' },
  AddField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly for a nullable column or a constant default; for a full table rewrite with a volatile db_default; for the whole migration transaction when more follows', safeRoute: 'a nullable column (or one with a constant db_default), indexes, unique and foreign key constraints added concurrently or NOT VALID in later migrations' },
  AlterField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'for a full table rewrite or scan when the type or nullability changes', safeRoute: 'a new column, backfilled in batches, then swapped in; for NOT NULL, a validated CHECK constraint first (PostgreSQL 12+)' },
  RemoveField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly (no rewrite), but old code that still reads the column fails', safeRoute: 'remove it from the state first (SeparateDatabaseAndState), drop the column in a later deploy' },
  RenameField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that uses the old name fails', safeRoute: 'add a new column, copy, switch the code, then remove the old one' },
  AddConstraint: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'while the whole table is scanned to validate the constraint (or to build the unique index)', safeRoute: 'CHECK: AddConstraintNotValid, then ValidateConstraint in a later migration; UNIQUE: a unique index built concurrently, then the constraint USING INDEX' },
  AddConstraintNotValid: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly: existing rows are not checked', safeRoute: 'this is the safe route; validate with ValidateConstraint in a later migration' },
  ValidateConstraint: { lock: 'SHARE UPDATE EXCLUSIVE', blocks: BLOCKS['SHARE UPDATE EXCLUSIVE'], duration: 'while the table is scanned', safeRoute: 'this is the safe route; keep it out of the migration that added the constraint' },
  RemoveConstraint: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly', safeRoute: 'usually fine; set a lock_timeout' },
  DeleteModel: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that still uses the table fails', safeRoute: 'remove the model from the state first, drop the table in a later deploy' },
  RenameModel: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that uses the old table name fails', safeRoute: 'keep the table name with db_table' },
  AlterModelTable: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that uses the old table name fails', safeRoute: 'keep the table name; rename only together with a deploy that no longer uses the old one' },
  AlterUniqueTogether: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'until the unique index is built (a full table scan)', safeRoute: 'a unique index built concurrently, then the constraint USING INDEX' },
  AlterIndexTogether: { lock: 'SHARE', blocks: BLOCKS.SHARE, duration: 'until the index is built', safeRoute: 'AddIndexConcurrently in a migration with atomic = False' },
  RunSQL: { lock: 'none', blocks: 'depends on the SQL', duration: 'for the statement (the whole migration when atomic)', safeRoute: 'keep statements short; set lock_timeout first' },
  RunPython: { lock: 'ROW EXCLUSIVE', blocks: 'writes to the rows it updates, for the whole migration transaction when atomic', duration: 'for the whole migration transaction when atomic', safeRoute: 'batches in a migration with atomic = False' },
};

/**
 * What one SQL statement does to a table, for the hazards the MG1xx rules name. An operation such as
 * `AlterField` may run several of them; rules pick the one they report.
 */
export interface StatementLock extends LockInfo {
  /** The statement Django (or the user) runs, for messages and docs. */
  statement: string;
}

export type Hazard =
  | 'createIndex'
  | 'dropIndex'
  | 'addUniqueConstraint'
  | 'createUniqueIndex'
  | 'addCheckConstraint'
  | 'addForeignKey'
  | 'setNotNull'
  | 'alterColumnType'
  | 'addColumnVolatileDefault';

export const STATEMENT_LOCKS: Record<Hazard, StatementLock> = {
  createIndex: {
    statement: 'CREATE INDEX', lock: 'SHARE', blocks: BLOCKS.SHARE,
    duration: 'until the whole index is built (a full table scan)',
    safeRoute: 'CREATE INDEX CONCURRENTLY (AddIndexConcurrently, atomic = False)',
  },
  dropIndex: {
    statement: 'DROP INDEX', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'briefly, but it waits for every running query on the table and everything queues behind it',
    safeRoute: 'DROP INDEX CONCURRENTLY (RemoveIndexConcurrently, atomic = False)',
  },
  addUniqueConstraint: {
    statement: 'ALTER TABLE … ADD CONSTRAINT … UNIQUE', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'until the unique index is built (a full table scan)',
    safeRoute: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX',
  },
  createUniqueIndex: {
    statement: 'CREATE UNIQUE INDEX', lock: 'SHARE', blocks: BLOCKS.SHARE,
    duration: 'until the whole index is built (a full table scan)',
    safeRoute: 'CREATE UNIQUE INDEX CONCURRENTLY (atomic = False)',
  },
  addCheckConstraint: {
    statement: 'ALTER TABLE … ADD CONSTRAINT … CHECK', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'while every row is checked (a full table scan)',
    safeRoute: 'ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE) in a later migration',
  },
  addForeignKey: {
    statement: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY', lock: 'SHARE ROW EXCLUSIVE', blocks: BLOCKS['SHARE ROW EXCLUSIVE'],
    duration: 'on both tables while every row is checked against the referenced table (a full table scan)',
    safeRoute: 'ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  setNotNull: {
    statement: 'ALTER TABLE … ALTER COLUMN … SET NOT NULL', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'while every row is checked (a full table scan), unless a validated CHECK (column IS NOT NULL) proves it (PostgreSQL 12+)',
    safeRoute: 'CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then SET NOT NULL',
  },
  alterColumnType: {
    statement: 'ALTER TABLE … ALTER COLUMN … TYPE', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'while the whole table and its indexes are rewritten',
    safeRoute: 'a new column with the new type, backfilled in batches, then swapped in',
  },
  addColumnVolatileDefault: {
    statement: 'ALTER TABLE … ADD COLUMN … DEFAULT <volatile>', lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'],
    duration: 'while the whole table is rewritten to compute the default for every row',
    safeRoute: 'a nullable column without default, the default set afterwards (no rewrite), existing rows backfilled in batches',
  },
};
