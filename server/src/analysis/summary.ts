// A migration reduced to plain data (no syntax nodes): what the workspace index keeps for every migration
// file after its tree is freed, and what state replay consumes.
import type { Node } from '../base/parser';
import type { Range } from '../base/text';
import { hasColumn, parseField, type FieldDefinition } from './fields';
import { argument, type Dependency, type Migration, type Operation } from './migration';
import { forwardSqlTexts } from './sql';
import { constraintValidity, mayChangeConstraintValidity, type ConstraintRef } from './sql-constraint-validity';
import { callArguments, dottedName, literal, qualify, sequenceItems, stringValue } from './syntax';

/** `unknown` when the source says something we cannot evaluate statically. */
export type Known<T> = T | 'unknown';

export interface SourceLocation {
  path: string;
  range: Range;
}

export interface FieldInfo {
  type: string;
  /** Django's column or not (a ManyToManyField has none). */
  hasColumn: boolean;
  null: Known<boolean>;
  unique: Known<boolean>;
  dbIndex: Known<boolean>;
  primaryKey: Known<boolean>;
  dbConstraint: Known<boolean>;
  hasDefault: boolean;
  /** Literal text of `default=` when it is a literal. */
  defaultLiteral?: string;
  hasDbDefault: boolean;
  /** Absent: Django's default (the field name, or `name_id` for relations). */
  dbColumn?: Known<string>;
  maxLength?: Known<number>;
  maxDigits?: Known<number>;
  decimalPlaces?: Known<number>;
  /** Lower-cased `app.model` of a relation's target, `unknown` when not a literal. */
  to?: Known<string>;
  isRelation: boolean;
}

/** A field in the project state; `info` is undefined when its definition cannot be read. */
export interface FieldState {
  info?: FieldInfo;
  location: SourceLocation;
  /**
   * django-add-default-value's `AddDefaultValue` gave the column a database default that Django's own state does
   * not know (so it is kept apart from `info`, which mirrors what Django compares).
   */
  databaseDefault?: true;
}

export interface IndexInfo {
  name?: string;
  fields: Known<string[]>;
}

export type ConstraintKind = 'UniqueConstraint' | 'CheckConstraint' | 'ExclusionConstraint' | 'other';

export interface ConstraintInfo {
  name?: string;
  kind: ConstraintKind;
  fields?: Known<string[]>;
  /** A CHECK whose condition is exactly `Q(<field>__isnull=False)`: the field it proves NOT NULL. */
  notNullField?: string;
  /**
   * False while added `NOT VALID` and not yet validated: by AddConstraintNotValid, or by a RunSQL with the state told
   * by a state-only AddConstraint; validated by ValidateConstraint or a RunSQL's `VALIDATE CONSTRAINT`.
   */
  validated: boolean;
}

export interface ModelOptions {
  /** undefined: not given; `unknown`: not a literal. */
  dbTable?: Known<string>;
  uniqueTogether?: Known<string[][]>;
  indexTogether?: Known<string[][]>;
  indexes?: Known<IndexInfo[]>;
  constraints?: Known<ConstraintInfo[]>;
  /** `managed: False`: Django creates, alters and drops no table for the model. */
  managed?: Known<boolean>;
  /** `proxy: True`: the model has no table of its own. */
  proxy?: Known<boolean>;
}

/** What replay needs of one operation. `index` matches `Migration.operations`. */
/** The kind of the placeholder for operations past MAX_OPERATIONS (not a Django operation). */
export const UNREAD_OPERATIONS = 'migration-guard:unread-operations';

export interface StateOperation {
  index: number;
  kind: string;
  scope: Operation['scope'];
  /** Lower-cased model name (`name` or `model_name`); undefined when not a literal. */
  model?: string;
  modelWritten: boolean;
  fieldName?: string;
  newName?: string;
  oldName?: string;
  field?: FieldInfo;
  /** A field definition is given but cannot be read. */
  fieldUnknown?: boolean;
  fields?: { name: string; info?: FieldInfo; location: SourceLocation }[];
  options?: ModelOptions;
  table?: Known<string | null>;
  together?: Known<string[][]>;
  indexInfo?: IndexInfo;
  constraint?: ConstraintInfo;
  /** A RunSQL the database runs: the constraints its `VALIDATE CONSTRAINT` validates. */
  validatesConstraints?: ConstraintRef[];
  location: SourceLocation;
}

export interface DependencyRef {
  app?: string;
  name?: string;
  swappable: boolean;
  location: SourceLocation;
}

