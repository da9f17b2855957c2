// The settings model (SPEC §1, MG6xx/MG7xx): a settings module reduced to plain-data statements, and an
// evaluator that follows `from .base import *` inside the workspace to compute each entry point's
// *effective* settings — DATABASES above all.
//
// How conditional code is treated: statements inside `if`/`elif`/`else`, `try`/`except`/`finally` and `with`
// blocks are evaluated in source order, as if every branch ran. A value set in any branch therefore counts
// as set (a timeout configured only `if not DEBUG:` silences MG601), and the branch written last wins for a
// plain reassignment. That errs towards silence, which is the rule here: no false positive from what we
// cannot know statically. One exception: branches that each assign a whole `DATABASES` are alternatives, and
// the evaluator keeps every one (each is a configuration some deployment runs; see DatabasesAlternative). Assignments that may not run (inside `if`/`elif`/`else`, `except` or a `try`'s
// `else`) are marked `conditional`, so a rule that reports a bad value (MG7xx: `DEBUG = True`) can stay
// silent when that value is only set on some path.
import { dirname, join } from 'node:path';
import type { Node } from '../base/parser';
import { lineEndAt } from '../base/text';
import type { SourceLocation } from './summary';
import { callArguments, dottedName, importMap, literal, qualify } from './syntax';

export type Engine = 'postgresql' | 'mysql' | 'sqlite' | 'oracle' | 'other' | 'unknown';

/** Where a dict came from when a library built it at run time (`dj_database_url.config(...)`, `env.db(...)`). */
export interface DbUrl {
  library: 'dj_database_url' | 'environ';
  /** undefined: no literal URL or engine, so the configured `database` applies (SPEC). */
  engine?: Engine;
  connMaxAge?: Value;
  connHealthChecks?: Value;
}

/** An abstract Python value. Locations point at the node that wrote it. */
export type Value =
  /** `named`: entries keyed by a module-level name (`{DEFAULT_DB: …}`), keyed by its value once the evaluator knows it. */
  | { kind: 'dict'; items: Map<string, Value>; keys: Map<string, SourceLocation>; open: boolean; location: SourceLocation; from?: DbUrl; named?: NamedEntry[] }
  | { kind: 'str'; value: string; location: SourceLocation }
  | { kind: 'num'; value: number; location: SourceLocation }
  | { kind: 'bool'; value: boolean; location: SourceLocation }
  | { kind: 'none'; location: SourceLocation }
  | { kind: 'list'; items: Value[]; location: SourceLocation }
  | { kind: 'ref'; name: string; location: SourceLocation }
  /**
   * A string built at run time, read as Python builds it once names are known (the evaluator folds it into a
   * `str` or a `template`): `"a" + B` (`fstring: false`: only strings join), an f-string or implicit
   * concatenation (`fstring: true`: numbers and booleans are written as `str()` would).
   */
  | { kind: 'concat'; parts: Value[]; fstring: boolean; location: SourceLocation }
  /** `"… %s …" % args`: folded by the evaluator like `concat`. */
  | { kind: 'format'; format: string; args: Value; location: SourceLocation }
  /** A string with parts that cannot be known (an environment variable…), each written as HOLE in `value`. */
  | { kind: 'template'; value: string; location: SourceLocation }
  | { kind: 'unknown'; location: SourceLocation };

export type DictValue = Extract<Value, { kind: 'dict' }>;

export interface NamedEntry {
  name: string;
  value: Value;
  location: SourceLocation;
}
/** A string whose text is known, or known but for its holes. */
export type StringValue = Extract<Value, { kind: 'str' | 'template' }>;

/** A step of an assignment target: `DATABASES["default"].setdefault("OPTIONS", {})["options"]`. */
export interface PathStep {
  key: string;
  /** `DATABASES[DEFAULT_DB]`: the key is the value of this module-level name (`key` is then empty). */
  keyRef?: string;
  /** `.setdefault(key, default)`: the default, used when the key is absent. */
  setdefault?: Value;
}

