// The Migration model the rules see (SPEC §2): one migration file, its class attributes and its operations,
// resolved however they were imported.
import { basename, dirname } from 'node:path';
import type { Node } from '../base/parser';
import { parseField, type FieldDefinition } from './fields';
import { callArguments, dottedName, importMap, literal, qualify, sequenceItems, stringValue, type CallArguments } from './syntax';
import { own } from './own';
import { allOf, negate, vendorTest, type VendorTest } from './vendor';
import type { Database } from '../config/defaults';

/** Modules whose classes are migration operations. */
const OPERATION_MODULES = new Set([
  'django.db.migrations',
  'django.db.migrations.operations',
  'django.db.migrations.operations.fields',
  'django.db.migrations.operations.models',
  'django.db.migrations.operations.special',
  'django.contrib.postgres.operations',
  'django_migration_linter',
  'django_migration_linter.operations',
  // django-add-default-value: `AddDefaultValue(model_name=…, name=…, value=…)` sets a column's database default.
  'django_add_default_value',
  'django_add_default_value.add_default_value',
]);

/** Django's positional parameter order, so `AddField("order", "note", field)` reads like keywords. */
const PARAMETERS: Record<string, string[]> = {
  CreateModel: ['name', 'fields', 'options', 'bases', 'managers'],
  DeleteModel: ['name'],
  RenameModel: ['old_name', 'new_name'],
  AlterModelTable: ['name', 'table'],
  AlterModelTableComment: ['name', 'table_comment'],
  AlterModelOptions: ['name', 'options'],
  AlterModelManagers: ['name', 'managers'],
  AlterUniqueTogether: ['name', 'unique_together'],
  AlterIndexTogether: ['name', 'index_together'],
  AlterOrderWithRespectTo: ['name', 'order_with_respect_to'],
  AddField: ['model_name', 'name', 'field', 'preserve_default'],
  AlterField: ['model_name', 'name', 'field', 'preserve_default'],
  RemoveField: ['model_name', 'name'],
  RenameField: ['model_name', 'old_name', 'new_name'],
  AddIndex: ['model_name', 'index'],
  AddIndexConcurrently: ['model_name', 'index'],
  RemoveIndex: ['model_name', 'name'],
  RemoveIndexConcurrently: ['model_name', 'name'],
  RenameIndex: ['model_name', 'new_name', 'old_name', 'old_fields'],
  AddConstraint: ['model_name', 'constraint'],
  AddConstraintNotValid: ['model_name', 'constraint'],
  RemoveConstraint: ['model_name', 'name'],
  ValidateConstraint: ['model_name', 'name'],
  RunPython: ['code', 'reverse_code', 'atomic', 'hints', 'elidable'],
  RunSQL: ['sql', 'reverse_sql', 'state_operations', 'hints', 'elidable'],
  SeparateDatabaseAndState: ['database_operations', 'state_operations'],
  AddDefaultValue: ['model_name', 'name', 'value'],
};

/** Operations whose model is named by `name` rather than `model_name`. */
const MODEL_BY_NAME = new Set([
  'CreateModel', 'DeleteModel', 'AlterModelTable', 'AlterModelTableComment', 'AlterModelOptions',
  'AlterModelManagers', 'AlterUniqueTogether', 'AlterIndexTogether', 'AlterOrderWithRespectTo',
]);

/** Where an operation acts: top-level operations change both; `SeparateDatabaseAndState` splits them. */
export type OperationScope = 'both' | 'database' | 'state';

export interface Operation {
  /** `AddField`, `RunPython`…; empty for a call we cannot resolve to a Django operation. */
  kind: string;
  /** Position in `Migration.operations` (source order, nested operations included). */
  index: number;
  qualifiedName: string;
  /** The call node: `migrations.AddIndex(...)`. */
  node: Node;
  callee: Node;
  args: CallArguments;
  scope: OperationScope;
  parent?: Operation;
  /** Lower-cased model name, when written as a literal. */
  modelName?: string;
  /** Field name of AddField/AlterField/RemoveField/AddDefaultValue, when written as a literal. */
  fieldName?: string;
  /** Parsed `field=` of AddField/AlterField. */
  field?: FieldDefinition;
}

export interface Dependency {
  node: Node;
  app?: string;
  name?: string;
  /** `swappable_dependency(settings.AUTH_USER_MODEL)` */
  swappable: boolean;
}

export type DeployStage = 'before-deploy' | 'after-deploy' | 'always';

