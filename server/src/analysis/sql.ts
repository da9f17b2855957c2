// The SQL of a `RunSQL`: what Django sends to the database, read from the Python source, parsed by
// PostgreSQL's own parser, each statement mapped back to its exact range in the source.
//
// How Django runs it (django/db/migrations/operations/special.py, RunSQL._run_sql): a string goes through
// `connection.ops.prepare_sql_script`, which on PostgreSQL returns it whole (backends/postgresql/operations.py:
// `return [sql]`, Django 3.2 to 5.2; sqlparse splits it only on other backends), and is executed with
// `params=None`; several statements in one `execute` run as one implicit transaction block
// (test/integration/transaction-block.test.ts); a list or tuple is executed item by item, an item being
// a string (`params=None`) or a `(sql, params)` pair. The DB-API driver applies `%` formatting only when params
// are given (django/db/backends/utils.py CursorWrapper._execute calls `cursor.execute(sql)` for None): only then
// are `%s` / `%(name)s` placeholders filled and `%%` read as `%`.
import type { Node } from '../base/parser';
import { parseSql, type PgNode } from '../base/sql-parser';
import type { Range } from '../base/text';
import { argument, databaseOperations, tableName, type Migration, type Operation } from './migration';
import { classifyStatement, type SqlAction } from './sql-classify';
import { MappedText, MappedTextBuilder, readStringLiteral } from './sql-text';
import { dottedName, literal, sequenceItems } from './syntax';
import { Memo } from '../base/memo';

/**
 * SQL longer than this (characters, per string executed) is not parsed: PostgreSQL's parser in wasm takes
 * ~60 µs a statement, so a few megabytes of statements would hold a keystroke's lint for seconds.
 */
export const MAX_SQL_CHARS = 256 * 1024;

/** A statement inside a `RunSQL` string. */
export interface SqlStatement {
  /** The parse tree of the statement (`{ IndexStmt: … }`). */
  node: PgNode;
  /** What it does (sql-classify.ts). */
  action: SqlAction;
  /** The statement's text as the database receives it (placeholders filled). */
  text: string;
  /** Where it is in the Python source: from its first keyword to its end (without the `;`). */
  range: Range;
  /** The piece's SQL the statement was read from, and where `text` starts in it: the way back for fixes. */
  source: MappedText;
  offset: number;
  /**
   * Sent to the database in an `execute` call of its own: on PostgreSQL Django runs a string, and each item of a
   * list, whole (several statements in one call run as one implicit transaction block).
   */
  alone: boolean;
}

export interface SqlSyntaxError {
  message: string;
  /** The token PostgreSQL stopped at, in the Python source. */
  range: Range;
}

/** What the database receives in one `execute` call: a string of the `RunSQL`, or one item of its list. */
export interface SqlPiece {
  /** The Python expression it was read from. */
  node: Node;
  sql: MappedText;
  /** Given as a `(sql, params)` pair with params: placeholders were filled and `%%` read as `%`. */
  params: boolean;
  /**
   * Parsed: its statements, or the syntax error that makes PostgreSQL reject the whole string. `unavailable`
   * when the SQL parser is not loaded or the SQL is longer than MAX_SQL_CHARS.
   */
  parsed: { ok: true; statements: SqlStatement[] } | { ok: false; error: SqlSyntaxError } | { ok: 'unavailable' };
}

/**
 * The `sql` or `reverse_sql` argument: absent; `RunSQL.noop`; not known statically (a call, an f-string with
 * expressions, `open(…).read()`, a name we cannot resolve); or the pieces executed in order.
 */
export type SqlArgument =
  | { kind: 'absent' }
  | { kind: 'noop' }
  | { kind: 'unknown'; node: Node }
  | { kind: 'pieces'; pieces: SqlPiece[] };

export interface RunSql {
  sql: SqlArgument;
  reverse: SqlArgument;
}

/** Per lint: the parse of each RunSQL is shared by the rules that read it. */
const cache = new Memo<Operation, RunSql>();

/** The SQL a `RunSQL` operation runs forward and backward. `source` is the text the tree was parsed from. */
export function runSql(op: Operation, source: string): RunSql {
  let found = cache.get(op);
  if (!found) {
    const constants = moduleConstants(op.node);
    found = { sql: readArgument(argument(op, 'sql'), source, constants), reverse: readArgument(argument(op, 'reverse_sql'), source, constants) };
    cache.set(op, found);
  }
  return found;
}

