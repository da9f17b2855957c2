// The SQL that undoes a RunSQL's statements, for MG302's fix: the statements that create something get the
// `DROP … IF EXISTS` of what they created, in reverse order. `IF EXISTS`: rolling back a half-applied
// non-atomic migration, or one whose object was dropped by hand, still succeeds. Statements that change data or
// settings have no inverse we can write, so the fix falls back to `RunSQL.noop`.
import type { SqlStatement } from '../analysis/sql';
import { classifyStatement, type SqlAction } from '../analysis/sql-classify';
import { parseSql } from '../base/sql-parser';

/** The inverse statements, in the order to run them; undefined when some statement has none. */
export function inverseStatements(statements: SqlStatement[]): string[] | undefined {
  if (statements.length === 0) return undefined;
  const inverse: string[] = [];
  for (const statement of [...statements].reverse()) {
    // `IF NOT EXISTS` may have created nothing: dropping on rollback could remove what was there before.
    if (createsIfMissing(statement)) return undefined;
    // Bare names read best; a name that is a keyword (`DROP COLUMN values`) only parses quoted.
    const undo = [false, true].map((quoteAll) => inverseOf(statement.action, quoteAll)).find((sql) => sql && parsesAs(sql, statement.action));
    if (!undo) return undefined;
    inverse.push(undo);
  }
  return inverse;
}

function inverseOf(action: SqlAction, quoteAll: boolean): string | undefined {
  const name = (text: string) => (!quoteAll && /^[a-z_][a-z0-9_]*$/.test(text) ? text : `"${text.replace(/"/g, '""')}"`);
  const qualified = (schema: string | undefined, text: string) => (schema ? `${name(schema)}.${name(text)}` : name(text));
  switch (action.kind) {
    case 'create-index':
      // An unnamed index gets a name PostgreSQL picks: we cannot name it. DROP INDEX CONCURRENTLY, like
      // CREATE INDEX CONCURRENTLY, runs outside a transaction (the migration is already `atomic = False`).
      if (!action.name) return undefined;
      return `DROP INDEX${action.concurrently ? ' CONCURRENTLY' : ''} IF EXISTS ${qualified(action.table.schema, action.name)}`;
    case 'create-table':
      return `DROP TABLE IF EXISTS ${qualified(action.table.schema, action.table.name)}`;
    case 'alter-table': {
      const drops: string[] = [];
      for (const command of [...action.commands].reverse()) {
        if (command.kind === 'add-column' && !command.ifNotExists) drops.push(`DROP COLUMN IF EXISTS ${name(command.column)}`);
        else if (command.kind === 'add-constraint' && command.constraint.name && command.constraint.type !== 'not-null') drops.push(`DROP CONSTRAINT IF EXISTS ${name(command.constraint.name)}`);
        else return undefined;
      }
      return drops.length ? `ALTER TABLE ${qualified(action.table.schema, action.table.name)} ${drops.join(', ')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** PostgreSQL's parser reads the inverse back as the drop of what the statement created. */
function parsesAs(sql: string, forward: SqlAction): boolean {
  const parsed = parseSql(sql);
  if (!parsed?.ok || parsed.statements.length !== 1) return false;
  const action = classifyStatement(parsed.statements[0].stmt);
  switch (forward.kind) {
    case 'create-index': return action.kind === 'drop-index' && action.names.length === 1 && action.names[0].split('.').pop() === forward.name;
    case 'create-table': return action.kind === 'drop-table' && action.tables.length === 1 && action.tables[0].key === forward.table.key;
    case 'alter-table': return action.kind === 'alter-table' && action.table.key === forward.table.key && action.commands.every((command) => command.kind === 'drop-column' || command.kind === 'drop-constraint');
    default: return false;
  }
}

function createsIfMissing(statement: SqlStatement): boolean {
  const [body] = Object.values(statement.node as Record<string, { if_not_exists?: boolean }>);
  return body?.if_not_exists === true;
}