export interface Migration {
  path: string;
  appLabel: string;
  name: string;
  classNode: Node;
  /** The class body block, for inserting attributes. */
  body: Node;
  imports: Map<string, string>;
  /** Known value, or 'unknown' when `atomic` is set to something we cannot evaluate. */
  atomic: boolean | 'unknown';
  atomicNode?: Node;
  initial: boolean;
  dependencies: Dependency[];
  replaces: Dependency[];
  runBefore: Dependency[];
  /** Every operation in source order, nested ones (inside `SeparateDatabaseAndState`) included. */
  operations: Operation[];
  /** django-migration-linter's `IgnoreMigration()` is among the operations. */
  ignoredByLinter: boolean;
  /** Models created by a `CreateModel` of this migration (database side): lower-cased name → what we know. */
  createdModels: Map<string, { index: number; dbTable?: string }>;
  /**
   * When the migration runs relative to the code's deploy, as the ecosystem marks it: django-safemigrate's
   * `safe = Safe.before_deploy()` / `Safe.after_deploy()` / `Safe.always()`, django-syzygy's
   * `stage = Stage.PRE_DEPLOY` / `Stage.POST_DEPLOY`. Undefined when unmarked (Django runs it before the new code).
   */
  deployStage?: DeployStage;
  /** More operations than MAX_OPERATIONS: none were read (`operations` is empty); how many the list has. */
  operationsOverLimit?: number;
}

/**
 * The work bound per migration file. The largest real migrations (squashed histories of netbox, wagtail, saleor)
 * have about 200 operations; a generated file of 65,000 `AddField` took 16 s and 1 GB to analyse, and each
 * `AddIndex`/`AddConstraint` copies its model's list (5,000 on one model: 12.5 million entries kept). Past the
 * bound, the file gets one message and its operations are not read (what they do to the state is unknown).
 */
export const MAX_OPERATIONS = 5_000;

export function argument(op: Operation, name: string): Node | undefined {
  const keyword = op.args.keywords.get(name);
  if (keyword) return keyword;
  const position = own(PARAMETERS, op.kind)?.indexOf(name) ?? -1;
  return position >= 0 ? op.args.positional[position] : undefined;
}

/** The operation whose call spans exactly `range` (where operation rules report), if any. */
export function operationAt(migration: Migration, range: { start: number; end: number }): Operation | undefined {
  return migration.operations.find((op) => op.node.startIndex === range.start && op.node.endIndex === range.end);
}

/** Operations of the given kinds that touch the database (not `state_operations`). */
export function databaseOperations(migration: Migration, ...kinds: string[]): Operation[] {
  return migration.operations.filter((op) => op.scope !== 'state' && (kinds.length === 0 || kinds.includes(op.kind)));
}

/** Django operations (and `RunSQL`) of a migration that run on the database, in order. */
export function forwardOperations(migration: Migration): Operation[] {
  return databaseOperations(migration).filter((op) => op.kind !== 'SeparateDatabaseAndState');
}

/**
 * django-add-default-value's `AddDefaultValue` of the same field later in this migration (on the database): the
 * column ends the migration with a database default, so inserts that omit it (the old code's) get that value.
 */
export function defaultAddedLater(migration: Migration, op: Operation): boolean {
  return migration.operations.some((later) => later.kind === 'AddDefaultValue' && later.scope !== 'state' && later.index > op.index
    && later.modelName === op.modelName && later.fieldName === op.fieldName && op.fieldName !== undefined);
}

/** A model created earlier in the same migration has a new, empty table: nothing on it can block anyone. */
export function isNewTable(migration: Migration, op: Operation): boolean {
  const created = op.modelName ? migration.createdModels.get(op.modelName) : undefined;
  return created !== undefined && created.index < op.index;
}

/** The table Django gives the model (`app_model`), or the `db_table` set by a `CreateModel` of this migration. */
export function tableName(migration: Migration, modelName: string | undefined): string {
  if (!modelName) return `${migration.appLabel}_?`;
  return migration.createdModels.get(modelName)?.dbTable ?? `${migration.appLabel}_${modelName}`;
}

function optionsDbTable(op: Operation): string | undefined {
  const options = argument(op, 'options');
  for (const pair of options?.type === 'dictionary' ? options.namedChildren : []) {
    if (pair?.type !== 'pair') continue;
    const key = literal(pair.childForFieldName('key'));
    const value = literal(pair.childForFieldName('value'));
    if (key.kind === 'string' && key.value === 'db_table' && value.kind === 'string') return value.value;
  }
  return undefined;
}