/**
 * The SQL texts a `RunSQL` runs forward, read without parsing them: the replay reads every migration's before
 * PostgreSQL's parser is loaded. Empty when the SQL is not known statically.
 */
export function forwardSqlTexts(op: Operation): string[] {
  const sql = readArgument(argument(op, 'sql'), op.node.tree.text, moduleConstants(op.node), false);
  return sql.kind === 'pieces' ? sql.pieces.map((each) => each.sql.text) : [];
}

/** Every statement of the pieces that parsed; undefined when some piece is not known or did not parse. */
export function knownStatements(sql: SqlArgument): SqlStatement[] | undefined {
  if (sql.kind === 'absent' || sql.kind === 'noop') return [];
  if (sql.kind === 'unknown') return undefined;
  const statements: SqlStatement[] = [];
  for (const piece of sql.pieces) {
    if (piece.parsed.ok !== true) return undefined;
    statements.push(...piece.parsed.statements);
  }
  return statements;
}

/** A forward statement of a migration, with its operation and the tables new at that point. */
export interface MigrationStatement {
  op: Operation;
  statement: SqlStatement;
  /**
   * Tables created earlier in the migration (by `CreateModel` or `CREATE TABLE`): empty, so nothing done to
   * them can hold anyone up.
   */
  newTables: ReadonlySet<string>;
}

/**
 * Per lint: a dozen SQL rules (and tableOfIndex, per index name) read the same list; made once per migration.
 * Like runSql's cache, it holds what the SQL parser answered when first asked (the CLI and the LSP load it before
 * the lint).
 */
const forwardCache = new Memo<Migration, { source: string; statements: readonly MigrationStatement[] }>();

/** The statements of the migration's `RunSQL` operations that run forward, in order (pieces that parsed). */
export function forwardStatements(migration: Migration, source: string): readonly MigrationStatement[] {
  const cached = forwardCache.get(migration);
  if (cached?.source === source) return cached.statements;
  const found: MigrationStatement[] = [];
  const created = new Set<string>();
  for (const op of databaseOperations(migration)) {
    if (op.kind === 'CreateModel' && op.modelName) created.add(tableName(migration, op.modelName));
    if (op.kind !== 'RunSQL') continue;
    const sql = runSql(op, source).sql;
    for (const piece of sql.kind === 'pieces' ? sql.pieces : []) {
      if (piece.parsed.ok !== true) continue;
      for (const statement of piece.parsed.statements) {
        found.push({ op, statement, newTables: new Set(created) });
        if (statement.action.kind === 'create-table') created.add(statement.action.table.key);
      }
    }
  }
  forwardCache.set(migration, { source, statements: found });
  return found;
}

/**
 * The value a statement gives the setting `name` for the rest of the migration, or undefined when it does not:
 * `SET` / `SET SESSION` / `set_config(name, v, false)` last for the session; `SET LOCAL` / `set_config(name, v,
 * true)` until the transaction ends, which in a non-atomic migration is the end of the statement. `RESET` and
 * `TO DEFAULT` restore the server's value: not a setting of the migration's own. `set_config` with a computed
 * `is_local` counts (we cannot tell; no finding rather than a false one).
 */
export function settingValue(action: SqlAction, name: string, migration: Migration): string | undefined {
  if ((action.kind !== 'set' && action.kind !== 'set-config') || action.setting !== name) return undefined;
  if (action.kind === 'set' && action.reset) return undefined;
  if (action.scope === 'local' && migration.atomic === false) return undefined;
  return action.value ?? '';
}

/** `0`, `0ms`, `'0s'`: the timeout is disabled. */
export function isZeroTimeout(value: string): boolean {
  return /^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(value);
}

/** Module-level `NAME = <expr>` assigned exactly once: name → value. */
type Constants = Map<string, Node | null>;

const constantsCache = new Memo<object, Constants>();

