// Evaluates settings modules: follows star imports, applies assignments and mutations in order, and records
// where each DATABASES entry was defined and changed, so rules can report at the right statement.
import type { Config } from '../config/defaults';
import { HOLE } from './db-options';
import { engineFromName, type DictValue, type Engine, type PathStep, type SettingsModule, type SettingsStatement, type StringValue, type Value } from './settings';
import type { SourceLocation } from './summary';

export interface Tracked {
  value: Value;
  /** The statement that gave the name its current value. */
  statement: SourceLocation;
}

export interface DatabaseTrace {
  alias: string;
  /** The alias key (`"default": {`) of a literal, or the statement `DATABASES["replica"] = …`. */
  definedAt: SourceLocation;
  /** The statement that assigned the entry (a fix that adds a statement goes after it). */
  assignedBy: SourceLocation;
  /** Later statements that changed the entry (`DATABASES["default"]["OPTIONS"] = …`), in order. */
  changedBy: SourceLocation[];
}

export interface EffectiveSettings {
  entryPoint: string;
  /** Every module evaluated, the entry point last. */
  modules: string[];
  names: Map<string, Tracked>;
  databases: Map<string, DatabaseTrace>;
  /** Star imports that could not be followed: what they define is unknown. */
  unresolved: string[];
}

export type ModuleLoader = (path: string) => SettingsModule | undefined;
export type ImportResolver = (fromPath: string, module: string) => string | undefined;

function unknownAt(location: SourceLocation): Value {
  return { kind: 'unknown', location };
}

/** A part of a string built at run time, as text: HOLE where it cannot be known; undefined when Python would fail. */
function stringPart(part: Value, pythonStr: boolean): string | undefined {
  switch (part.kind) {
    case 'str':
    case 'template':
      return part.value;
    case 'unknown':
    case 'ref':
      return HOLE;
    case 'num':
      return pythonStr && Number.isInteger(part.value) ? String(part.value) : pythonStr ? HOLE : undefined;
    case 'bool':
      return pythonStr ? (part.value ? 'True' : 'False') : undefined;
    case 'none':
      return pythonStr ? 'None' : undefined;
    default:
      return pythonStr ? HOLE : undefined;
  }
}

/** A `str` when every part is known, a `template` when only some are; unknown when no part is a string. */
function foldString(parts: (string | undefined)[], anyString: boolean, location: SourceLocation): Value {
  if (!anyString || parts.some((part) => part === undefined)) return unknownAt(location);
  const value = parts.join('');
  return value.includes(HOLE) ? { kind: 'template', value, location } : { kind: 'str', value, location };
}