/** `shop_order.note`, for messages. */
export function columnName(migration: Migration, op: Operation): string {
  return `${tableName(migration, op.modelName)}.${op.fieldName ?? '?'}`;
}

export function isMigrationPath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  return /(^|\/)migrations\/[^/]+\.py$/.test(normalized) && basename(normalized) !== '__init__.py';
}

function findMigrationClass(root: Node): Node | undefined {
  for (const statement of root.namedChildren) {
    const klass = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (klass?.type !== 'class_definition' || klass.childForFieldName('name')?.text !== 'Migration') continue;
    const bases = klass.childForFieldName('superclasses');
    const inherits = (bases?.namedChildren ?? []).some((base) => /(^|\.)\w*Migration$/.test(dottedName(base) ?? ''));
    if (inherits) return klass;
  }
  return undefined;
}

const SAFEMIGRATE_STAGES: Record<string, DeployStage> = { before_deploy: 'before-deploy', after_deploy: 'after-deploy', always: 'always' };
const SYZYGY_STAGES: Record<string, DeployStage> = { PRE_DEPLOY: 'before-deploy', POST_DEPLOY: 'after-deploy' };

/**
 * `Safe.after_deploy()`, `Safe.after_deploy(delay=timedelta(days=7))`, `Safe.after_deploy` (older releases) from
 * `django_safemigrate`; `Stage.POST_DEPLOY` from `syzygy` (or `syzygy.constants`). Resolved through the imports,
 * so an unrelated `Safe` or `Stage` class is not taken for them.
 */
function deployStage(value: Node, imports: Map<string, string>): DeployStage | undefined {
  const expression = value.type === 'call' ? value.childForFieldName('function') : value;
  const qualified = qualify(dottedName(expression) ?? '', imports).split('.');
  const [member, owner] = [qualified.pop() ?? '', qualified.pop()];
  const module = qualified.join('.');
  if (owner === 'Safe' && module === 'django_safemigrate') return own(SAFEMIGRATE_STAGES, member);
  if (owner === 'Stage' && (module === 'syzygy' || module === 'syzygy.constants') && value.type !== 'call') return own(SYZYGY_STAGES, member);
  return undefined;
}

function parseDependency(node: Node): Dependency {
  if (node.type === 'call') {
    const callee = dottedName(node.childForFieldName('function')) ?? '';
    return { node, swappable: callee.endsWith('swappable_dependency') };
  }
  const items = sequenceItems(node);
  const app = items[0]?.type === 'string' ? stringValue(items[0]) : undefined;
  const name = items[1]?.type === 'string' ? stringValue(items[1]) : undefined;
  return { node, app, name, swappable: false };
}

function resolveOperation(call: Node, imports: Map<string, string>, scope: OperationScope, parent?: Operation): Operation {
  const callee = call.childForFieldName('function')!;
  const qualifiedName = qualify(dottedName(callee) ?? '', imports);
  const dot = qualifiedName.lastIndexOf('.');
  const kind = dot > 0 && OPERATION_MODULES.has(qualifiedName.slice(0, dot)) ? qualifiedName.slice(dot + 1) : '';
  const args = callArguments(call);
  const op: Operation = { kind, index: -1, qualifiedName, node: call, callee, args, scope, parent };
  const model = argument(op, MODEL_BY_NAME.has(kind) ? 'name' : 'model_name');
  const modelLiteral = literal(model);
  if (modelLiteral.kind === 'string' && kind) op.modelName = modelLiteral.value.toLowerCase();
  if (kind === 'AddField' || kind === 'AlterField') op.field = parseField(argument(op, 'field'), imports);
  if (kind === 'AddField' || kind === 'AlterField' || kind === 'RemoveField' || kind === 'AddDefaultValue') {
    const fieldName = literal(argument(op, 'name'));
    if (fieldName.kind === 'string') op.fieldName = fieldName.value;
  }
  return op;
}

/**
 * The list literals an `operations` value is made of, every branch read: `[…] if X else […]`, `[…] + […]`,
 * parentheses (projects that support several Django versions choose operations so).
 */