export interface MigrationSummary {
  path: string;
  app: string;
  name: string;
  atomic: Known<boolean>;
  initial: boolean;
  dependencies: DependencyRef[];
  replaces: DependencyRef[];
  runBefore: DependencyRef[];
  operations: StateOperation[];
  /** The `class Migration` line, where graph rules report. */
  classLocation: SourceLocation;
}

function numberArgument(node: Node | undefined): Known<number> | undefined {
  if (!node) return undefined;
  const value = literal(node);
  return value.kind === 'number' ? value.value : 'unknown';
}

function stringArgument(node: Node | undefined): Known<string> | undefined {
  if (!node) return undefined;
  const value = literal(node);
  return value.kind === 'string' ? value.value : 'unknown';
}

/** `"shop.Customer"` → `shop.customer`; `"Customer"` → `<app>.customer`; `settings.AUTH_USER_MODEL` → `__auth_user_model__`. */
export function relationTarget(node: Node | undefined, app: string): Known<string> | undefined {
  if (!node) return undefined;
  if (/AUTH_USER_MODEL$/.test(dottedName(node) ?? '')) return '__auth_user_model__';
  const value = literal(node);
  if (value.kind !== 'string') return 'unknown';
  const target = value.value.toLowerCase();
  return target.includes('.') ? target : `${app}.${target}`;
}

export function fieldInfo(definition: FieldDefinition, app: string): FieldInfo {
  const kw = definition.keywords;
  const defaultNode = kw.get('default');
  const literalDefault = defaultNode && literal(defaultNode).kind !== 'unknown' ? defaultNode.text : undefined;
  return {
    type: definition.type,
    hasColumn: hasColumn(definition),
    null: definition.null,
    unique: definition.unique,
    dbIndex: definition.dbIndex,
    primaryKey: definition.primaryKey,
    dbConstraint: definition.dbConstraint,
    hasDefault: definition.hasDefault,
    defaultLiteral: literalDefault,
    hasDbDefault: definition.hasDbDefault,
    dbColumn: stringArgument(kw.get('db_column')),
    maxLength: numberArgument(kw.get('max_length')),
    maxDigits: numberArgument(kw.get('max_digits')),
    decimalPlaces: numberArgument(kw.get('decimal_places')),
    to: definition.isRelation ? relationTarget(definition.to, app) ?? 'unknown' : undefined,
    isRelation: definition.isRelation,
  };
}

function location(path: string, node: Node): SourceLocation {
  return { path, range: { start: node.startIndex, end: node.endIndex } };
}

function stringList(node: Node | undefined): Known<string[]> {
  const items = sequenceItems(node);
  if (!node || (items.length === 0 && node.type !== 'list' && node.type !== 'tuple')) return 'unknown';
  const values = items.map((item) => (item.type === 'string' ? stringValue(item) : undefined));
  return values.every((v): v is string => v !== undefined) ? values : 'unknown';
}

/** `[("a", "b"), ("c",)]`, `("a", "b")` (one set) or `set()`/`None`/`[]` (none). */
function togetherSets(node: Node | undefined): Known<string[][]> {
  if (!node) return [];
  const value = literal(node);
  if (value.kind === 'none') return [];
  if (node.type === 'call' && dottedName(node.childForFieldName('function')) === 'set' && callArguments(node).positional.length === 0) return [];
  if (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'set') return 'unknown';
  const items = node.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  if (items.length === 0) return [];
  if (items.every((item) => item.type === 'string')) {
    const flat = stringList(node);
    return flat === 'unknown' ? 'unknown' : [flat];
  }
  const sets = items.map(stringList);
  return sets.some((set) => set === 'unknown') ? 'unknown' : (sets as string[][]);
}

function indexInfo(node: Node | undefined): IndexInfo | undefined {
  if (!node || node.type !== 'call') return undefined;
  const args = callArguments(node);
  const name = literal(args.keywords.get('name'));
  const fields = args.keywords.get('fields');
  return { name: name.kind === 'string' ? name.value : undefined, fields: fields ? stringList(fields) : 'unknown' };
}

/** `Q(note__isnull=False)` → `note`: the one condition PostgreSQL 12+ uses to skip SET NOT NULL's scan. */
function notNullCondition(node: Node | undefined, imports: Map<string, string>): string | undefined {
  if (node?.type !== 'call' || qualify(dottedName(node.childForFieldName('function')) ?? '', imports).split('.').pop() !== 'Q') return undefined;
  const args = callArguments(node);
  if (args.positional.length > 0 || args.keywords.size !== 1 || args.hasSplat) return undefined;
  const [[key, value]] = [...args.keywords];
  const match = /^(\w+)__isnull$/.exec(key);
  const known = literal(value);
  return match && known.kind === 'bool' && known.value === false ? match[1] : undefined;
}

