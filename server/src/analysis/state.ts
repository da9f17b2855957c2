// Project state: replaying migration operations to know, before each operation, every model's fields,
// table, indexes, constraints and unique sets (SPEC §2). States are immutable and shared: an operation copies
// only the model it changes, so keeping a snapshot per migration is cheap.
import { FieldMap } from './field-map';
import type { ConstraintRef } from './sql-constraint-validity';
import { UNREAD_OPERATIONS, type ConstraintInfo, type FieldInfo, type FieldState, type IndexInfo, type Known, type MigrationSummary, type SourceLocation, type StateOperation } from './summary';

export interface ModelState {
  /** `app.model`, lower-case. */
  key: string;
  app: string;
  name: string;
  /** Read it as a map (`fields.get(name)`); versions share their history (see FieldMap). */
  fields: FieldMap;
  /** Explicit `db_table`; undefined means Django's `app_model`. */
  dbTable?: Known<string>;
  indexes: readonly IndexInfo[];
  constraints: readonly ConstraintInfo[];
  uniqueTogether: Known<string[][]>;
  indexTogether: Known<string[][]>;
  /** Something changed this model that we could not read: rules must not trust the details. */
  uncertain: boolean;
  /** `managed = False` (absent: managed; `unknown` when the option is not a literal). */
  managed?: Known<boolean>;
  proxy?: Known<boolean>;
  location: SourceLocation;
  /** Global creation order of this version, to pick the newest when two branches merge. */
  stamp: number;
  /** The version this one was made from (by an operation, or the later side of a merge): merges find their base through it. */
  previous?: ModelState;
  deleted?: boolean;
}

/** `app.model` → model. A missing key means: not known to the workspace (external app, missing history). */
export type ProjectState = ReadonlyMap<string, ModelState>;

let stamps = 0;

export function tableOf(model: ModelState): Known<string> {
  return model.dbTable ?? `${model.app}_${model.name}`;
}

/**
 * Django runs no SQL for the model: `managed = False` or a proxy (its `allow_migrate_model` is false). An option
 * we cannot read counts too: no finding from missing knowledge.
 */
export function runsNoSql(model: ModelState | undefined): boolean {
  return !!model && (model.managed === false || model.managed === 'unknown' || model.proxy === true || model.proxy === 'unknown');
}

/** The column name of a field: `db_column`, else the name (`name_id` for relations). */
export function columnOf(fieldName: string, info: FieldInfo | undefined): Known<string> {
  if (info?.dbColumn !== undefined) return info.dbColumn;
  return info?.isRelation ? `${fieldName}_id` : fieldName;
}

function version(model: ModelState, change: Partial<ModelState>): ModelState {
  return { ...model, ...change, stamp: ++stamps, previous: model };
}

/** The newest version both were made from, if they share one (a model created in each branch shares none). */
function commonBase(a: ModelState, b: ModelState): ModelState | undefined {
  let x: ModelState | undefined = a;
  let y: ModelState | undefined = b;
  while (x && y && x !== y) {
    if (x.stamp > y.stamp) x = x.previous;
    else y = y.previous;
  }
  return x && y ? x : undefined;
}

/** Three-way choice: what the later branch changed since the base, else what the earlier one has. */
function pick<T>(base: T, earlier: T, later: T): T {
  return later !== base ? later : earlier;
}

/** Indexes or constraints, three-way per name (a nameless one is itself its key): both branches' additions and removals stay. */
function mergeItems<T extends { name?: string }>(base: readonly T[], earlier: readonly T[], later: readonly T[]): readonly T[] {
  if (earlier === base) return later;
  if (later === base) return earlier;
  const byKey = (items: readonly T[]) => new Map<unknown, T>(items.map((item) => [item.name ?? item, item]));
  const [o, x, y] = [byKey(base), byKey(earlier), byKey(later)];
  const result: T[] = [];
  for (const key of new Set([...y.keys(), ...x.keys(), ...o.keys()])) {
    const chosen = pick(o.get(key), x.get(key), y.get(key));
    if (chosen) result.push(chosen);
  }
  return result;
}