function operationLists(value: Node | null | undefined, names: ReadonlyMap<string, Node> = new Map(), seen = new Set<string>()): Node[] {
  if (!value) return [];
  switch (value.type) {
    case 'identifier': {
      // `SeparateDatabaseAndState(state_operations=state_operations)`: a list assigned to a name in the class or
      // the module (saleor writes its moved models so).
      const assigned = names.get(value.text);
      if (!assigned || seen.has(value.text)) return [];
      return operationLists(assigned, names, new Set([...seen, value.text]));
    }
    case 'conditional_expression': {
      const [consequence, , alternative] = value.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
      return [...operationLists(consequence, names, seen), ...operationLists(alternative, names, seen)];
    }
    case 'binary_operator':
      return value.childForFieldName('operator')?.type === '+' ? [...operationLists(value.childForFieldName('left'), names, seen), ...operationLists(value.childForFieldName('right'), names, seen)] : [];
    case 'parenthesized_expression': {
      const inner = value.namedChildren.find((child) => !!child && child.type !== 'comment');
      return inner && inner.type !== 'call' && inner.type !== 'string' ? operationLists(inner, names, seen) : [value];
    }
    default:
      return [value];
  }
}

/** What names mean in a migration file: its imports, and lists assigned to names in the module or the class. */
interface Names {
  imports: Map<string, string>;
  lists: ReadonlyMap<string, Node>;
}

function collectOperations(list: Node | undefined, names: Names, scope: OperationScope, parent: Operation | undefined, into: Operation[]): void {
  for (const listNode of operationLists(list, names.lists)) collectListOperations(listNode, names, scope, parent, into);
}

function collectListOperations(list: Node, names: Names, scope: OperationScope, parent: Operation | undefined, into: Operation[]): void {
  collectItems(sequenceItems(list), names, scope, parent, into);
}

function collectItems(items: Node[], names: Names, scope: OperationScope, parent: Operation | undefined, into: Operation[]): void {
  const { imports } = names;
  for (const item of items) {
    if (item.type !== 'call') continue;
    if (into.length >= MAX_OPERATIONS) throw new TooManyOperations();
    const op = resolveOperation(item, imports, scope, parent);
    op.index = into.length;
    into.push(op);
    if (op.kind === 'SeparateDatabaseAndState') {
      // Nested operations inherit a state-only scope from above; otherwise they take their own list's.
      collectOperations(argument(op, 'database_operations'), names, scope === 'state' ? 'state' : 'database', op, into);
      collectOperations(argument(op, 'state_operations'), names, 'state', op, into);
    }
    if (op.kind === 'RunSQL') collectOperations(argument(op, 'state_operations'), names, 'state', op, into);
  }
}

/**
 * The expression statements of the class body, those inside `if`/`else`, `try`/`except` and `with` blocks too,
 * in source order: every branch is read, as settings are, except a branch that runs only on another database
 * vendor (`if connection.vendor == "mysql":`, `elif … != "postgresql"`, the `else` of `== "postgresql"`).
 */
function classStatements(block: Node, database: string): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'expression_statement') found.push(child);
      else if (child.type === 'if_statement') visitIf(child);
      else if (child.type === 'block' || BRANCHING.has(child.type)) visit(child);
    }
  };
  const visitIf = (statement: Node) => {
    // Each branch runs when its own condition holds and none of the earlier ones did.
    const earlier: VendorTest[] = [];
    for (const branch of [statement, ...statement.childrenForFieldName('alternative')]) {
      if (!branch) continue;
      const condition = branch.type === 'else_clause' ? undefined : vendorTest(branch.childForFieldName('condition'));
      const runs = allOf([...earlier.map(negate), ...(condition ? [condition] : [])]);
      if (condition) earlier.push(condition);
      const body = branch.childForFieldName(branch.type === 'else_clause' ? 'body' : 'consequence');
      if (body && runs(database) !== false) visit(body);
    }
  };
  visit(block);
  return found;
}

const BRANCHING = new Set(['try_statement', 'with_statement', 'elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause']);

class TooManyOperations extends Error {}

/** `operations.append(op)` (one operation), `operations.extend(list)` or `operations += list`. */
function addedOperations(statement: Node): { kind: 'one' | 'list'; value: Node } | undefined {
  if (statement.type === 'augmented_assignment') {
    const value = statement.childForFieldName('right');
    const plus = statement.childForFieldName('operator')?.type === '+=';
    return plus && statement.childForFieldName('left')?.text === 'operations' && value ? { kind: 'list', value } : undefined;
  }
  if (statement.type !== 'call') return undefined;
  const method = dottedName(statement.childForFieldName('function'));
  const args = callArguments(statement);
  const [value] = args.positional;
  if (args.positional.length !== 1 || args.keywords.size > 0) return undefined;
  if (method === 'operations.append' && value.type === 'call') return { kind: 'one', value };
  if (method === 'operations.extend') return { kind: 'list', value };
  return undefined;
}

