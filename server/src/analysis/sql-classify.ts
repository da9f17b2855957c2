// What a SQL statement does, in the terms of the hazards the rules judge: plain data read from PostgreSQL's
// parse tree (libpg-query's JSON), no judgement. Table names come back as the parser resolved them: unquoted
// names folded to lower case, quoted ones as written, the `public` schema dropped from the key.
import type { PgNode } from '../base/sql-parser';

export interface TableRef {
  name: string;
  schema?: string;
  /** `name`, or `schema.name` outside `public`: what to compare with a model's `db_table`. */
  key: string;
}

/** How a column default behaves when PostgreSQL adds the column to existing rows. */
export type Volatility = 'volatile' | 'not-volatile' | 'unknown';

export interface AddedConstraint {
  type: 'unique' | 'primary-key' | 'check' | 'foreign-key' | 'exclusion' | 'not-null' | 'other';
  name?: string;
  /** `NOT VALID`: existing rows are not checked now. */
  notValid: boolean;
  /** `UNIQUE USING INDEX i` / `PRIMARY KEY USING INDEX i`: an existing index is attached, nothing is built. */
  usingIndex?: string;
  columns: string[];
  /** The referenced table of a foreign key. */
  references?: TableRef;
  /** A `CHECK (column IS NOT NULL)`: once validated, PostgreSQL 12+ skips SET NOT NULL's scan of that column. */
  notNullColumn?: string;
}

export interface AddedColumn {
  column: string;
  /** The type as written, e.g. `varchar(10)`, `int8`, `bigserial`. */
  type: string;
  notNull: boolean;
  /** Absent: no DEFAULT clause. */
  default?: { volatility: Volatility };
  /** `GENERATED ALWAYS AS (…) STORED` (computed for every row) or `VIRTUAL` (PostgreSQL 18, computed on read). */
  generated?: 'stored' | 'virtual';
  /** `GENERATED … AS IDENTITY`: every existing row gets a value from a sequence. */
  identity: boolean;
  /** `serial`, `bigserial`, `smallserial`: a sequence default, volatile. */
  serial: boolean;
  /** Inline `REFERENCES t`: a foreign key (always validated). */
  references?: TableRef;
  unique: boolean;
  primaryKey: boolean;
  check: boolean;
  ifNotExists: boolean;
}

export type AlterTableCommand =
  | ({ kind: 'add-column' } & AddedColumn)
  | { kind: 'drop-column'; column: string }
  | { kind: 'set-not-null'; column: string }
  | { kind: 'drop-not-null'; column: string }
  | { kind: 'alter-column-type'; column: string; newType: string; using: boolean }
  | { kind: 'set-default'; column: string; volatility: Volatility }
  | { kind: 'drop-default'; column: string }
  | { kind: 'add-constraint'; constraint: AddedConstraint }
  | { kind: 'validate-constraint'; name: string }
  | { kind: 'drop-constraint'; name: string }
  | { kind: 'set-logged' }
  | { kind: 'set-unlogged' }
  | { kind: 'other'; subtype: string };

export type SqlAction =
  | { kind: 'create-index'; table: TableRef; name?: string; unique: boolean; concurrently: boolean; columns: string[]; partial: boolean }
  | { kind: 'drop-index'; names: string[]; concurrently: boolean; cascade: boolean }
  | { kind: 'alter-table'; table: TableRef; commands: AlterTableCommand[] }
  | { kind: 'rename-column'; table: TableRef; column: string; newName: string }
  | { kind: 'rename-table'; table: TableRef; newName: string }
  | { kind: 'create-table'; table: TableRef }
  | { kind: 'drop-table'; tables: TableRef[]; cascade: boolean }
  | { kind: 'update'; table: TableRef; where: boolean }
  | { kind: 'delete'; table: TableRef; where: boolean }
  | { kind: 'truncate'; tables: TableRef[]; cascade: boolean }
  | { kind: 'drop-database'; name: string }
  | { kind: 'drop-schema'; names: string[]; cascade: boolean }
  | { kind: 'vacuum'; full: boolean; tables: TableRef[] }
  | { kind: 'cluster'; table?: TableRef }
  | { kind: 'reindex'; target: 'index' | 'table' | 'schema' | 'database' | 'system'; name?: string; concurrently: boolean }
  | { kind: 'lock-table'; tables: TableRef[]; mode: string }
  | { kind: 'refresh-materialized-view'; view: TableRef; concurrently: boolean }
  /** `BEGIN` / `START TRANSACTION` (begin), `COMMIT` / `END` / `ROLLBACK` (end), savepoints and the rest (other). */
  | { kind: 'transaction'; command: 'begin' | 'end' | 'other' }
  /** `SET x`, `SET SESSION x` (scope session), `SET LOCAL x` (until the transaction ends); `reset`: RESET or `TO DEFAULT`. */
  | { kind: 'set'; setting: string; scope: 'session' | 'local'; value?: string; reset: boolean }
  /** `SELECT set_config('x', value, is_local)`; scope unknown when `is_local` is not a constant. */
  | { kind: 'set-config'; setting: string; scope: 'session' | 'local' | 'unknown'; value?: string }
  | { kind: 'other'; statement: string };