export type SettingsStatement =
  | { kind: 'star-import'; module: string; location: SourceLocation }
  /**
   * `conditional`: inside an `if`/`elif`/`else`, `except` or try-`else` block (it may not run). `arm`: directly in
   * a branch of an `if` that has an `else` (one of its arms runs for sure).
   */
  | { kind: 'assign'; name: string; path: PathStep[]; value: Value; location: SourceLocation; conditional?: boolean; arm?: IfArm }
  /** `NAME[...].update({...})` or `.update(key=value)` */
  | { kind: 'update'; name: string; path: PathStep[]; value: Value; location: SourceLocation }
  /** A bare `NAME[...].setdefault(key, default)` statement: `path` ends with the key. */
  | { kind: 'setdefault'; name: string; path: PathStep[]; value: Value; location: SourceLocation }
  /**
   * Anything else that changes a name (`del X`, `X += …`, `X.pop(…)`): X becomes unknown. The name `*` marks
   * a statement that may define any name (`include(...)` of django-split-settings, `exec(...)`,
   * `globals().update(...)`): a setting missing from the known names may still be set.
   */
  | { kind: 'opaque'; name: string; location: SourceLocation };

/** A branch of an `if … elif … else` statement: which statement (`id`, its offset), which branch, how many. */
export interface IfArm {
  id: number;
  arm: number;
  arms: number;
}

export interface SettingsModule {
  path: string;
  statements: SettingsStatement[];
  /** The first line of the module, where a setting that is missing altogether is reported (MG704/MG705). */
  firstLine: SourceLocation;
  /**
   * Named by DJANGO_SETTINGS_MODULE in the project (manage.py, pytest.ini, pyproject.toml…): Django loads it as the
   * settings, so it is an entry point even when another settings module (a test one) star-imports it.
   */
  namedByProject?: true;
}

interface Reader {
  path: string;
  imports: Map<string, string>;
}

function loc(path: string, node: Node): SourceLocation {
  return { path, range: { start: node.startIndex, end: node.endIndex } };
}

export function engineFromName(name: string): Engine {
  const lower = name.toLowerCase();
  if (lower.includes('postgres') || lower.includes('postgis') || lower.includes('psycopg') || lower === 'pgsql') return 'postgresql';
  if (lower.includes('mysql') || lower.includes('mariadb')) return 'mysql';
  if (lower.includes('sqlite') || lower.includes('spatialite')) return 'sqlite';
  if (lower.includes('oracle')) return 'oracle';
  return 'other';
}

export function engineFromUrl(url: string): Engine {
  const scheme = /^\s*([a-z0-9+._-]+):\/\//i.exec(url)?.[1];
  return scheme ? engineFromName(scheme) : 'unknown';
}

function dictValue(reader: Reader, node: Node, entries: [string, Node, Node][]): DictValue {
  const items = new Map<string, Value>();
  const keys = new Map<string, SourceLocation>();
  for (const [key, value, pair] of entries) {
    items.set(key, readValue(reader, value));
    keys.set(key, loc(reader.path, pair));
  }
  return { kind: 'dict', items, keys, open: false, location: loc(reader.path, node) };
}

/** Reads a value expression. Module-level names become `ref`s, resolved by the evaluator. */
export function readValue(reader: Reader, node: Node | null | undefined): Value {
  if (!node) return { kind: 'unknown', location: { path: reader.path, range: { start: 0, end: 0 } } };
  const location = loc(reader.path, node);
  switch (node.type) {
    case 'dictionary': {
      const entries: [string, Node, Node][] = [];
      const named: NamedEntry[] = [];
      let open = false;
      for (const pair of node.namedChildren) {
        if (!pair || pair.type === 'comment') continue;
        const keyNode = pair.type === 'pair' ? pair.childForFieldName('key') : undefined;
        const key = literal(keyNode);
        const value = pair.childForFieldName('value');
        if (keyNode?.type === 'identifier' && value) named.push({ name: keyNode.text, value: readValue(reader, value), location: loc(reader.path, pair) });
        // `**other` or a computed key: keys we cannot list.
        else if (key.kind !== 'string' || !value) open = true;
        else entries.push([key.value, value, pair]);
      }
      return { ...dictValue(reader, node, entries), open, ...(named.length ? { named } : {}) };
    }
    case 'list':
    case 'tuple':
      return { kind: 'list', items: node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map((c) => readValue(reader, c)), location };
    case 'identifier':
      return { kind: 'ref', name: node.text, location };
    case 'parenthesized_expression':
      // `(  # comment` puts the comment first.
      return readValue(reader, node.namedChildren.find((child) => child?.type !== 'comment'));
    case 'call':
      return readCall(reader, node);
    case 'string':
      return node.namedChildren.some((child) => child?.type === 'interpolation') ? readFString(reader, node) : readLiteral(node, location);
    case 'concatenated_string': {
      // Implicit concatenation, comments between the parts allowed; a part may be an f-string.
      const parts = node.namedChildren.filter((child): child is Node => child?.type === 'string').map((part) => readValue(reader, part));
      if (parts.every((part) => part.kind === 'str')) return { kind: 'str', value: parts.map((part) => (part as { value: string }).value).join(''), location };
      return { kind: 'concat', parts, fstring: true, location };
    }
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.type;
      const left = readValue(reader, node.childForFieldName('left'));
      const right = readValue(reader, node.childForFieldName('right'));
      if (operator === '+') return { kind: 'concat', parts: [left, right], fstring: false, location };
      if (operator === '%' && left.kind === 'str') return { kind: 'format', format: left.value, args: right, location };
      return { kind: 'unknown', location };
    }
    default:
      return readLiteral(node, location);
  }
}