/** Operation calls in a list, nested ones included (counted without building them). */
function countOperations(list: Node | undefined): number {
  let count = 0;
  for (const item of sequenceItems(list)) {
    if (item.type !== 'call') continue;
    count++;
    for (const nested of item.childForFieldName('arguments')?.namedChildren ?? []) {
      const value = nested?.type === 'keyword_argument' ? nested.childForFieldName('value') : undefined;
      if (value?.type === 'list' || value?.type === 'tuple') count += countOperations(value);
    }
  }
  return count;
}

/**
 * Builds the model for a migration file, or undefined when the file defines no `class Migration(...Migration)`.
 * `database` is the vendor linted (the config's `database`): class-body branches for other vendors are skipped.
 */
export function parseMigration(path: string, root: Node, appLabel?: string, database: Database = 'postgresql'): Migration | undefined {
  const classNode = findMigrationClass(root);
  const body = classNode?.childForFieldName('body');
  if (!classNode || !body) return undefined;
  const imports = importMap(root);
  const normalized = path.replace(/\\/g, '/');
  const migration: Migration = {
    path,
    appLabel: appLabel ?? basename(dirname(dirname(normalized))),
    name: basename(normalized).replace(/\.py$/, ''),
    classNode,
    body,
    imports,
    atomic: true,
    initial: false,
    dependencies: [],
    replaces: [],
    runBefore: [],
    operations: [],
    ignoredByLinter: false,
    createdModels: new Map(),
  };
  const statements = classStatements(body, database);
  // Names assigned in the module, then in the class body (which wins): lists the operations may name.
  const lists = new Map<string, Node>();
  for (const statement of [...root.namedChildren, ...statements]) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const value = assignment?.childForFieldName('right');
    if (target?.type === 'identifier' && value) lists.set(target.text, value);
  }
  for (const statement of statements) {
    const assignment = statement.namedChild(0);
    const added = assignment ? addedOperations(assignment) : undefined;
    if (added) {
      // `operations.append(…)`, `.extend([…])`, `operations += […]` in the class body (wagtail builds its lists so).
      try {
        if (added.kind === 'list') collectOperations(added.value, { imports, lists }, 'both', undefined, migration.operations);
        else collectItems([added.value], { imports, lists }, 'both', undefined, migration.operations);
      } catch (error) {
        if (!(error instanceof TooManyOperations)) throw error;
        migration.operationsOverLimit = MAX_OPERATIONS + 1;
        migration.operations = [];
      }
      continue;
    }
    if (assignment?.type !== 'assignment') continue;
    const target = assignment.childForFieldName('left')?.text;
    const value = assignment.childForFieldName('right');
    if (!value) continue;
    switch (target) {
      case 'atomic': {
        const known = literal(value);
        migration.atomic = known.kind === 'bool' ? known.value : 'unknown';
        migration.atomicNode = assignment;
        break;
      }
      case 'initial': {
        const known = literal(value);
        migration.initial = known.kind === 'bool' && known.value;
        break;
      }
      case 'dependencies':
        // Every branch (`if django.VERSION …: dependencies = […] else: …`) adds its dependencies.
        migration.dependencies.push(...operationLists(value).flatMap(sequenceItems).map(parseDependency));
        break;
      case 'replaces':
        migration.replaces = sequenceItems(value).map(parseDependency);
        break;
      case 'run_before':
        migration.runBefore = sequenceItems(value).map(parseDependency);
        break;
      case 'safe':
      case 'stage':
        migration.deployStage = deployStage(value, imports) ?? migration.deployStage;
        break;
      case 'operations':
        try {
          collectOperations(value, { imports, lists }, 'both', undefined, migration.operations);
        } catch (error) {
          if (!(error instanceof TooManyOperations)) throw error;
          migration.operationsOverLimit = countOperations(value);
          migration.operations = [];
        }
        break;
    }
  }
  migration.ignoredByLinter = migration.operations.some((op) => op.kind === 'IgnoreMigration');
  for (const op of migration.operations) {
    if (op.kind === 'CreateModel' && op.scope !== 'state' && op.modelName && !migration.createdModels.has(op.modelName)) {
      migration.createdModels.set(op.modelName, { index: op.index, dbTable: optionsDbTable(op) });
    }
  }
  return migration;
}