function moduleConstants(node: Node): Constants {
  const root = node.tree.rootNode;
  // The tree object is stable for one lint; its root node object is not: key on the tree.
  let constants = constantsCache.get(node.tree);
  if (constants) return constants;
  constants = new Map();
  for (const statement of root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type !== 'assignment' && assignment?.type !== 'augmented_assignment') continue;
    const name = assignment.childForFieldName('left');
    const value = assignment.childForFieldName('right');
    if (name?.type !== 'identifier') continue;
    // Assigned twice, or `+=`: which value the operation sees depends on order; we do not guess.
    const once = assignment.type === 'assignment' && !constants.has(name.text);
    constants.set(name.text, once && value ? value : null);
  }
  constantsCache.set(node.tree, constants);
  return constants;
}

/** A string-valued expression: literals, implicit concatenation, `+` of those, a module constant. */
function readText(node: Node | null | undefined, source: string, constants: Constants, depth = 0): MappedText | undefined {
  if (!node || depth > 20) return undefined;
  switch (node.type) {
    case 'string':
      return readStringLiteral(node, source);
    case 'concatenated_string': {
      const builder = new MappedTextBuilder();
      for (const part of node.namedChildren) {
        if (part?.type === 'comment') continue;
        if (!part || !readStringLiteral(part, source, builder)) return undefined;
      }
      return builder.build();
    }
    case 'parenthesized_expression':
      return readText(node.namedChild(0), source, constants, depth + 1);
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.type !== '+') return undefined;
      const left = readText(node.childForFieldName('left'), source, constants, depth + 1);
      const right = left && readText(node.childForFieldName('right'), source, constants, depth + 1);
      return left && right ? MappedText.concat([left, right]) : undefined;
    }
    case 'identifier': {
      const value = constants.get(node.text);
      return value ? readText(value, source, constants, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

function isNoop(node: Node): boolean {
  return /(^|\.)RunSQL\.noop$/.test(dottedName(node) ?? '');
}

function readArgument(node: Node | undefined, source: string, constants: Constants, parse = true): SqlArgument {
  if (!node) return { kind: 'absent' };
  if (isNoop(node)) return { kind: 'noop' };
  const resolved = node.type === 'identifier' ? constants.get(node.text) ?? node : node;
  if (resolved.type === 'list' || resolved.type === 'tuple') {
    const pieces: SqlPiece[] = [];
    for (const item of sequenceItems(resolved)) {
      const piece = readItem(item, source, constants, parse);
      if (!piece) return { kind: 'unknown', node };
      pieces.push(piece);
    }
    return { kind: 'pieces', pieces };
  }
  const sql = readText(node, source, constants);
  return sql ? { kind: 'pieces', pieces: [piece(node, sql, false, parse)] } : { kind: 'unknown', node };
}

/** One item of a list: a string, or a `(sql, params)` pair. */
function readItem(item: Node, source: string, constants: Constants, parse: boolean): SqlPiece | undefined {
  const resolved = item.type === 'identifier' ? constants.get(item.text) ?? item : item;
  if (resolved.type === 'tuple' || resolved.type === 'list') {
    const pair = sequenceItems(resolved);
    if (pair.length !== 2) return undefined;
    const sql = readText(pair[0], source, constants);
    if (!sql) return undefined;
    // `(sql, None)`: Django passes params=None, so no `%` formatting.
    const params = literal(pair[1]).kind !== 'none';
    return piece(pair[0], params ? fillPlaceholders(sql) : sql, params, parse);
  }
  const sql = readText(item, source, constants);
  return sql ? piece(item, sql, false, parse) : undefined;
}

/**
 * What the driver sends when params are given: each `%s` / `%(name)s` replaced by a quoted value (a string
 * literal is accepted wherever the driver's value could be), and `%%` read as `%`.
 */
export function fillPlaceholders(sql: MappedText): MappedText {
  const builder = new MappedTextBuilder();
  let last = 0;
  for (const match of sql.text.matchAll(/%(%|s|\([^)]*\)s)/g)) {
    const at = match.index;
    builder.appendSlice(sql, last, at);
    const range = sql.sourceRange(at, at + match[0].length);
    builder.appendFrom(match[1] === '%' ? '%' : "''", range.start, range.end);
    last = at + match[0].length;
  }
  builder.appendSlice(sql, last, sql.text.length);
  return builder.build();
}

function piece(node: Node, sql: MappedText, params: boolean, parse: boolean): SqlPiece {
  return { node, sql, params, parsed: parse ? parsePiece(sql) : { ok: 'unavailable' } };
}

function parsePiece(sql: MappedText): SqlPiece['parsed'] {
  const text = sql.text;
  if (text.length > MAX_SQL_CHARS) return { ok: 'unavailable' };
  // The SQL travels as a C string: PostgreSQL rejects a NUL character anywhere in it.
  const nul = text.indexOf('\0');
  if (nul >= 0) return { ok: false, error: { message: 'SQL cannot contain a NUL (0x00) character', range: sql.sourceRange(nul, nul + 1) } };
  const parsed = parseSql(text);
  if (!parsed) return { ok: 'unavailable' };
  const offsets = new Utf8Offsets(text);
  if (!parsed.ok) {
    const at = offsets.indexOfCodePoint(parsed.cursor);
    return { ok: false, error: { message: parsed.message, range: sql.sourceRange(at, at + tokenLength(text, at, parsed.message)) } };
  }
  const statements: SqlStatement[] = [];
  for (const raw of parsed.statements) {
    const from = offsets.indexOfByte(raw.location);
    const to = raw.length === undefined ? text.length : offsets.indexOfByte(raw.location + raw.length);
    const start = skipBlanksAndComments(text, from, to);
    let end = to;
    while (end > start && /[\s;]/.test(text[end - 1])) end--;
    statements.push({ node: raw.stmt, action: classifyStatement(raw.stmt), text: text.slice(start, end), range: sql.sourceRange(start, end), source: sql, offset: start, alone: parsed.statements.length === 1 });
  }
  return { ok: true, statements };
}

/** Length of the token PostgreSQL names in `… at or near "x"`; 1 when it does not name one (end of input). */
function tokenLength(text: string, at: number, message: string): number {
  const near = /at or near "(.*)"$/.exec(message)?.[1];
  return near && text.startsWith(near, at) ? near.length : 1;
}

/** Skips whitespace, `-- …` and (nested) `/* … *\/` comments. */
function skipBlanksAndComments(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    if (/\s/.test(text[i])) i++;
    else if (text.startsWith('--', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? to : newline + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 0;
      while (i < to) {
        if (text.startsWith('/*', i)) { depth++; i += 2; }
        else if (text.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) break; }
        else i++;
      }
    } else break;
  }
  return Math.min(i, to);
}