function constraintInfo(node: Node | undefined, imports: Map<string, string>, validated: boolean): ConstraintInfo | undefined {
  if (!node || node.type !== 'call') return undefined;
  const kindName = qualify(dottedName(node.childForFieldName('function')) ?? '', imports).split('.').pop() ?? '';
  const kind: ConstraintKind = kindName === 'UniqueConstraint' || kindName === 'CheckConstraint' || kindName === 'ExclusionConstraint' ? kindName : 'other';
  const args = callArguments(node);
  const name = literal(args.keywords.get('name'));
  const fields = args.keywords.get('fields');
  const notNullField = kind === 'CheckConstraint' ? notNullCondition(args.keywords.get('condition') ?? args.keywords.get('check'), imports) : undefined;
  return { name: name.kind === 'string' ? name.value : undefined, kind, fields: fields ? stringList(fields) : undefined, notNullField, validated };
}

function modelOptions(node: Node | undefined, imports: Map<string, string>): ModelOptions | undefined {
  if (!node) return undefined;
  if (node.type !== 'dictionary') return { dbTable: 'unknown', uniqueTogether: 'unknown', indexTogether: 'unknown', indexes: 'unknown', constraints: 'unknown' };
  const options: ModelOptions = {};
  for (const pair of node.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = literal(pair.childForFieldName('key'));
    const value = pair.childForFieldName('value') ?? undefined;
    if (key.kind !== 'string') continue;
    switch (key.value) {
      case 'db_table': options.dbTable = stringArgument(value); break;
      case 'managed':
      case 'proxy': {
        const flag = literal(value);
        options[key.value] = flag.kind === 'bool' ? flag.value : 'unknown';
        break;
      }
      case 'unique_together': options.uniqueTogether = togetherSets(value); break;
      case 'index_together': options.indexTogether = togetherSets(value); break;
      case 'indexes': {
        const items = sequenceItems(value).map(indexInfo);
        options.indexes = items.every((i): i is IndexInfo => !!i) ? items : 'unknown';
        break;
      }
      case 'constraints': {
        const items = sequenceItems(value).map((item) => constraintInfo(item, imports, true));
        options.constraints = items.every((i): i is ConstraintInfo => !!i) ? items : 'unknown';
        break;
      }
    }
  }
  return options;
}

function literalName(node: Node | undefined): string | undefined {
  const value = literal(node);
  return value.kind === 'string' ? value.value : undefined;
}

const MODEL_BY_NAME = new Set(['CreateModel', 'DeleteModel', 'AlterModelTable', 'AlterModelTableComment', 'AlterModelOptions', 'AlterModelManagers', 'AlterUniqueTogether', 'AlterIndexTogether', 'AlterOrderWithRespectTo']);