type Fields = Record<string, unknown>;

/** `{ IndexStmt: {...} }` → ['IndexStmt', {...}]. */
function unwrap(node: unknown): [string, Fields] {
  if (!node || typeof node !== 'object') return ['', {}];
  const [entry] = Object.entries(node as Record<string, unknown>);
  return entry && entry[1] && typeof entry[1] === 'object' ? [entry[0], entry[1] as Fields] : ['', {}];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `[{ String: { sval: 'a' } }, …]` → ['a', …]. */
function names(value: unknown): string[] {
  return list(value).map((item) => {
    const [type, fields] = unwrap(item);
    return type === 'String' ? str(fields.sval) ?? '' : '';
  });
}

export function tableRef(rangeVar: unknown): TableRef {
  const fields = (rangeVar && typeof rangeVar === 'object' ? rangeVar : {}) as Fields;
  const name = str(fields.relname) ?? '';
  const schema = str(fields.schemaname);
  return { name, schema, key: schema && schema !== 'public' ? `${schema}.${name}` : name };
}

/** `RangeVar` given as `{ RangeVar: {...} }` (lists of relations) or bare (a statement's `relation`). */
function rangeVarOf(node: unknown): TableRef {
  const [type, fields] = unwrap(node);
  return type === 'RangeVar' ? tableRef(fields) : tableRef(node);
}

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** `pg_catalog.varchar` with modifier 10 → `varchar(10)`. */
function typeText(typeName: unknown): string {
  const fields = (typeName && typeof typeName === 'object' ? typeName : {}) as Fields;
  const parts = names(fields.names).filter((part, index, all) => !(part === 'pg_catalog' && index < all.length - 1));
  const modifiers = list(fields.typmods).map((mod) => constantText(mod) ?? '?');
  const arrays = list(fields.arrayBounds).length;
  return `${parts.join('.')}${modifiers.length ? `(${modifiers.join(',')})` : ''}${'[]'.repeat(arrays)}`;
}

/** Functions PostgreSQL marks VOLATILE that people put in defaults: adding such a column rewrites the table. */
const VOLATILE_FUNCTIONS = new Set([
  'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7',
  'random', 'random_normal', 'clock_timestamp', 'timeofday', 'nextval', 'setseed',
]);

/** STABLE or IMMUTABLE functions common in defaults (`now()` is STABLE: no rewrite since PostgreSQL 11). */
const NOT_VOLATILE_FUNCTIONS = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'lower', 'upper', 'btrim', 'concat',
  'to_timestamp', 'to_date', 'make_interval', 'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'json_build_array',
]);

