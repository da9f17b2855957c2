// The fix of MG101 and MG102: the concurrent operation, imported, in a migration with `atomic = False`.
import { forwardOperations, type Migration, type Operation } from '../analysis/migration';
import { runSql, knownStatements } from '../analysis/sql';
import type { SqlAction } from '../analysis/sql-classify';
import type { Tree } from '../base/parser';
import { insertImport, replaceNode, setMigrationAttribute } from './edits';
import type { Edit, Fix } from './types';
import { Memo } from '../base/memo';

export const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

const INDEX_OPERATIONS = new Set(['AddIndex', 'RemoveIndex', 'AddIndexConcurrently', 'RemoveIndexConcurrently']);

/** Index statements, and session settings (`SET lock_timeout`), which keep their meaning without a transaction. */
export function isIndexStatement(action: SqlAction): boolean {
  return action.kind === 'create-index' || action.kind === 'drop-index' || action.kind === 'reindex' || (action.kind === 'set' && action.scope === 'session');
}

const nonIndexCache = new Memo<Migration, { source: string; operations: readonly Operation[] }>();

/**
 * The database operations of the migration other than index operations: what `atomic = False` would leave
 * without a transaction (a failure half-way then leaves them applied, which MG109's advice warns against).
 */
export function nonIndexOperations(migration: Migration, source: string): readonly Operation[] {
  // Asked by every blocking index operation's message and fixes (39 times on the bench's 1,000-line migration).
  const cached = nonIndexCache.get(migration);
  if (cached?.source === source) return cached.operations;
  const operations = forwardOperations(migration).filter((op) => {
    if (INDEX_OPERATIONS.has(op.kind)) return false;
    if (op.kind !== 'RunSQL') return true;
    const statements = knownStatements(runSql(op, source).sql);
    return !statements || !statements.every((statement) => isIndexStatement(statement.action));
  });
  nonIndexCache.set(migration, { source, operations });
  return operations;
}

/**
 * Whether turning the transaction off (or keeping it off) for a concurrent index operation changes nothing
 * else: the migration is already non-atomic, or its only database work is index operations.
 */
export function concurrentFixIsSafe(migration: Migration, source: string): boolean {
  return migration.atomic === false || nonIndexOperations(migration, source).length === 0;
}

/**
 * The title and safety of a fix that sets `atomic = False`: when other operations lose their transaction, the
 * title says the whole migration goes non-atomic and the fix is unsafe, saying how many lose it.
 */
export function concurrentFixLabel(title: string, migration: Migration, source: string): Pick<Fix, 'title' | 'applicability' | 'unsafeBecause'> {
  const others = migration.atomic === false ? 0 : nonIndexOperations(migration, source).length;
  if (others === 0) return { title, applicability: 'safe' };
  return {
    title: `${title} and set atomic = False for the whole migration`,
    applicability: 'unsafe',
    unsafeBecause: `${others === 1 ? '1 other operation loses its' : `${others} other operations lose their`} transaction`,
  };
}

/**
 * The help of a blocking index operation: `concurrent` alone when the migration can go non-atomic; otherwise
 * the advice to move the index into a migration of its own, and why.
 */
export function ownMigrationAdvice(ctx: { text: string }, migration: Migration, concurrent: string): string {
  if (concurrentFixIsSafe(migration, ctx.text)) return concurrent;
  return `${concurrent.replace(/\.$/, '')}. Move it into a migration of its own (a new migration after this one, depending on it): \`atomic = False\` here would run this migration's other operations without a transaction.`;
}

/** Per migration, the edit that sets `atomic = False` (the same for each of its blocking index operations). */
const atomicEdits = new Memo<Migration, { text: string; edit: Edit | undefined }>();

/** The `atomic = False` edit, when the migration is atomic. */
export function nonAtomicEdit(text: string, migration: Migration): Edit | undefined {
  if (migration.atomic === false) return undefined;
  // Asked by each blocking index operation's fixes: 43 times per keystroke on the bench's 1,000-line migration.
  const cached = atomicEdits.get(migration);
  if (cached?.text === text) return cached.edit;
  const edit = setMigrationAttribute(text, migration, 'atomic', 'False');
  atomicEdits.set(migration, { text, edit });
  return edit;
}

/** Per tree, the edit importing each concurrent operation (undefined: imported already). */
const importEdits = new Memo<Tree, { text: string; edits: Map<string, Edit | undefined> }>();

function importEdit(ctx: { text: string; tree: Tree }, concurrent: string): Edit | undefined {
  let cached = importEdits.get(ctx.tree);
  if (cached?.text !== ctx.text) importEdits.set(ctx.tree, (cached = { text: ctx.text, edits: new Map() }));
  if (!cached.edits.has(concurrent)) cached.edits.set(concurrent, insertImport(ctx.text, ctx.tree.rootNode, POSTGRES_OPERATIONS, concurrent));
  return cached.edits.get(concurrent);
}

/** `AddIndex` → `AddIndexConcurrently` (or `RemoveIndex` → `RemoveIndexConcurrently`), imported, in a non-atomic migration. */
export function useConcurrently(ctx: { text: string; tree: Tree }, migration: Migration, op: Operation, concurrent: string): Fix {
  const edits: Edit[] = [replaceNode(op.callee, concurrent)];
  const imported = importEdit(ctx, concurrent);
  if (imported) edits.push(imported);
  const atomicEdit = nonAtomicEdit(ctx.text, migration);
  if (atomicEdit) edits.push(atomicEdit);
  return { ...concurrentFixLabel(`Use ${concurrent}`, migration, ctx.text), edits };
}

