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

/**
 * One value `DATABASES` may have at run time. Branches that each assign a whole `DATABASES`
 * (`if os.getenv("DB") == "postgres": DATABASES = {…}`) are alternatives, judged each on its own; the value
 * before them stays one too, unless an `if … else` assigns it in every branch.
 */
export interface DatabasesAlternative {
  value: Value;
  traces: Map<string, DatabaseTrace>;
}

export interface EffectiveSettings {
  entryPoint: string;
  /** Every module evaluated, the entry point last. */
  modules: string[];
  /** Each name's value (for `DATABASES`, the alternative written last). */
  names: Map<string, Tracked>;
  /** The traces of the alternative written last (`names.get('DATABASES')`). */
  databases: Map<string, DatabaseTrace>;
  /** Every value `DATABASES` may have, in source order. */
  databaseAlternatives: DatabasesAlternative[];
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
    if (!value.named) return { ...value, items };
    // `{DEFAULT_DB: …}`: keyed by the name's value when it is a known string; otherwise a key we cannot list.
    const keys = new Map(value.keys);
    let open = value.open;
    for (const entry of value.named) {
      const key = names.get(entry.name)?.value;
      if (key?.kind !== 'str') {
        open = true;
        continue;
      }
      items.set(key.value, resolveRefs(entry.value, names));
      keys.set(key.value, entry.location);
    }
    return { ...value, items, keys, open, named: undefined };
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
    // (statement.value is resolved by the caller: keys written as module-level names are known.)
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

type ChangeStatement = Exclude<SettingsStatement, { kind: 'star-import' | 'opaque' }>;

/** `DATABASES[DEFAULT_DB]`: the path with names replaced by their values; undefined when one is not a known string. */
function resolvePath(path: PathStep[], names: Map<string, Tracked>): PathStep[] | undefined {
  if (!path.some((step) => step.keyRef)) return path;
  const resolved: PathStep[] = [];
  for (const step of path) {
    if (!step.keyRef) {
      resolved.push(step);
      continue;
    }
    const key = names.get(step.keyRef)?.value;
    if (key?.kind !== 'str') return undefined;
    resolved.push({ ...step, key: key.value, keyRef: undefined });
  }
  return resolved;
}

/** The alternatives of `DATABASES` while a module is evaluated (see DatabasesAlternative). */
class Alternatives {
  list: DatabasesAlternative[] = [];
  /** Per `if … else` whose branches assign the whole value: the alternatives from before it, and the branches seen. */
  private readonly arms = new Map<number, { before: DatabasesAlternative[]; seen: Map<number, DatabasesAlternative> }>();

  assign(statement: ChangeStatement & { kind: 'assign' }, value: Value): void {
    const alternative: DatabasesAlternative = { value, traces: new Map() };
    traceDatabases(statement, value, alternative.traces);
    if (!statement.conditional) {
      this.list = [alternative];
      this.arms.clear();
      return;
    }
    const arm = statement.arm;
    if (!arm) {
      this.list.push(alternative);
      return;
    }
    const group = this.arms.get(arm.id) ?? { before: [...this.list], seen: new Map() };
    this.arms.set(arm.id, group);
    // The same branch assigning again replaces its own alternative.
    const earlier = group.seen.get(arm.arm);
    this.list = this.list.filter((other) => other !== earlier);
    this.list.push(alternative);
    group.seen.set(arm.arm, alternative);
    // Every branch of an `if … else` assigned: what came before can no longer be the value.
    if (group.seen.size === arm.arms) this.list = this.list.filter((other) => !group.before.includes(other));
  }

  /** A change to part of `DATABASES` (or `.update`/`.setdefault`) applies to every alternative, as if it ran. */
  change(statement: ChangeStatement, value: Value, mode: 'assign' | 'update' | 'setdefault', names: Map<string, Tracked>): void {
    for (const alternative of this.list) {
      alternative.value = setPath(alternative.value, statement.path, value, mode, names);
      traceDatabases(statement, alternative.value, alternative.traces);
    }
  }

  reset(value?: Value): void {
    this.list = value ? [{ value, traces: new Map() }] : [];
    this.arms.clear();
  }

  get last(): DatabasesAlternative | undefined {
    return this.list[this.list.length - 1];
  }
}

/** Evaluates an entry point and the workspace modules it star-imports (cycles are cut). */
export function evaluateSettings(entryPoint: string, load: ModuleLoader, resolveImport: ImportResolver): EffectiveSettings {
  const result: EffectiveSettings = { entryPoint, modules: [], names: new Map(), databases: new Map(), databaseAlternatives: [], unresolved: [] };
  const active = new Set<string>();
  const databases = new Alternatives();
  const run = (path: string) => {
    const module = load(path);
    if (!module || active.has(path)) return;
    active.add(path);
    for (const written of module.statements) {
      if (written.kind === 'star-import') {
        const target = resolveImport(path, written.module);
        if (target && load(target)) run(target);
        else result.unresolved.push(written.module);
        continue;
      }
      // Names in keys (`DATABASES[DEFAULT_DB] = …`) are read when the statement runs; one we cannot know makes the name unknown.
      const resolvedPath = written.kind === 'opaque' ? undefined : resolvePath(written.path, result.names);
      const statement: Exclude<SettingsStatement, { kind: 'star-import' }> = written.kind === 'opaque' || !resolvedPath
        ? { kind: 'opaque', name: written.name, location: written.location }
        : { ...written, path: resolvedPath, value: resolveRefs(written.value, result.names) };
      const current = result.names.get(statement.name);
      const isDatabases = statement.name === 'DATABASES';
      let value: Value;
      if (statement.kind === 'opaque') {
        value = unknownAt(statement.location);
        if (isDatabases) databases.reset();
      } else if (statement.path.length === 0 && statement.kind === 'assign') {
        value = statement.value;
        if (isDatabases) databases.assign(statement, value);
      } else if (!current) {
        // Changing a name nobody defined (it came from somewhere we cannot see): still unknown.
        if (isDatabases) databases.reset();
        continue;
      } else {
        const mode = statement.kind === 'assign' ? 'assign' : statement.kind;
        if (isDatabases) {
          databases.change(statement, statement.value, mode, result.names);
          value = databases.last?.value ?? unknownAt(statement.location);
        } else value = setPath(current.value, statement.path, statement.value, mode, result.names);
      }
      const changedWhole = statement.kind === 'assign' && statement.path.length === 0 || statement.kind === 'opaque';
      result.names.set(statement.name, { value, statement: changedWhole || !current ? statement.location : current.statement });
    }
    active.delete(path);
    result.modules.push(path);
  };
  run(entryPoint);
  result.databaseAlternatives = databases.list;
  result.databases = databases.last?.traces ?? new Map();
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