export function summarizeOperation(migration: Migration, op: Operation): StateOperation {
  const { path, appLabel: app, imports } = migration;
  const modelNode = argument(op, MODEL_BY_NAME.has(op.kind) ? 'name' : 'model_name') ?? (op.kind === 'RenameModel' ? argument(op, 'old_name') : undefined);
  const result: StateOperation = {
    index: op.index,
    kind: op.kind,
    scope: op.scope,
    model: op.modelName ?? (op.kind === 'RenameModel' ? literalName(modelNode)?.toLowerCase() : undefined),
    modelWritten: !!modelNode,
    fieldName: op.fieldName,
    location: location(path, op.node),
  };
  switch (op.kind) {
    case 'AddField':
    case 'AlterField':
      if (op.field) result.field = fieldInfo(op.field, app);
      else result.fieldUnknown = true;
      break;
    case 'RenameField':
      result.oldName = literalName(argument(op, 'old_name'));
      result.newName = literalName(argument(op, 'new_name'));
      break;
    case 'RenameModel':
      result.oldName = literalName(argument(op, 'old_name'))?.toLowerCase();
      result.newName = literalName(argument(op, 'new_name'))?.toLowerCase();
      break;
    case 'CreateModel': {
      const fields = argument(op, 'fields');
      result.fields = sequenceItems(fields).map((pair) => {
        const [nameNode, definitionNode] = sequenceItems(pair);
        const definition = parseField(definitionNode, imports);
        return { name: literalName(nameNode) ?? '?', info: definition ? fieldInfo(definition, app) : undefined, location: location(path, pair) };
      });
      if (fields && fields.type !== 'list' && fields.type !== 'tuple') result.fieldUnknown = true;
      result.options = modelOptions(argument(op, 'options'), imports) ?? {};
      break;
    }
    case 'AlterModelOptions':
      // Only `managed` matters to the database; options left out are reset to Django's default (managed).
      result.options = { managed: modelOptions(argument(op, 'options'), imports)?.managed ?? true };
      break;
    case 'AlterModelTable': {
      const table = argument(op, 'table');
      const value = literal(table);
      result.table = !table || value.kind === 'none' ? null : value.kind === 'string' ? value.value : 'unknown';
      break;
    }
    case 'AlterUniqueTogether':
      result.together = togetherSets(argument(op, 'unique_together'));
      break;
    case 'AlterIndexTogether':
      result.together = togetherSets(argument(op, 'index_together'));
      break;
    case 'AddIndex':
    case 'AddIndexConcurrently':
      result.indexInfo = indexInfo(argument(op, 'index')) ?? { fields: 'unknown' };
      break;
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently':
    case 'RemoveConstraint':
    case 'ValidateConstraint':
      result.oldName = literalName(argument(op, 'name'));
      break;
    case 'RenameIndex':
      result.newName = literalName(argument(op, 'new_name'));
      result.oldName = literalName(argument(op, 'old_name'));
      break;
    case 'AddConstraint':
    case 'AddConstraintNotValid':
      result.constraint = constraintInfo(argument(op, 'constraint'), imports, op.kind === 'AddConstraint') ?? { kind: 'other', validated: op.kind === 'AddConstraint' };
      break;
  }
  return result;
}

function dependencyRef(path: string, dependency: Dependency): DependencyRef {
  return { app: dependency.app, name: dependency.name, swappable: dependency.swappable, location: location(path, dependency.node) };
}

/** The migration runs raw SQL: linting it needs PostgreSQL's SQL parser (base/sql-parser.ts). */
export function hasRunSql(summary: MigrationSummary | undefined): boolean {
  return !!summary && summary.operations.some((op) => op.kind === 'RunSQL');
}

/**
 * Every operation's summary, with what the database's RunSQL says of constraints: which it validates, and which
 * it adds `NOT VALID` while a state-only AddConstraint tells the state of them (the route before Django 4.0 had
 * AddConstraintNotValid): the state's constraint is then not validated either. Matched by name within the migration:
 * the table of a state-only operation's model is the replay's to know, and names are unique in practice.
 */
function summarizeOperations(migration: Migration): StateOperation[] {
  const summaries = migration.operations.map((op) => summarizeOperation(migration, op));
  const addedNotValid = new Set<string>();
  migration.operations.forEach((op, i) => {
    if (op.kind !== 'RunSQL' || op.scope === 'state' || !mayChangeConstraintValidity(op.node.text)) return;
    const validity = constraintValidity(forwardSqlTexts(op));
    if (validity.validated.length > 0) summaries[i].validatesConstraints = validity.validated;
    for (const ref of validity.addedNotValid) addedNotValid.add(ref.name);
  });
  if (addedNotValid.size === 0) return summaries;
  for (const summary of summaries) {
    const constraint = summary.constraint;
    if (summary.kind === 'AddConstraint' && summary.scope === 'state' && constraint?.name && addedNotValid.has(constraint.name)) summary.constraint = { ...constraint, validated: false };
  }
  return summaries;
}

export function summarizeMigration(migration: Migration): MigrationSummary {
  const { path } = migration;
  const nameNode = migration.classNode.childForFieldName('name') ?? migration.classNode;
  return {
    path,
    app: migration.appLabel,
    name: migration.name,
    atomic: migration.atomic,
    initial: migration.initial,
    dependencies: migration.dependencies.map((d) => dependencyRef(path, d)),
    replaces: migration.replaces.map((d) => dependencyRef(path, d)),
    runBefore: migration.runBefore.map((d) => dependencyRef(path, d)),
    // Operations past the bound were not read: one placeholder makes the app's models uncertain (see state.ts).
    operations: migration.operationsOverLimit === undefined
      ? summarizeOperations(migration)
      : [{ index: 0, kind: UNREAD_OPERATIONS, scope: 'both', modelWritten: false, location: { path, range: { start: migration.classNode.startIndex, end: nameNode.endIndex } } }],
    classLocation: { path, range: { start: migration.classNode.startIndex, end: nameNode.endIndex } },
  };
}