/**
 * libpg-query reports statement positions in bytes of the UTF-8 text and error positions in characters
 * (code points); JS strings count UTF-16 units. All three agree for ASCII, the usual case.
 */
export class Utf8Offsets {
  /** For each non-ASCII character: its index, and the extra bytes / extra UTF-16 units before and with it. */
  private readonly indexes: number[] = [];
  private readonly bytesAfter: number[] = [];
  private readonly unitsAfter: number[] = [];

  constructor(text: string) {
    if (!/[^\x00-\x7f]/.test(text)) return;
    let extraBytes = 0;
    let extraUnits = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) continue;
      const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      // 2 bytes below U+0800, 3 for the rest of the BMP (a lone surrogate too, as emscripten writes it), 4 for a pair.
      extraBytes += pair ? 3 : code < 0x800 ? 1 : 2;
      if (pair) extraUnits++;
      this.indexes.push(i);
      this.bytesAfter.push(extraBytes);
      this.unitsAfter.push(extraUnits);
      if (pair) i++;
    }
  }

  /** The JS index of the character starting at byte `byte`. */
  indexOfByte(byte: number): number {
    return this.convert(byte, (k) => this.indexes[k] + (k > 0 ? this.bytesAfter[k - 1] - this.unitsAfter[k - 1] : 0), (k) => this.bytesAfter[k] - this.unitsAfter[k]);
  }

  /** The JS index of the `n`th code point. */
  indexOfCodePoint(n: number): number {
    return this.convert(n, (k) => this.indexes[k] - (k > 0 ? this.unitsAfter[k - 1] : 0), (k) => -this.unitsAfter[k]);
  }

  /**
   * `position(k)`: where the k-th non-ASCII character starts in the other unit; `shift(k)`: how much that unit is
   * ahead of JS indexes after it. Finds the last such character before `value` and undoes its shift.
   */
  private convert(value: number, position: (k: number) => number, shift: (k: number) => number): number {
    let low = 0;
    let high = this.indexes.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (position(mid) < value) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found < 0 ? value : value - shift(found);
  }
}
