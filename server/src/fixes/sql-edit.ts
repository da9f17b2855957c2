// Editing a statement inside a RunSQL string: text inserted at a point of the statement lands on the right
// characters of the Python source (through the string's mapping), and only when PostgreSQL's parser reads the
// edited statement as intended.
import type { SqlStatement } from '../analysis/sql';
import { classifyStatement, type SqlAction } from '../analysis/sql-classify';
import { parseSql } from '../base/sql-parser';
import type { Edit } from './types';

/**
 * The edit that inserts `insert` at `at` (an index into `statement.text`), when the edited statement parses as
 * one statement whose action passes `check`; undefined otherwise (a comment where we would insert, a form the
 * regular expression of the caller misread).
 */
export function insertIntoStatement(statement: SqlStatement, at: number, insert: string, check: (action: SqlAction) => boolean): Edit | undefined {
  const edited = statement.text.slice(0, at) + insert + statement.text.slice(at);
  const parsed = parseSql(edited);
  if (!parsed?.ok || parsed.statements.length !== 1 || !check(classifyStatement(parsed.statements[0].stmt))) return undefined;
  // After the character before `at`: inside the literal that holds it, even when the next one starts a new literal.
  const source = at === 0 ? statement.source.sourceOf(statement.offset) : statement.source.sourceEndOf(statement.offset + at);
  return { start: source, end: source, text: insert };
}