/** Volatile if any call in the expression is; unknown if a call is to a function we do not know. */
export function volatility(expression: unknown): Volatility {
  let result: Volatility = 'not-volatile';
  const visit = (value: unknown): void => {
    if (result === 'volatile' || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    for (const [key, inner] of Object.entries(value as Fields)) {
      if (key === 'FuncCall') {
        const name = names((inner as Fields).funcname).at(-1) ?? '';
        if (VOLATILE_FUNCTIONS.has(name)) result = 'volatile';
        else if (!NOT_VOLATILE_FUNCTIONS.has(name)) result = 'unknown';
      } else if (key === 'SubLink') {
        result = result === 'not-volatile' ? 'unknown' : result;
      }
      visit(inner);
    }
  };
  visit(expression);
  return result;
}

function constraintOf(node: unknown): AddedConstraint {
  const [, fields] = unwrap(node);
  const types: Record<string, AddedConstraint['type']> = {
    CONSTR_UNIQUE: 'unique', CONSTR_PRIMARY: 'primary-key', CONSTR_CHECK: 'check', CONSTR_FOREIGN: 'foreign-key',
    CONSTR_EXCLUSION: 'exclusion', CONSTR_NOTNULL: 'not-null',
  };
  const type = types[str(fields.contype) ?? ''] ?? 'other';
  return {
    type,
    name: str(fields.conname),
    notValid: fields.skip_validation === true,
    usingIndex: str(fields.indexname),
    columns: names(type === 'foreign-key' ? fields.fk_attrs : fields.keys),
    references: fields.pktable ? tableRef(fields.pktable) : undefined,
    ...(type === 'check' && notNullTestColumn(fields.raw_expr) ? { notNullColumn: notNullTestColumn(fields.raw_expr) } : {}),
  };
}

/** `column IS NOT NULL` → `column`. */
function notNullTestColumn(expression: unknown): string | undefined {
  const [type, test] = unwrap(expression);
  if (type !== 'NullTest' || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const [argType, column] = unwrap(test.arg);
  return argType === 'ColumnRef' ? names(column.fields).at(-1) : undefined;
}

function addedColumn(columnDef: unknown, ifNotExists: boolean): AddedColumn {
  const [, fields] = unwrap(columnDef);
  const type = typeText(fields.typeName);
  const column: AddedColumn = {
    column: str(fields.colname) ?? '', type, notNull: fields.is_not_null === true, identity: false,
    serial: SERIAL_TYPES.has(type), unique: false, primaryKey: false, check: false, ifNotExists,
  };
  if (column.serial) column.default = { volatility: 'volatile' };
  for (const constraint of list(fields.constraints)) {
    const [, c] = unwrap(constraint);
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_DEFAULT':
        column.default = { volatility: volatility(c.raw_expr) };
        break;
      case 'CONSTR_GENERATED':
        column.generated = c.generated_kind === 'v' ? 'virtual' : 'stored';
        break;
      case 'CONSTR_IDENTITY':
        column.identity = true;
        break;
      case 'CONSTR_FOREIGN':
        column.references = tableRef(c.pktable);
        break;
      case 'CONSTR_UNIQUE':
        column.unique = true;
        break;
      case 'CONSTR_PRIMARY':
        column.primaryKey = true;
        column.notNull = true;
        break;
      case 'CONSTR_CHECK':
        column.check = true;
        break;
    }
  }
  return column;
}

function alterTableCommand(node: unknown): AlterTableCommand {
  const [, cmd] = unwrap(node);
  const subtype = str(cmd.subtype) ?? '';
  const column = str(cmd.name) ?? '';
  switch (subtype) {
    case 'AT_AddColumn':
      return { kind: 'add-column', ...addedColumn(cmd.def, cmd.missing_ok === true) };
    case 'AT_DropColumn':
      return { kind: 'drop-column', column };
    case 'AT_SetNotNull':
      return { kind: 'set-not-null', column };
    case 'AT_DropNotNull':
      return { kind: 'drop-not-null', column };
    case 'AT_AlterColumnType': {
      const [, def] = unwrap(cmd.def);
      return { kind: 'alter-column-type', column, newType: typeText(def.typeName), using: def.raw_default !== undefined };
    }
    case 'AT_ColumnDefault':
      return cmd.def === undefined ? { kind: 'drop-default', column } : { kind: 'set-default', column, volatility: volatility(cmd.def) };
    case 'AT_AddConstraint':
      return { kind: 'add-constraint', constraint: constraintOf(cmd.def) };
    case 'AT_ValidateConstraint':
      return { kind: 'validate-constraint', name: column };
    case 'AT_DropConstraint':
      return { kind: 'drop-constraint', name: column };
    case 'AT_SetLogged':
      return { kind: 'set-logged' };
    case 'AT_SetUnLogged':
      return { kind: 'set-unlogged' };
    default:
      return { kind: 'other', subtype };
  }
}

/** A constant as text: `'4s'` → `4s`, `0` → `0`. */
function constantText(node: unknown): string | undefined {
  const [type, fields] = unwrap(node);
  if (type === 'TypeCast') return constantText(fields.arg);
  // Option arguments (`VACUUM (FULL false)`) are bare values.
  if (type === 'String') return str(fields.sval) ?? '';
  if (type === 'Integer') return String(fields.ival ?? 0);
  if (type === 'Boolean') return String(fields.boolval === true);
  if (type !== 'A_Const') return undefined;
  if (fields.sval) return str((fields.sval as Fields).sval) ?? '';
  if (fields.ival) return String((fields.ival as Fields).ival ?? 0);
  if (fields.fval) return str((fields.fval as Fields).fval);
  if (fields.boolval) return String((fields.boolval as Fields).boolval === true);
  return undefined;
}

const LOCK_MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

/** `SELECT set_config('lock_timeout', '4s', false)` among the selected expressions. */
function setConfig(select: Fields): SqlAction | undefined {
  for (const target of list(select.targetList)) {
    const [, resTarget] = unwrap(target);
    const [type, call] = unwrap(resTarget.val);
    if (type !== 'FuncCall' || names(call.funcname).at(-1) !== 'set_config') continue;
    const [setting, value, isLocal] = list(call.args);
    const name = constantText(setting);
    if (!name) continue;
    const local = constantText(isLocal);
    return { kind: 'set-config', setting: name.toLowerCase(), scope: local === 'true' ? 'local' : local === 'false' ? 'session' : 'unknown', value: constantText(value) };
  }
  return undefined;
}

function hasOption(options: unknown, name: string): boolean {
  return list(options).some((option) => {
    const [, def] = unwrap(option);
    if (def.defname !== name) return false;
    // `VACUUM (FULL false)`, `REINDEX (CONCURRENTLY off)`
    const argument = constantText(def.arg);
    return argument === undefined || !/^(false|off|0)$/i.test(argument);
  });
}

/** What one statement (the `stmt` of libpg-query's output) does. */
export function classifyStatement(statement: PgNode): SqlAction {
  const [type, s] = unwrap(statement);
  switch (type) {
    case 'IndexStmt':
      return {
        kind: 'create-index', table: tableRef(s.relation), name: str(s.idxname), unique: s.unique === true, concurrently: s.concurrent === true,
        columns: list(s.indexParams).map((param) => {
          const [, elem] = unwrap(param);
          return str(elem.name) ?? '(expression)';
        }),
        partial: s.whereClause !== undefined,
      };
    case 'DropStmt': {
      const objects = list(s.objects).map((object) => {
        const [kind, fields] = unwrap(object);
        return kind === 'List' ? names(fields.items) : kind === 'String' ? [str(fields.sval) ?? ''] : [];
      });
      const cascade = s.behavior === 'DROP_CASCADE';
      if (s.removeType === 'OBJECT_INDEX') return { kind: 'drop-index', names: objects.map((parts) => parts.join('.')), concurrently: s.concurrent === true, cascade };
      if (s.removeType === 'OBJECT_TABLE') {
        return { kind: 'drop-table', tables: objects.map((parts) => tableRef({ relname: parts.at(-1), schemaname: parts.length > 1 ? parts.at(-2) : undefined })), cascade };
      }
      if (s.removeType === 'OBJECT_SCHEMA') return { kind: 'drop-schema', names: objects.map((parts) => parts.join('.')), cascade };
      return { kind: 'other', statement: type };
    }
    case 'AlterTableStmt':
      if (s.objtype !== 'OBJECT_TABLE') return { kind: 'other', statement: type };
      return { kind: 'alter-table', table: tableRef(s.relation), commands: list(s.cmds).map(alterTableCommand) };
    case 'RenameStmt':
      if (s.renameType === 'OBJECT_COLUMN' && s.relationType === 'OBJECT_TABLE') {
        return { kind: 'rename-column', table: tableRef(s.relation), column: str(s.subname) ?? '', newName: str(s.newname) ?? '' };
      }
      if (s.renameType === 'OBJECT_TABLE') return { kind: 'rename-table', table: tableRef(s.relation), newName: str(s.newname) ?? '' };
      return { kind: 'other', statement: type };
    case 'CreateStmt':
      return { kind: 'create-table', table: tableRef(s.relation) };
    case 'CreateTableAsStmt':
      return s.objtype === 'OBJECT_TABLE' ? { kind: 'create-table', table: tableRef((s.into as Fields | undefined)?.rel) } : { kind: 'other', statement: type };
    case 'UpdateStmt':
      return { kind: 'update', table: tableRef(s.relation), where: s.whereClause !== undefined };
    case 'DeleteStmt':
      return { kind: 'delete', table: tableRef(s.relation), where: s.whereClause !== undefined };
    case 'TruncateStmt':
      return { kind: 'truncate', tables: list(s.relations).map(rangeVarOf), cascade: s.behavior === 'DROP_CASCADE' };
    case 'DropdbStmt':
      return { kind: 'drop-database', name: str(s.dbname) ?? '' };
    case 'VacuumStmt':
      if (s.is_vacuumcmd !== true) return { kind: 'other', statement: type };
      return {
        kind: 'vacuum', full: hasOption(s.options, 'full'),
        tables: list(s.rels).map((rel) => {
          const [, fields] = unwrap(rel);
          return tableRef(fields.relation);
        }),
      };
    case 'ClusterStmt':
      return { kind: 'cluster', table: s.relation ? tableRef(s.relation) : undefined };
    case 'ReindexStmt': {
      const targets: Record<string, Extract<SqlAction, { kind: 'reindex' }>['target']> = {
        REINDEX_OBJECT_INDEX: 'index', REINDEX_OBJECT_TABLE: 'table', REINDEX_OBJECT_SCHEMA: 'schema',
        REINDEX_OBJECT_SYSTEM: 'system', REINDEX_OBJECT_DATABASE: 'database',
      };
      const relation = s.relation ? tableRef(s.relation).key : str(s.name);
      return { kind: 'reindex', target: targets[str(s.kind) ?? ''] ?? 'table', name: relation, concurrently: hasOption(s.params, 'concurrently') };
    }
    case 'LockStmt':
      return { kind: 'lock-table', tables: list(s.relations).map(rangeVarOf), mode: LOCK_MODES[Number(s.mode ?? 8)] ?? 'ACCESS EXCLUSIVE' };
    case 'TransactionStmt': {
      const kind = str(s.kind) ?? '';
      const command = kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START' ? 'begin'
        : kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' ? 'end' : 'other';
      return { kind: 'transaction', command };
    }
    case 'RefreshMatViewStmt':
      return { kind: 'refresh-materialized-view', view: tableRef(s.relation), concurrently: s.concurrent === true };
    case 'VariableSetStmt': {
      const setting = str(s.name)?.toLowerCase();
      if (!setting || s.kind === 'VAR_RESET_ALL' || s.kind === 'VAR_SET_MULTI') return { kind: 'other', statement: type };
      const reset = s.kind === 'VAR_RESET' || s.kind === 'VAR_SET_DEFAULT';
      const value = reset ? undefined : list(s.args).map(constantText).join(', ');
      return { kind: 'set', setting, scope: s.is_local === true ? 'local' : 'session', value, reset };
    }
    case 'SelectStmt':
      return setConfig(s) ?? { kind: 'other', statement: type };
    default:
      return { kind: 'other', statement: type };
  }
}

/** Builds or drops an index without blocking writes, and so cannot run inside a transaction block. */
export function isConcurrentIndexOperation(action: SqlAction): boolean {
  return (action.kind === 'create-index' || action.kind === 'drop-index' || action.kind === 'reindex') && action.concurrently;
}

/**
 * The statements PostgreSQL refuses inside a transaction block ("… cannot run inside a transaction block"), as
 * the message names them: a concurrent index operation, `VACUUM` (plain or `FULL`), `CLUSTER` without a table,
 * `REINDEX SCHEMA/DATABASE/SYSTEM`. Undefined for every other statement. test/postgres/transaction-block.test.ts
 * holds this to PostgreSQL.
 */
export function refusedInTransaction(action: SqlAction): string | undefined {
  switch (action.kind) {
    case 'create-index':
      return action.concurrently ? (action.unique ? 'CREATE UNIQUE INDEX CONCURRENTLY' : 'CREATE INDEX CONCURRENTLY') : undefined;
    case 'drop-index':
      return action.concurrently ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'reindex':
      if (action.concurrently) return 'REINDEX … CONCURRENTLY';
      return action.target === 'schema' || action.target === 'database' || action.target === 'system' ? `REINDEX ${action.target.toUpperCase()}` : undefined;
    case 'vacuum':
      return action.full ? 'VACUUM FULL' : 'VACUUM';
    case 'cluster':
      return action.table ? undefined : 'CLUSTER';
    default:
      return undefined;
  }
}
