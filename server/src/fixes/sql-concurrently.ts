// The fix of MG101/MG102 for a RunSQL statement: `CONCURRENTLY` written into `CREATE INDEX` / `DROP INDEX`, and
// `atomic = False`, which such a statement needs (PostgreSQL refuses it inside a transaction block).
import type { Migration } from '../analysis/migration';
import type { SqlStatement } from '../analysis/sql';
import { concurrentFixLabel, nonAtomicEdit } from './concurrently';
import { insertIntoStatement } from './sql-edit';
import type { Edit, Fix } from './types';

const KEYWORD = { 'create-index': /^CREATE\s+(UNIQUE\s+)?INDEX\b/i, 'drop-index': /^DROP\s+INDEX\b/i, reindex: /^REINDEX\s+(INDEX|TABLE)\b/i } as const;
const WORDS = { 'create-index': 'CREATE INDEX CONCURRENTLY', 'drop-index': 'DROP INDEX CONCURRENTLY', reindex: 'REINDEX … CONCURRENTLY' } as const;

/**
 * `CREATE [UNIQUE] INDEX` → `… INDEX CONCURRENTLY`, `DROP INDEX` → `DROP INDEX CONCURRENTLY`, `REINDEX INDEX|TABLE`
 * → `REINDEX INDEX|TABLE CONCURRENTLY` (the caller checks PostgreSQL ≥ 12 has it); undefined when the
 * concurrent form cannot run there: a statement sharing an `execute` call with others (an item of a list holding
 * several: they run as one transaction), `DROP INDEX` of several indexes or with `CASCADE` (PostgreSQL allows
 * neither concurrently).
 */
export function sqlConcurrently(ctx: { text: string }, migration: Migration, statement: SqlStatement): Fix | undefined {
  const action = statement.action;
  if ((action.kind !== 'create-index' && action.kind !== 'drop-index' && action.kind !== 'reindex') || action.concurrently || !statement.alone) return undefined;
  if (action.kind === 'drop-index' && (action.names.length !== 1 || action.cascade)) return undefined;
  const keyword = KEYWORD[action.kind].exec(statement.text);
  if (!keyword) return undefined;
  const insert = insertIntoStatement(statement, keyword[0].length, ' CONCURRENTLY', (edited) => edited.kind === action.kind && edited.concurrently);
  if (!insert) return undefined;
  const edits: Edit[] = [insert];
  const atomicEdit = nonAtomicEdit(ctx.text, migration);
  if (atomicEdit) edits.push(atomicEdit);
  return { ...concurrentFixLabel(`Write ${WORDS[action.kind]}`, migration, ctx.text), edits };
}