/** An f-string: its text, and its `{…}` parts read as values (a conversion or format spec makes one unknown). */
function readFString(reader: Reader, node: Node): Value {
  const location = loc(reader.path, node);
  const parts: Value[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content' || child.type === 'escape_sequence') parts.push({ kind: 'str', value: child.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}'), location });
    else if (child.type === 'interpolation') {
      const expression = child.namedChildren.find((inner) => inner && inner.type !== 'type_conversion' && inner.type !== 'format_specifier' && inner.type !== 'comment');
      const plain = !child.namedChildren.some((inner) => inner?.type === 'type_conversion' || inner?.type === 'format_specifier');
      parts.push(plain ? readValue(reader, expression) : { kind: 'unknown', location: loc(reader.path, child) });
    }
  }
  return { kind: 'concat', parts, fstring: true, location };
}

function readLiteral(node: Node, location: SourceLocation): Value {
  const value = literal(node);
  switch (value.kind) {
    case 'string': return { kind: 'str', value: value.value, location };
    case 'number': return { kind: 'num', value: value.value, location };
    case 'bool': return { kind: 'bool', value: value.value, location };
    case 'none': return { kind: 'none', location };
    default: return { kind: 'unknown', location };
  }
}

function keywordEntries(args: ReturnType<typeof callArguments>): [string, Node, Node][] {
  return [...args.keywords].map(([key, value]) => [key, value, args.keywordNodes.get(key)!]);
}

function readCall(reader: Reader, node: Node): Value {
  const location = loc(reader.path, node);
  const written = dottedName(node.childForFieldName('function')) ?? '';
  const callee = qualify(written, reader.imports);
  const args = callArguments(node);
  if (callee === 'dict' && args.positional.length === 0 && !args.hasSplat) return dictValue(reader, node, keywordEntries(args));
  let library: DbUrl['library'] | undefined;
  if (/^dj_database_url\.(config|parse)$/.test(callee)) library = 'dj_database_url';
  // django-environ: `env.db(...)`, `env.db_url(...)`, `environ.Env().db(...)`.
  else if (/(^|\.)(db|db_url)$/.test(written) && /env/i.test(written.split('.').slice(-2, -1)[0] ?? '')) library = 'environ';
  if (!library) return { kind: 'unknown', location };
  const url = library === 'dj_database_url'
    ? callee.endsWith('parse') ? args.positional[0] : args.keywords.get('default')
    : args.keywords.get('default') ?? args.positional[1];
  const urlValue = literal(url);
  const engineArgument = args.keywords.get('engine');
  let engine: Engine | undefined;
  if (engineArgument) {
    const value = literal(engineArgument);
    engine = value.kind === 'string' ? engineFromName(value.value) : 'unknown';
  } else if (urlValue.kind === 'string') engine = engineFromUrl(urlValue.value);
  const connMaxAge = args.keywords.get('conn_max_age');
  const connHealthChecks = args.keywords.get('conn_health_checks');
  return {
    kind: 'dict', items: new Map(), keys: new Map(), open: false, location,
    from: {
      library, engine,
      connMaxAge: connMaxAge ? readValue(reader, connMaxAge) : undefined,
      connHealthChecks: connHealthChecks ? readValue(reader, connHealthChecks) : undefined,
    },
  };
}

