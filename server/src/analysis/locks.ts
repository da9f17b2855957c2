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

export const OPERATION_LOCKS: Record<string, LockInfo> = {
  AddIndex: { lock: 'SHARE', blocks: BLOCKS.SHARE, duration: 'until the whole index is built (a full table scan)', safeRoute: 'AddIndexConcurrently in a migration with atomic = False' },
  AddIndexConcurrently: { lock: 'SHARE UPDATE EXCLUSIVE', blocks: BLOCKS['SHARE UPDATE EXCLUSIVE'], duration: 'while the index is built, in two table scans', safeRoute: 'this is the safe route; it needs atomic = False' },
  RemoveIndex: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but it queues behind every running query', safeRoute: 'RemoveIndexConcurrently in a migration with atomic = False' },
  RemoveIndexConcurrently: { lock: 'SHARE UPDATE EXCLUSIVE', blocks: BLOCKS['SHARE UPDATE EXCLUSIVE'], duration: 'while the index is dropped', safeRoute: 'this is the safe route; it needs atomic = False' },
  AddField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly for a nullable column or a constant default; for the whole migration transaction when more follows', safeRoute: 'a nullable column (or one with db_default), indexes added concurrently in a later migration' },
  AlterField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'for a full table rewrite or scan when the type or nullability changes', safeRoute: 'a new column, backfilled in batches, then swapped in' },
  RemoveField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly (no rewrite), but old code that still reads the column fails', safeRoute: 'remove it from the state first (SeparateDatabaseAndState), drop the column in a later deploy' },
  RenameField: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that uses the old name fails', safeRoute: 'add a new column, copy, switch the code, then remove the old one' },
  AddConstraint: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'while the whole table is scanned to validate the constraint', safeRoute: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration' },
  RemoveConstraint: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly', safeRoute: 'usually fine; set a lock_timeout' },
  DeleteModel: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that still uses the table fails', safeRoute: 'remove the model from the state first, drop the table in a later deploy' },
  RenameModel: { lock: 'ACCESS EXCLUSIVE', blocks: BLOCKS['ACCESS EXCLUSIVE'], duration: 'briefly, but old code that uses the old table name fails', safeRoute: 'keep the table name with db_table' },
  AlterUniqueTogether: { lock: 'SHARE', blocks: BLOCKS.SHARE, duration: 'until the unique index is built', safeRoute: 'a unique index built concurrently, then the constraint USING INDEX' },
  AlterIndexTogether: { lock: 'SHARE', blocks: BLOCKS.SHARE, duration: 'until the index is built', safeRoute: 'AddIndexConcurrently in a migration with atomic = False' },
  RunSQL: { lock: 'none', blocks: 'depends on the SQL', duration: 'for the statement (the whole migration when atomic)', safeRoute: 'keep statements short; set lock_timeout first' },
  RunPython: { lock: 'ROW EXCLUSIVE', blocks: 'writes to the rows it updates, for the whole migration transaction when atomic', duration: 'for the whole migration transaction when atomic', safeRoute: 'batches in a migration with atomic = False' },
};