/**
 * One model changed in two branches since `base`: what replaying both branches gives (Django replays the graph
 * in one linear order, so each branch's changes apply on top of the other's; where both changed the same thing,
 * the later replayed wins). Per field: a field one branch removed (a state-only RemoveField) stays removed.
 */
function mergeModel(base: ModelState, a: ModelState, b: ModelState): ModelState {
  const [earlier, later] = a.stamp < b.stamp ? [a, b] : [b, a];
  const changes: [string, FieldState | undefined][] = [];
  const names = new Set([...later.fields.keys(), ...earlier.fields.keys(), ...base.fields.keys()]);
  for (const name of names) {
    const chosen = pick(base.fields.get(name), earlier.fields.get(name), later.fields.get(name));
    if (chosen !== later.fields.get(name)) changes.push([name, chosen]);
  }
  return {
    ...later,
    fields: changes.length ? later.fields.with(changes) : later.fields,
    dbTable: pick(base.dbTable, earlier.dbTable, later.dbTable),
    indexes: mergeItems(base.indexes, earlier.indexes, later.indexes),
    constraints: mergeItems(base.constraints, earlier.constraints, later.constraints),
    uniqueTogether: pick(base.uniqueTogether, earlier.uniqueTogether, later.uniqueTogether),
    indexTogether: pick(base.indexTogether, earlier.indexTogether, later.indexTogether),
    uncertain: earlier.uncertain || later.uncertain,
    managed: pick(base.managed, earlier.managed, later.managed),
    proxy: pick(base.proxy, earlier.proxy, later.proxy),
    location: pick(base.location, earlier.location, later.location),
    deleted: pick(base.deleted, earlier.deleted, later.deleted),
    stamp: ++stamps,
    previous: later,
  };
}

/**
 * Merges the states after several parent migrations (a merge migration, or dependencies on other apps). Per
 * model: a version made from the other is the newer state of the same line and wins; two versions that both
 * changed since a common base are merged three-way (mergeModel); with no common base, the newest wins.
 */
export function mergeStates(states: ProjectState[]): Map<string, ModelState> {
  if (states.length === 0) return new Map();
  const merged = copyState(states[0]);
  for (const state of states.slice(1)) {
    state.forEach((model, key) => {
      const current = merged.get(key);
      if (!current || current === model) {
        if (!current) merged.set(key, model);
        return;
      }
      const [older, newer] = current.stamp < model.stamp ? [current, model] : [model, current];
      // The newer made from the older (their common base is the older itself) is the same line, further on.
      const base = commonBase(current, model);
      merged.set(key, base && base !== older ? mergeModel(base, current, model) : newer);
    });
  }
  return merged;
}

/**
 * A copy of a state, in the same order. `new Map(state)` iterates it through the iterator protocol, one `[key,
 * value]` array per entry: replaying saleor's history made 55 MB of them (each migration starts from a copy).
 */
function copyState(state: ProjectState): Map<string, ModelState> {
  const copy = new Map<string, ModelState>();
  state.forEach((model, key) => copy.set(key, model));
  return copy;
}

function live(state: Map<string, ModelState>, key: string): ModelState | undefined {
  const model = state.get(key);
  return model && !model.deleted ? model : undefined;
}

function withField(model: ModelState, name: string, field: FieldState | undefined): ModelState {
  return version(model, { fields: model.fields.with([[name, field]]) });
}

function renameInSets(sets: Known<string[][]>, from: string, to: string): Known<string[][]> {
  return sets === 'unknown' ? sets : sets.map((set) => set.map((name) => (name === from ? to : name)));
}

function renameInList<T extends { fields?: Known<string[]> }>(items: readonly T[], from: string, to: string): T[] {
  return items.map((item) => (Array.isArray(item.fields) ? { ...item, fields: item.fields.map((name) => (name === from ? to : name)) } : item));
}

/**
 * Applies one operation to `state` (in place: the map is the caller's working copy; models are replaced, not
 * mutated). `database`-scoped operations do not change the state.
 */
