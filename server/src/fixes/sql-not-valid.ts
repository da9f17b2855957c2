// The fix of MG104/MG105 for a RunSQL statement: `NOT VALID` appended to `ADD CONSTRAINT … CHECK` / `FOREIGN KEY`.
// Unsafe: the old rows are then not checked until a later migration runs `VALIDATE CONSTRAINT`.
import type { SqlStatement } from '../analysis/sql';
import { insertIntoStatement } from './sql-edit';
import type { Fix } from './types';

/**
 * ` NOT VALID` at the end of an `ALTER TABLE` whose only command adds the CHECK or FOREIGN KEY constraint (with
 * several commands, the constraint's end is not known from the parse tree); undefined otherwise.
 */
export function sqlNotValid(statement: SqlStatement, type: 'check' | 'foreign-key'): Fix | undefined {
  const action = statement.action;
  if (action.kind !== 'alter-table' || action.commands.length !== 1) return undefined;
  const command = action.commands[0];
  if (command.kind !== 'add-constraint' || command.constraint.type !== type || command.constraint.notValid) return undefined;
  const name = command.constraint.name;
  const edit = insertIntoStatement(statement, statement.text.length, ' NOT VALID', (edited) => edited.kind === 'alter-table' && edited.commands.length === 1
    && edited.commands[0].kind === 'add-constraint' && edited.commands[0].constraint.type === type && edited.commands[0].constraint.notValid);
  if (!edit) return undefined;
  return {
    title: `Add the constraint NOT VALID (unsafe: existing rows stay unchecked until \`VALIDATE CONSTRAINT${name ? ` ${name}` : ''}\` runs in a later migration)`,
    applicability: 'unsafe',
    edits: [edit],
  };
}
