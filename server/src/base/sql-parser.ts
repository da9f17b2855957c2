// PostgreSQL's own parser (libpg-query 18: PostgreSQL 18's grammar compiled to wasm), for the SQL inside
// `RunSQL`.
//
// Loaded lazily and once. The engine is synchronous (a rule's `check` is), and instantiating a wasm module is
// not, so the CLI and the server await `loadSqlParser()` before they lint a file whose text names `RunSQL`
// (`mayNeedSqlParser`): an async step before the synchronous lint, taken only by workspaces that have raw SQL.
// The alternative, making every rule or the whole engine async for one parser, would change every caller for
// ~20 ms saved once. Until the parser is loaded (or when it failed to load), `parseSql` answers undefined and
// what needs the SQL stays silent, as it does for SQL built at run time.
//
// The package's entry (wasm/index.cjs) starts loading its wasm as soon as it is required and looks for it
// only next to itself; we call its emscripten factory ourselves, to pass `locateFile` (the bundles and the
// test files live in different folders) and to keep emscripten's own messages off stderr.
import { join } from 'node:path';
import type { Node as PgNode } from 'libpg-query';
import { wasmDir } from './parser';

export type { PgNode };

const WASM = 'libpg-query.wasm';

/** The parts of the emscripten module we use (the same calls as the package's `parseSync`). */
interface PgQueryModule {
  _malloc(size: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  UTF8ToString(pointer: number): string;
  getValue(pointer: number, type: 'i32'): number;
  HEAPU8?: Uint8Array;
}

type Factory = (options: Record<string, unknown>) => Promise<PgQueryModule>;

export type SqlParserState = 'not-loaded' | 'loading' | 'loaded' | 'failed';

let state: SqlParserState = 'not-loaded';
let module: PgQueryModule | undefined;
let loading: Promise<boolean> | undefined;
let failure: string | undefined;

/** One statement as the parser returns it: byte offsets into the UTF-8 SQL. */
export interface RawStatement {
  stmt: PgNode;
  /** Byte offset where the statement starts (after the previous `;`, so with its leading blanks). */
  location: number;
  /** Bytes; undefined for the last statement: it runs to the end. */
  length?: number;
}

export type SqlParse =
  | { ok: true; statements: RawStatement[] }
  /** `cursor`: 0-based position of the error in characters (code points) of the SQL, as PostgreSQL counts. */
  | { ok: false; message: string; cursor: number };

/** Bytes of the parser's wasm memory (reserved; what is resident is less); undefined until it is loaded. */
export function sqlParserMemoryBytes(): number | undefined {
  return module?.HEAPU8?.buffer.byteLength;
}

export function sqlParserState(): SqlParserState {
  return state;
}

/** Why loading failed, for the log. */
export function sqlParserFailure(): string | undefined {
  return failure;
}

/**
 * Cheap and sound test: a file can only have a `RunSQL` operation if its text names it (imported, or as
 * `migrations.RunSQL`). A comment naming it only costs a load that was not needed.
 */
export function mayNeedSqlParser(text: string): boolean {
  return text.includes('RunSQL');
}

/** Loads the wasm once; resolves to false (never rejects) when it cannot be loaded: see sqlParserFailure(). */
export function loadSqlParser(): Promise<boolean> {
  loading ??= (async () => {
    state = 'loading';
    try {
      // Required here, not imported at the top: the bundle evaluates the module (and its 60 KB of glue) only
      // when a workspace has raw SQL.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const factory = require('libpg-query/wasm/libpg-query.js') as Factory;
      const dir = wasmDir(WASM);
      module = await factory({ locateFile: (name: string) => join(dir, name), print: () => undefined, printErr: () => undefined });
      state = 'loaded';
      return true;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      state = 'failed';
      return false;
    }
  })();
  return loading;
}

/** Loads the parser when `text` may need it; resolves at once otherwise. Never rejects. */
export function prepareSqlParser(text: string): Promise<boolean> | undefined {
  if (state === 'loaded' || state === 'failed' || !mayNeedSqlParser(text)) return undefined;
  return loadSqlParser();
}

/**
 * Parses by text, most recent first: a keystroke re-lints the whole file, and every RunSQL but the one being typed
 * has the text it had. The parses are frozen, so a reader that changed one would fail, not change the next lint's.
 */
const recentParses = new Map<string, SqlParse>();
const MAX_RECENT_PARSES = 512;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Parses SQL the way PostgreSQL would (the grammar only: names are not looked up). Undefined when the parser
 * is not loaded. Empty SQL (blanks, comments) parses to no statements.
 */
export function parseSql(sql: string): SqlParse | undefined {
  if (!module) return undefined;
  const recent = recentParses.get(sql);
  if (recent) return recent;
  const parsed = deepFreeze(parseSqlNow(module, sql));
  if (recentParses.size >= MAX_RECENT_PARSES) recentParses.clear();
  recentParses.set(sql, parsed);
  return parsed;
}

function parseSqlNow(wasm: PgQueryModule, sql: string): SqlParse {
  const size = wasm.lengthBytesUTF8(sql) + 1;
  const query = wasm._malloc(size);
  let result = 0;
  try {
    wasm.stringToUTF8(sql, query, size);
    result = wasm._wasm_parse_query_raw(query);
    if (!result) throw new Error('libpg-query: out of memory');
    // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const tree = wasm.getValue(result, 'i32');
    const error = wasm.getValue(result + 8, 'i32');
    if (error) {
      // struct PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; }
      const message = wasm.getValue(error, 'i32');
      const cursor = wasm.getValue(error + 16, 'i32');
      return { ok: false, message: message ? wasm.UTF8ToString(message) : 'syntax error', cursor: Math.max(0, cursor - 1) };
    }
    const parsed = JSON.parse(tree ? wasm.UTF8ToString(tree) : '{}') as { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> };
    return {
      ok: true,
      statements: (parsed.stmts ?? []).map((raw) => ({ stmt: raw.stmt, location: raw.stmt_location ?? 0, length: raw.stmt_len || undefined })),
    };
  } finally {
    wasm._free(query);
    if (result) wasm._wasm_free_parse_result(result);
  }
}