export function applyOperation(state: Map<string, ModelState>, app: string, op: StateOperation): void {
  // The database's validation is the state's too: Django's state has no notion of NOT VALID.
  if (op.validatesConstraints) validateConstraints(state, op.validatesConstraints);
  if (op.scope === 'database') return;
  const key = op.model ? `${app}.${op.model}` : undefined;
  const model = key ? live(state, key) : undefined;
  switch (op.kind) {
    case 'CreateModel': {
      if (!key) return;
      const fields = FieldMap.of((op.fields ?? []).map((field) => [field.name, { info: field.info, location: field.location }] as const));
      const options = op.options ?? {};
      state.set(key, {
        key, app, name: op.model!, fields,
        dbTable: options.dbTable,
        indexes: options.indexes === 'unknown' ? [] : options.indexes ?? [],
        constraints: options.constraints === 'unknown' ? [] : options.constraints ?? [],
        uniqueTogether: options.uniqueTogether ?? [],
        indexTogether: options.indexTogether ?? [],
        uncertain: !!op.fieldUnknown || options.indexes === 'unknown' || options.constraints === 'unknown' || options.dbTable === 'unknown',
        ...(options.managed !== undefined && options.managed !== true ? { managed: options.managed } : {}),
        ...(options.proxy !== undefined && options.proxy !== false ? { proxy: options.proxy } : {}),
        location: op.location,
        stamp: ++stamps,
      });
      return;
    }
    case 'DeleteModel':
      if (model && key) state.set(key, version(model, { deleted: true }));
      return;
    case 'RenameModel': {
      const oldKey = op.oldName ? `${app}.${op.oldName}` : undefined;
      const old = oldKey ? live(state, oldKey) : undefined;
      if (!old || !oldKey) return;
      state.set(oldKey, version(old, { deleted: true }));
      if (!op.newName) return;
      const newKey = `${app}.${op.newName}`;
      // Django renames the table along with the model unless `db_table` pins it.
      state.set(newKey, version(old, { key: newKey, name: op.newName }));
      return;
    }
    case 'AlterModelTable':
      if (model && key) state.set(key, version(model, { dbTable: op.table === null ? undefined : op.table }));
      return;
    case 'AlterUniqueTogether':
      if (model && key) state.set(key, version(model, { uniqueTogether: op.together ?? 'unknown' }));
      return;
    case 'AlterIndexTogether':
      if (model && key) state.set(key, version(model, { indexTogether: op.together ?? 'unknown' }));
      return;
    case 'AddField':
    case 'AlterField':
      if (!model || !key) return;
      if (!op.fieldName) {
        state.set(key, version(model, { uncertain: true }));
        return;
      }
      state.set(key, withField(model, op.fieldName, { info: op.field, location: op.location }));
      return;
    case 'RemoveField':
      if (model && key && op.fieldName) state.set(key, withField(model, op.fieldName, undefined));
      return;
    case 'AddDefaultValue': {
      // The column gets a database default; Django's state (and `makemigrations`) never sees it.
      const field = model && op.fieldName ? model.fields.get(op.fieldName) : undefined;
      if (model && key && field) state.set(key, withField(model, op.fieldName!, { ...field, databaseDefault: true }));
      return;
    }
    case 'RenameField': {
      if (!model || !key) return;
      if (!op.oldName || !op.newName) {
        state.set(key, version(model, { uncertain: true }));
        return;
      }
      const field = model.fields.get(op.oldName);
      state.set(key, version(model, {
        fields: model.fields.with(field ? [[op.oldName, undefined], [op.newName, field]] : [[op.oldName, undefined]]),
        uniqueTogether: renameInSets(model.uniqueTogether, op.oldName, op.newName),
        indexTogether: renameInSets(model.indexTogether, op.oldName, op.newName),
        indexes: renameInList(model.indexes, op.oldName, op.newName),
        constraints: renameInList(model.constraints, op.oldName, op.newName),
      }));
      return;
    }
    case 'AddIndex':
    case 'AddIndexConcurrently':
      if (model && key && op.indexInfo) state.set(key, version(model, { indexes: [...model.indexes, op.indexInfo] }));
      return;
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently':
      if (model && key) state.set(key, version(model, { indexes: model.indexes.filter((index) => index.name !== op.oldName) }));
      return;
    case 'RenameIndex':
      if (model && key && op.newName) {
        const indexes = op.oldName
          ? model.indexes.map((index) => (index.name === op.oldName ? { ...index, name: op.newName } : index))
          : [...model.indexes, { name: op.newName, fields: 'unknown' as const }];
        state.set(key, version(model, { indexes }));
      }
      return;
    case 'AddConstraint':
    case 'AddConstraintNotValid':
      if (model && key && op.constraint) state.set(key, version(model, { constraints: [...model.constraints, op.constraint] }));
      return;
    case 'RemoveConstraint':
      if (model && key) state.set(key, version(model, { constraints: model.constraints.filter((c) => c.name !== op.oldName) }));
      return;
    case 'ValidateConstraint':
      if (model && key && op.oldName) {
        const constraints = model.constraints.map((c) => (c.name === op.oldName ? { ...c, validated: true } : c));
        state.set(key, version(model, { constraints }));
      }
      return;
    case 'AlterModelOptions':
      if (model && key && op.options && (model.managed ?? true) !== op.options.managed) state.set(key, version(model, { managed: op.options.managed === true ? undefined : op.options.managed }));
      return;
    case 'AlterModelManagers':
    case 'AlterModelTableComment':
    case 'AlterOrderWithRespectTo':
    case 'RunPython':
    case 'RunSQL':
    case 'SeparateDatabaseAndState':
    case 'IgnoreMigration':
      return;
    case UNREAD_OPERATIONS:
      // Operations not read (past the work bound): any model of the app may have changed.
      for (const [other, current] of state) if (current.app === app && !current.deleted) state.set(other, version(current, { uncertain: true }));
      return;
    default:
      // An operation we cannot read (custom, or not resolvable to Django's): what it names becomes uncertain.
      if (model && key) state.set(key, version(model, { uncertain: true }));
  }
}

