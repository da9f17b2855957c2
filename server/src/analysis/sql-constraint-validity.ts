// Which CHECK/foreign-key constraints a RunSQL adds `NOT VALID` and which it validates, read from the SQL text
// itself. The replay needs it for every migration of the workspace, while PostgreSQL's parser (base/sql-parser.ts)
// is loaded only for the files being linted, after the index: so this reads the text lexically, after removing
// what cannot hold a command (comments, string literals, dollar-quoted bodies). What it cannot read it leaves out,
// and a constraint the state was told about keeps what the state says.

export interface ConstraintRef {
  /** The table's name without schema, as Django names it (quoted names keep their case). */
  table?: string;
  name: string;
}

export interface ConstraintValidity {
  /** `ALTER TABLE t ADD CONSTRAINT c … NOT VALID`. */
  addedNotValid: ConstraintRef[];
  /** `ALTER TABLE t VALIDATE CONSTRAINT c`. */
  validated: ConstraintRef[];
}

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const ALTER_TABLE = new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})*)`, 'i');
const ADD_CONSTRAINT = new RegExp(String.raw`\bADD\s+CONSTRAINT\s+(${IDENTIFIER})`, 'gi');
const VALIDATE_CONSTRAINT = new RegExp(String.raw`\bVALIDATE\s+CONSTRAINT\s+(${IDENTIFIER})`, 'gi');
const NOT_VALID = /\bNOT\s+VALID\b/i;

/** The SQL with comments, string literals and dollar-quoted bodies blanked out (`;` inside them no longer splits). */
function commandText(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|(\$[A-Za-z_]*\$)[\s\S]*?\1/g, ' ');
}

function identifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/** The last part of a possibly schema-qualified name. */
function tableName(qualified: string): string {
  const parts = qualified.match(new RegExp(IDENTIFIER, 'g')) ?? [qualified];
  return identifier(parts[parts.length - 1]);
}

/** Cheap test before the scan: most RunSQL never names a constraint. */
export function mayChangeConstraintValidity(sql: string): boolean {
  return /constraint/i.test(sql);
}

export function constraintValidity(sqls: readonly string[]): ConstraintValidity {
  const result: ConstraintValidity = { addedNotValid: [], validated: [] };
  for (const sql of sqls) {
    if (!mayChangeConstraintValidity(sql)) continue;
    for (const statement of commandText(sql).split(';')) {
      const alter = ALTER_TABLE.exec(statement);
      if (!alter) continue;
      const table = tableName(alter[1]);
      const additions = [...statement.matchAll(ADD_CONSTRAINT)];
      additions.forEach((match, i) => {
        // One ADD CONSTRAINT's text runs to the next one (or the statement's end): NOT VALID within it is its own.
        const text = statement.slice(match.index, additions[i + 1]?.index ?? statement.length);
        if (NOT_VALID.test(text)) result.addedNotValid.push({ table, name: identifier(match[1]) });
      });
      for (const match of statement.matchAll(VALIDATE_CONSTRAINT)) result.validated.push({ table, name: identifier(match[1]) });
    }
  }
  return result;
}
