// The fix of MG101 and MG102: the concurrent operation, imported, in a migration with `atomic = False`.
import type { Migration, Operation } from '../analysis/migration';
import type { Tree } from '../engine/parser';
import { insertImport, replaceNode, setMigrationAttribute } from './edits';
import type { Edit, Fix } from './types';

const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

/**
 * Turning off the transaction changes nothing else when the migration's only other database work is
 * concurrent (or state-only): then the fix is safe.
 */
export function isOnlyTransactionalOperation(migration: Migration): boolean {
  const transactional = migration.operations.filter((op) => op.scope !== 'state' && op.kind !== 'SeparateDatabaseAndState' && !op.kind.endsWith('Concurrently'));
  return transactional.length <= 1;
}

/** `AddIndex` → `AddIndexConcurrently` (or `RemoveIndex` → `RemoveIndexConcurrently`), imported, in a non-atomic migration. */
export function useConcurrently(ctx: { text: string; tree: Tree }, migration: Migration, op: Operation, concurrent: string, safe: boolean): Fix {
  const edits: Edit[] = [replaceNode(op.callee, concurrent)];
  const importEdit = insertImport(ctx.text, ctx.tree.rootNode, POSTGRES_OPERATIONS, concurrent);
  if (importEdit) edits.push(importEdit);
  const atomicEdit = migration.atomic === false ? undefined : setMigrationAttribute(ctx.text, migration, 'atomic', 'False');
  if (atomicEdit) edits.push(atomicEdit);
  return { title: `Use ${concurrent}`, applicability: safe ? 'safe' : 'unsafe', ...(safe ? {} : { unsafeBecause: 'the other operations lose their transaction' }), edits };
}