/** A RunSQL's `VALIDATE CONSTRAINT`: the named constraint of the model whose table it names is validated. */
function validateConstraints(state: Map<string, ModelState>, refs: readonly ConstraintRef[]): void {
  for (const [key, model] of state) {
    if (model.deleted) continue;
    const table = tableOf(model);
    const validated = (name: string | undefined) => refs.some((ref) => ref.name === name && (ref.table === undefined || ref.table === table));
    if (!model.constraints.some((c) => !c.validated && validated(c.name))) continue;
    state.set(key, version(model, { constraints: model.constraints.map((c) => (!c.validated && validated(c.name) ? { ...c, validated: true } : c)) }));
  }
}

/** The state of the model an operation works on, and of its field, before the operation. */
export interface OperationState {
  model?: ModelState;
  field?: FieldState;
}

export interface ReplayResult {
  /** Index in `Migration.operations` → state of the touched model before it. */
  before: Map<number, OperationState>;
  after: ProjectState;
}

/** Replays one migration on top of `start`, recording what each operation saw. */
export function replayMigration(start: ProjectState, summary: MigrationSummary): ReplayResult {
  const state = copyState(start);
  const before = new Map<number, OperationState>();
  for (const op of summary.operations) {
    const model = op.model ? live(state, `${summary.app}.${op.model}`) : undefined;
    const fieldName = op.kind === 'RenameField' ? op.oldName : op.fieldName;
    before.set(op.index, { model, field: model && fieldName ? model.fields.get(fieldName) : undefined });
    applyOperation(state, summary.app, op);
  }
  return { before, after: state };
}

/** Whether `model` has a usable definition of `fieldName` (not uncertain, definition readable). */
export function knownField(state: OperationState): FieldInfo | undefined {
  return state.model && !state.model.uncertain ? state.field?.info : undefined;
}