/** `DATABASES["default"].setdefault("OPTIONS", {})["options"]` → DATABASES, [default, OPTIONS (setdefault), options]. */
function readTarget(reader: Reader, node: Node | null): { name: string; path: PathStep[] } | undefined {
  const steps: PathStep[] = [];
  let current = node;
  while (current) {
    if (current.type === 'identifier') return { name: current.text, path: steps.reverse() };
    if (current.type === 'subscript') {
      const subscript = current.childForFieldName('subscript');
      const key = literal(subscript);
      if (subscript?.type === 'identifier') steps.push({ key: '', keyRef: subscript.text });
      else if (key.kind !== 'string') return undefined;
      else steps.push({ key: key.value });
      current = current.childForFieldName('value');
      continue;
    }
    if (current.type === 'call') {
      const callee = current.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'setdefault') return undefined;
      const args = callArguments(current);
      const key = literal(args.positional[0]);
      if (key.kind !== 'string') return undefined;
      steps.push({ key: key.value, setdefault: args.positional[1] ? readValue(reader, args.positional[1]) : { kind: 'none', location: loc(reader.path, current) } });
      current = callee.childForFieldName('object');
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** The name an expression starts from (`DATABASES` in `DATABASES["x"].update(...)`). */
function rootName(node: Node | null): string | undefined {
  let current = node;
  while (current && current.type !== 'identifier') {
    if (current.type === 'subscript') current = current.childForFieldName('value');
    else if (current.type === 'attribute') current = current.childForFieldName('object');
    else if (current.type === 'call') current = current.childForFieldName('function');
    else return undefined;
  }
  return current?.text;
}

const READ_ONLY_METHODS = new Set(['get', 'copy', 'keys', 'items', 'values', 'count', 'index']);

function collectCall(reader: Reader, expression: Node, location: SourceLocation, into: SettingsStatement[]): void {
  const callee = expression.childForFieldName('function');
  if (callee?.type !== 'attribute') return;
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const object = callee.childForFieldName('object');
  const target = readTarget(reader, object);
  const args = callArguments(expression);
  if (target && method === 'update' && !args.hasSplat) {
    if (args.positional.length === 1 && args.keywords.size === 0) into.push({ kind: 'update', ...target, value: readValue(reader, args.positional[0]), location });
    else if (args.positional.length === 0) into.push({ kind: 'update', ...target, value: dictValue(reader, expression, keywordEntries(args)), location });
    else into.push({ kind: 'opaque', name: target.name, location });
    return;
  }
  if (target && method === 'setdefault') {
    const key = literal(args.positional[0]);
    if (key.kind === 'string') {
      const value = args.positional[1] ? readValue(reader, args.positional[1]) : { kind: 'none' as const, location };
      into.push({ kind: 'setdefault', name: target.name, path: [...target.path, { key: key.value }], value, location });
      return;
    }
  }
  const name = rootName(object);
  if (name && !READ_ONLY_METHODS.has(method)) into.push({ kind: 'opaque', name: dynamicName(name, object), location });
}

/** `globals()["X"] = …`, `globals().update(…)`, `vars()…`: any name may change (`*`). */
function dynamicName(name: string, node: Node | null): string {
  let current = node;
  while (current && (current.type === 'subscript' || current.type === 'attribute')) current = current.childForFieldName(current.type === 'subscript' ? 'value' : 'object');
  return current?.type === 'call' && ['globals', 'vars', 'locals'].includes(name) ? '*' : name;
}

/** Module-level calls that define names we cannot see: django-split-settings' `include(...)`, `exec(...)`. */
const DYNAMIC_CALLS = /^(exec|execfile|split_settings\.tools\.(include|optional))$/;

function collectAssignment(reader: Reader, expression: Node, location: SourceLocation, into: SettingsStatement[], conditional: boolean, arm: IfArm | undefined): void {
  // `A = B = value`: the right side is itself an assignment.
  const targets: (Node | null)[] = [expression.childForFieldName('left')];
  let value = expression.childForFieldName('right');
  while (value?.type === 'assignment') {
    targets.push(value.childForFieldName('left'));
    value = value.childForFieldName('right');
  }
  for (const target of targets) {
    if (target?.type === 'pattern_list' || target?.type === 'tuple_pattern') {
      for (const name of target.namedChildren) if (name?.type === 'identifier') into.push({ kind: 'opaque', name: name.text, location });
      continue;
    }
    const parsed = readTarget(reader, target);
    if (parsed) into.push({ kind: 'assign', ...parsed, value: readValue(reader, value), location, ...(conditional ? { conditional } : {}), ...(arm ? { arm } : {}) });
    else {
      const name = rootName(target);
      if (name) into.push({ kind: 'opaque', name: dynamicName(name, target), location });
    }
  }
}

/** Clauses whose block may not run; `finally` and `with` blocks run whenever their statement does. */
const CONDITIONAL_CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'except_group_clause']);
const CLAUSES = new Set([...CONDITIONAL_CLAUSES, 'finally_clause']);