/** `"… %s … %(name)d …" % args`, for `%s`, `%d`, `%i` and `%%` (anything else is a hole). */
function formatPercent(format: string, args: Value, location: SourceLocation): Value {
  const positional = args.kind === 'list' ? args.items : [args];
  let next = 0;
  const parts: (string | undefined)[] = [];
  const pattern = /%(?:\(([^)]*)\))?([#0 +-]*\d*(?:\.\d+)?)([a-zA-Z%])/g;
  let last = 0;
  for (const match of format.matchAll(pattern)) {
    parts.push(format.slice(last, match.index));
    last = match.index + match[0].length;
    const [, key, flags, conversion] = match;
    if (conversion === '%') {
      parts.push('%');
      continue;
    }
    const arg = key !== undefined ? (args.kind === 'dict' ? args.items.get(key) : undefined) : positional[next++];
    if (!arg || flags) parts.push(HOLE);
    else if (conversion === 's') parts.push(stringPart(arg, true));
    else if ((conversion === 'd' || conversion === 'i') && arg.kind === 'num') parts.push(String(Math.trunc(arg.value)));
    else parts.push(HOLE);
  }
  parts.push(format.slice(last));
  return foldString(parts, true, location);
}

/** Python evaluates a name when the statement runs: refs are replaced by their current value. */
function resolveRefs(value: Value, names: Map<string, Tracked>): Value {
  if (value.kind === 'ref') return names.get(value.name)?.value ?? unknownAt(value.location);
  if (value.kind === 'concat') {
    const parts = value.parts.map((part) => resolveRefs(part, names));
    const anyString = parts.some((part) => part.kind === 'str' || part.kind === 'template');
    return foldString(parts.map((part) => stringPart(part, value.fstring)), anyString, value.location);
  }
  if (value.kind === 'format') return formatPercent(value.format, resolveRefs(value.args, names), value.location);
  if (value.kind === 'dict') {
    const items = new Map<string, Value>();
    for (const [key, item] of value.items) items.set(key, resolveRefs(item, names));
    return { ...value, items };
  }
  if (value.kind === 'list') return { ...value, items: value.items.map((item) => resolveRefs(item, names)) };
  return value;
}

function emptyDict(location: SourceLocation): DictValue {
  return { kind: 'dict', items: new Map(), keys: new Map(), open: false, location };
}

/**
 * Returns a copy of `root` with `value` stored at `path` (copy-on-write: summaries are shared between
 * evaluations and never mutated). A step into something that is not a known dict makes the result unknown.
 */
function setPath(root: Value, path: PathStep[], value: Value, mode: 'assign' | 'update' | 'setdefault', names: Map<string, Tracked>): Value {
  if (path.length === 0) {
    if (mode === 'assign') return value;
    if (root.kind !== 'dict' || value.kind !== 'dict') return mode === 'setdefault' ? root : unknownAt(value.location);
    if (mode === 'setdefault') return root;
    const items = new Map(root.items);
    const keys = new Map(root.keys);
    for (const [key, item] of value.items) {
      items.set(key, item);
      keys.set(key, value.keys.get(key)!);
    }
    return { ...root, items, keys, open: root.open || value.open };
  }
  if (root.kind !== 'dict') return root.kind === 'unknown' ? root : unknownAt(value.location);
  const [step, ...rest] = path;
  let child = root.items.get(step.key);
  let keyLocation = root.keys.get(step.key);
  if (!child) {
    if (mode === 'setdefault' && rest.length === 0) child = undefined;
    else if (step.setdefault) {
      child = resolveRefs(step.setdefault, names);
      keyLocation = step.setdefault.location;
    } else if (root.open || root.from) {
      // The key may exist (built at run time, or `**other`): we cannot know what it holds.
      child = unknownAt(value.location);
    } else if (rest.length > 0) {
      return root; // KeyError at run time; leave the settings as they were
    }
  }
  if (mode === 'setdefault' && rest.length === 0) {
    if (child) return root;
    const items = new Map(root.items).set(step.key, value);
    const keys = new Map(root.keys).set(step.key, value.location);
    return { ...root, items, keys };
  }
  const updated = setPath(child ?? emptyDict(value.location), rest, value, mode, names);
  const items = new Map(root.items).set(step.key, updated);
  const keys = new Map(root.keys);
  if (!keys.has(step.key) || rest.length === 0 && mode === 'assign') keys.set(step.key, rest.length === 0 ? value.location : keyLocation ?? value.location);
  return { ...root, items, keys };
}

function traceDatabases(statement: Exclude<SettingsStatement, { kind: 'star-import' }>, value: Value | undefined, traces: Map<string, DatabaseTrace>): void {
  const location = statement.location;
  if (statement.kind === 'opaque') {
    traces.clear();
    return;
  }
  const [first, ...rest] = statement.path;
  if (!first) {
    // The whole DATABASES: `DATABASES = {...}` or `DATABASES.update({...})`.
    if (statement.kind === 'assign') traces.clear();
    const assigned = statement.value.kind === 'dict' ? statement.value : undefined;
    if (!assigned || value?.kind !== 'dict') return;
    for (const alias of assigned.items.keys()) {
      if (statement.kind === 'setdefault' && traces.has(alias)) continue;
      traces.set(alias, { alias, definedAt: assigned.keys.get(alias) ?? location, assignedBy: location, changedBy: [] });
    }
    return;
  }
  const existing = traces.get(first.key);
  if (rest.length === 0 && statement.kind === 'assign') {
    traces.set(first.key, { alias: first.key, definedAt: location, assignedBy: location, changedBy: [] });
  } else if (rest.length === 0 && statement.kind === 'setdefault') {
    if (!existing) traces.set(first.key, { alias: first.key, definedAt: location, assignedBy: location, changedBy: [] });
  } else if (existing) {
    existing.changedBy.push(location);
  }
}

/** Evaluates an entry point and the workspace modules it star-imports (cycles are cut). */
export function evaluateSettings(entryPoint: string, load: ModuleLoader, resolveImport: ImportResolver): EffectiveSettings {
  const result: EffectiveSettings = { entryPoint, modules: [], names: new Map(), databases: new Map(), unresolved: [] };
  const active = new Set<string>();
  const run = (path: string) => {
    const module = load(path);
    if (!module || active.has(path)) return;
    active.add(path);
    for (const statement of module.statements) {
      if (statement.kind === 'star-import') {
        const target = resolveImport(path, statement.module);
        if (target && load(target)) run(target);
        else result.unresolved.push(statement.module);
        continue;
      }
      const current = result.names.get(statement.name);
      let value: Value;
      if (statement.kind === 'opaque') value = unknownAt(statement.location);
      else if (statement.path.length === 0 && statement.kind === 'assign') value = resolveRefs(statement.value, result.names);
      else if (!current) {
        // Changing a name nobody defined (it came from somewhere we cannot see): still unknown.
        if (statement.name === 'DATABASES') result.databases.clear();
        continue;
      } else {
        const mode = statement.kind === 'assign' ? 'assign' : statement.kind;
        value = setPath(current.value, statement.path, resolveRefs(statement.value, result.names), mode, result.names);
      }
      const changedWhole = statement.kind === 'assign' && statement.path.length === 0 || statement.kind === 'opaque';
      result.names.set(statement.name, { value, statement: changedWhole || !current ? statement.location : current.statement });
      if (statement.name === 'DATABASES') traceDatabases(statement, value, result.databases);
    }
    active.delete(path);
    result.modules.push(path);
  };
  run(entryPoint);
  return result;
}

/** What the rules ask of one DATABASES entry. */
export interface EntryFacts {
  engine: Engine;
  entry: Value;
  /** `OPTIONS`: absent, unknown, or a dict. */
  options: DictValue | 'absent' | 'unknown';
  /** `OPTIONS["options"]` (libpq) / `OPTIONS["init_command"]` (MySQL): absent, unknown, or the string value. */
  optionsString: StringValue | 'absent' | 'unknown';
  initCommand: StringValue | 'absent' | 'unknown';
  connectTimeout: Value | 'absent' | 'unknown';
}

function member(dict: Value, key: string): Value | 'absent' | 'unknown' {
  if (dict.kind !== 'dict') return 'unknown';
  const value = dict.items.get(key);
  if (value) return value.kind === 'unknown' || value.kind === 'ref' ? 'unknown' : value;
  return dict.open || dict.from ? 'unknown' : 'absent';
}

function asString(value: Value | 'absent' | 'unknown'): StringValue | 'absent' | 'unknown' {
  if (value === 'absent' || value === 'unknown') return value;
  return value.kind === 'str' || value.kind === 'template' ? value : 'unknown';
}

export function entryFacts(entry: Value, config: Pick<Config, 'database'>): EntryFacts {
  let engine: Engine = 'unknown';
  if (entry.kind === 'dict') {
    const named = entry.items.get('ENGINE');
    if (named?.kind === 'str') engine = engineFromName(named.value);
    else if (named) engine = 'unknown';
    else if (entry.from) engine = entry.from.engine ?? config.database;
  }
  const optionsValue = member(entry, 'OPTIONS');
  // dj_database_url / env.db build the dict at run time but never set OPTIONS["options"] from a URL we can see.
  const options = optionsValue === 'unknown' && entry.kind === 'dict' && entry.from && !entry.items.has('OPTIONS') ? 'absent' : optionsValue;
  const dict = options !== 'absent' && options !== 'unknown' && options.kind === 'dict' ? options : undefined;
  return {
    engine,
    entry,
    options: dict ?? (options === 'absent' ? 'absent' : 'unknown'),
    optionsString: dict ? asString(member(dict, 'options')) : options === 'absent' ? 'absent' : 'unknown',
    initCommand: dict ? asString(member(dict, 'init_command')) : options === 'absent' ? 'absent' : 'unknown',
    connectTimeout: dict ? member(dict, 'connect_timeout') : options === 'absent' ? 'absent' : 'unknown',
  };
}