/** The blocks of an `if`/`try`/`with` statement and of its clauses, in source order. */
function collectBranches(reader: Reader, statement: Node, into: SettingsStatement[], conditional: boolean): void {
  for (const child of statement.namedChildren) {
    if (child?.type === 'block') collect(reader, child, into, conditional);
    else if (child && CLAUSES.has(child.type)) collectBranches(reader, child, into, conditional || CONDITIONAL_CLAUSES.has(child.type));
  }
}

/**
 * The branches of an `if`: every one is read, in source order. With an `else`, one of them runs for sure: their
 * statements carry the arm, so that branches that each assign a whole value replace what came before.
 */
function collectIfArms(reader: Reader, statement: Node, into: SettingsStatement[]): void {
  const blocks: Node[] = [];
  for (const child of statement.namedChildren) {
    if (child?.type === 'block') blocks.push(child);
    else if (child?.type === 'elif_clause' || child?.type === 'else_clause') {
      const block = child.namedChildren.find((inner) => inner?.type === 'block');
      if (block) blocks.push(block);
    }
  }
  const exhaustive = statement.namedChildren.some((child) => child?.type === 'else_clause');
  blocks.forEach((block, arm) => collect(reader, block, into, true, exhaustive ? { id: statement.startIndex, arm, arms: blocks.length } : undefined));
}

function collect(reader: Reader, block: Node, into: SettingsStatement[], conditional = false, arm?: IfArm): void {
  for (const statement of block.namedChildren) {
    if (!statement) continue;
    const location = loc(reader.path, statement);
    switch (statement.type) {
      case 'import_from_statement':
        if (statement.namedChildren.some((c) => c?.type === 'wildcard_import')) {
          const module = statement.childForFieldName('module_name')?.text;
          if (module) into.push({ kind: 'star-import', module, location });
        }
        break;
      case 'expression_statement': {
        const expression = statement.namedChild(0);
        if (expression?.type === 'assignment') collectAssignment(reader, expression, location, into, conditional, arm);
        else if (expression?.type === 'augmented_assignment') {
          const name = rootName(expression.childForFieldName('left'));
          if (name) into.push({ kind: 'opaque', name, location });
        } else if (expression?.type === 'call') {
          if (DYNAMIC_CALLS.test(qualify(dottedName(expression.childForFieldName('function')) ?? '', reader.imports))) into.push({ kind: 'opaque', name: '*', location });
          else collectCall(reader, expression, location, into);
        }
        break;
      }
      case 'delete_statement': {
        const name = rootName(statement.namedChild(0));
        if (name) into.push({ kind: 'opaque', name, location });
        break;
      }
      case 'if_statement':
        // Every branch, in source order (see the note at the top of this file).
        collectIfArms(reader, statement, into);
        break;
      case 'try_statement':
      case 'with_statement':
        collectBranches(reader, statement, into, conditional);
        break;
    }
  }
}

export function summarizeSettings(path: string, root: Node, namedByProject = false): SettingsModule {
  const statements: SettingsStatement[] = [];
  collect({ path, imports: importMap(root) }, root, statements);
  const text = root.text;
  return { path, statements, firstLine: { path, range: { start: 0, end: lineEndAt(text, 0) } }, ...(namedByProject ? { namedByProject: true as const } : {}) };
}

/**
 * Where `from <module> import *` points: relative imports from the module's folder; absolute ones
 * (`config.settings.base`) from the folder of the module or any folder above it.
 */
export function resolveStarImport(fromPath: string, module: string, exists: (path: string) => boolean): string | undefined {
  const dots = /^\.*/.exec(module)![0].length;
  const parts = module.slice(dots).split('.').filter(Boolean);
  const candidates = (base: string) => [join(base, ...parts) + '.py', join(base, ...parts, '__init__.py')];
  if (dots > 0) {
    let base = dirname(fromPath);
    for (let i = 1; i < dots; i++) base = dirname(base);
    return parts.length ? candidates(base).find(exists) : undefined;
  }
  for (let base = dirname(fromPath); ; base = dirname(base)) {
    const found = candidates(base).find(exists);
    if (found) return found;
    if (dirname(base) === base) return undefined;
  }
}
