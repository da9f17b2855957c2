// The Python code behind a `RunPython`: which function is passed (a `def` of the migration module or of the
// `Migration` class body, a lambda, `RunPython.noop`), its parameters, the names it binds, the models it
// touches and the querysets it builds. Functions imported from elsewhere are unknown: rules stay silent.
import type { Node } from '../base/parser';
import { argument, type Migration, type Operation } from './migration';
import { callArguments, dottedName, literal, qualify } from './syntax';
import { Memo } from '../base/memo';

export interface PythonFunction {
  kind: 'def' | 'lambda' | 'noop';
  /** `function_definition`, `lambda`, or the `RunPython.noop` expression. */
  node: Node;
  /** `fill_status`, `lambda` or `RunPython.noop`, for messages. */
  name: string;
  parameters?: Node;
  /** The `block` of a def, the expression of a lambda. */
  body?: Node;
  /** A decorator may change what is called: its signature is not known. */
  decorated: boolean;
}

type Binding = PythonFunction | 'unknown';

const bindingsCache = new Memo<Migration, Map<string, Binding>>();

function moduleRoot(node: Node): Node {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

/** Every name a statement list binds, with what we know of it (later bindings win, as at run time). */
function bindStatements(statements: (Node | null)[], into: Map<string, Binding>): void {
  for (const statement of statements) {
    if (!statement) continue;
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition') {
      const name = definition.childForFieldName('name')?.text;
      const body = definition.childForFieldName('body');
      if (name && body) {
        into.set(name, { kind: 'def', node: definition, name, parameters: definition.childForFieldName('parameters') ?? undefined, body, decorated: definition !== statement });
      }
    } else if (definition?.type === 'class_definition') {
      const name = definition.childForFieldName('name')?.text;
      if (name) into.set(name, 'unknown');
    } else if (statement.type === 'import_statement' || statement.type === 'import_from_statement') {
      for (const name of importedNames(statement).keys()) into.set(name, 'unknown');
    } else if (statement.type === 'expression_statement') {
      const assignment = statement.namedChild(0);
      if (assignment?.type !== 'assignment') continue;
      const value = assignment.childForFieldName('right');
      for (const name of targetNames(assignment.childForFieldName('left'))) {
        into.set(name, value?.type === 'lambda' && assignment.childForFieldName('left')?.type === 'identifier' ? lambdaFunction(value) : 'unknown');
      }
    }
  }
}

/** `..` + `models` → `..models`; `shop` + `models` → `shop.models`. */
function join(module: string, name: string): string {
  return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
}

/** Local name → qualified name for one import statement (`importMap` reads the module's top level only). */
function importedNames(statement: Node): Map<string, string> {
  const names = new Map<string, string>();
  const module = statement.childForFieldName('module_name')?.text;
  const items = statement.type === 'import_statement' ? statement.namedChildren : statement.childrenForFieldName('name');
  for (const item of items) {
    if (item?.type === 'dotted_name') {
      if (statement.type === 'import_statement') names.set(item.text.split('.')[0], item.text.split('.')[0]);
      else if (module) names.set(item.text, join(module, item.text));
    } else if (item?.type === 'aliased_import') {
      const source = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (source && alias) names.set(alias, module && statement.type === 'import_from_statement' ? join(module, source) : source);
    }
  }
  return names;
}

function lambdaFunction(node: Node): PythonFunction {
  return { kind: 'lambda', node, name: 'lambda', parameters: node.childForFieldName('parameters') ?? undefined, body: node.childForFieldName('body') ?? undefined, decorated: false };
}

/** Module-level names, overridden by the `Migration` class body's (the `operations` list is evaluated there). */
function moduleBindings(migration: Migration): Map<string, Binding> {
  let bindings = bindingsCache.get(migration);
  if (!bindings) {
    bindings = new Map();
    bindStatements(moduleRoot(migration.classNode).namedChildren, bindings);
    bindStatements(migration.body.namedChildren, bindings);
    bindingsCache.set(migration, bindings);
  }
  return bindings;
}

/** What `RunPython(<expr>)` calls, or undefined when it cannot be known (imported, built at run time). */
export function resolveFunction(migration: Migration, expr: Node | undefined): PythonFunction | undefined {
  if (!expr) return undefined;
  if (expr.type === 'parenthesized_expression') return resolveFunction(migration, expr.namedChild(0) ?? undefined);
  if (expr.type === 'lambda') return lambdaFunction(expr);
  const name = dottedName(expr);
  if (!name) return undefined;
  if (qualify(name, migration.imports).endsWith('RunPython.noop')) return { kind: 'noop', node: expr, name: 'RunPython.noop', decorated: false };
  if (expr.type !== 'identifier') return undefined;
  const binding = moduleBindings(migration).get(name);
  return binding && binding !== 'unknown' ? binding : undefined;
}

export interface RunPythonCode {
  forward?: PythonFunction;
  reverse?: PythonFunction;
}

/** Per `RunPython` operation, its functions: resolved once for the rules that read them (MG303, MG304, MG306). */
const codeCache = new Memo<Operation, RunPythonCode>();

/** The forward and reverse functions of a `RunPython` operation, as far as they can be resolved. */
export function runPythonCode(migration: Migration, op: Operation): RunPythonCode {
  const cached = codeCache.get(op);
  if (cached) return cached;
  const reverse = argument(op, 'reverse_code');
  const code: RunPythonCode = {
    forward: resolveFunction(migration, argument(op, 'code')),
    reverse: reverse && literal(reverse).kind !== 'none' ? resolveFunction(migration, reverse) : undefined,
  };
  codeCache.set(op, code);
  return code;
}

// --- Signature ---------------------------------------------------------------------------------------------

export interface Signature {
  /** Parameter names in order, `*args`/`**kwargs` included as written. */
  written: string[];
  requiredPositional: number;
  optionalPositional: number;
  varArgs: boolean;
  requiredKeywordOnly: string[];
}

/** Per function (its node: the same object each time it is read), its signature, read once for MG303 and MG304. */
const signatureCache = new Memo<Node, Signature>();

/** The parameters of a def or lambda; undefined for `RunPython.noop` and decorated functions. */
export function signature(fn: PythonFunction): Signature | undefined {
  if (fn.kind === 'noop' || fn.decorated) return undefined;
  let cached = signatureCache.get(fn.node);
  if (!cached) signatureCache.set(fn.node, (cached = readSignature(fn)));
  return cached;
}

function readSignature(fn: PythonFunction): Signature {
  const result: Signature = { written: [], requiredPositional: 0, optionalPositional: 0, varArgs: false, requiredKeywordOnly: [] };
  let keywordOnly = false;
  for (const parameter of fn.parameters?.namedChildren ?? []) {
    if (!parameter || parameter.type === 'comment') continue;
    switch (parameter.type) {
      case 'positional_separator':
        result.written.push('/');
        break;
      case 'keyword_separator':
        keywordOnly = true;
        result.written.push('*');
        break;
      case 'list_splat_pattern':
        keywordOnly = true;
        result.varArgs = true;
        result.written.push(parameter.text);
        break;
      case 'dictionary_splat_pattern':
        result.written.push(parameter.text);
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        if (!keywordOnly) result.optionalPositional++;
        result.written.push(parameter.childForFieldName('name')?.text ?? parameter.text);
        break;
      default: {
        // identifier, typed_parameter (`apps: Apps`, `*args: Any`), tuple_pattern: a required parameter.
        const inner = parameter.type === 'typed_parameter' ? parameter.namedChild(0) : parameter;
        if (inner?.type === 'list_splat_pattern') {
          keywordOnly = true;
          result.varArgs = true;
          result.written.push(inner.text);
          break;
        }
        if (inner?.type === 'dictionary_splat_pattern') {
          result.written.push(inner.text);
          break;
        }
        const name = inner?.text ?? parameter.text;
        if (keywordOnly) result.requiredKeywordOnly.push(name);
        else result.requiredPositional++;
        result.written.push(name);
      }
    }
  }
  return result;
}

/** Django calls `code(apps, schema_editor)`: two positional arguments. */
export function acceptsTwoPositional(sig: Signature): boolean {
  return sig.requiredKeywordOnly.length === 0 && sig.requiredPositional <= 2 && (sig.varArgs || sig.requiredPositional + sig.optionalPositional >= 2);
}

/** `pass`, a docstring, `...` or a bare `return`: nothing runs. */
export function doesNothing(fn: PythonFunction): boolean {
  if (fn.kind === 'noop') return true;
  if (!fn.body) return false;
  if (fn.kind === 'lambda') return fn.body.type === 'none' || fn.body.type === 'ellipsis';
  return fn.body.namedChildren.every((statement) => {
    if (!statement || statement.type === 'comment' || statement.type === 'pass_statement') return true;
    if (statement.type === 'return_statement') {
      const value = statement.namedChild(0);
      return !value || value.type === 'none';
    }
    if (statement.type === 'expression_statement') {
      const expression = statement.namedChild(0);
      return statement.namedChildCount === 1 && (expression?.type === 'string' || expression?.type === 'ellipsis');
    }
    return false;
  });
}

// --- Names inside a function -------------------------------------------------------------------------------

/** Identifiers bound by an assignment target (`a`, `a, b`, `[a, *rest]`); attributes and subscripts bind none. */
function targetNames(target: Node | null | undefined): string[] {
  if (!target) return [];
  switch (target.type) {
    case 'identifier':
      return [target.text];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'as_pattern_target':
      return target.namedChildren.flatMap((child) => targetNames(child));
    default:
      return [];
  }
}

export interface FunctionScope {
  fn: PythonFunction;
  /** Local name → qualified name, for names imported at module level or inside the function. */
  imports: Map<string, string>;
  /** Names the function binds itself (parameters, assignments, loops…), which hide module-level imports. */
  locals: Set<string>;
  /** Right-hand sides of `name = value` in the function, per name. */
  assignments: Map<string, Node[]>;
}

const scopeCache = new Memo<Node, FunctionScope>();
/** Nodes that bind a name in a function. */
const BINDING_NODES = [
  'import_statement', 'import_from_statement', 'global_statement', 'nonlocal_statement', 'assignment', 'augmented_assignment',
  'for_statement', 'for_in_clause', 'named_expression', 'as_pattern_target', 'function_definition', 'class_definition',
];
const importsCache = new Memo<Migration, Map<string, string>>();

/** Like `Migration.imports`, but `from .. import models` reads `..models` (relative imports kept apart). */
function moduleImports(migration: Migration): Map<string, string> {
  let imports = importsCache.get(migration);
  if (!imports) {
    imports = new Map();
    for (const statement of moduleRoot(migration.classNode).namedChildren) {
      if (statement?.type === 'import_statement' || statement?.type === 'import_from_statement') {
        for (const [name, qualified] of importedNames(statement)) imports.set(name, qualified);
      }
    }
    importsCache.set(migration, imports);
  }
  return imports;
}

export function functionScope(migration: Migration, fn: PythonFunction): FunctionScope {
  const cached = scopeCache.get(fn.node);
  if (cached) return cached;
  const scope: FunctionScope = { fn, imports: new Map(moduleImports(migration)), locals: new Set(), assignments: new Map() };
  const localImports = new Map<string, string>();
  const globals = new Set<string>();
  for (const written of signature({ ...fn, decorated: false })?.written ?? []) {
    const name = written.replace(/^\*+/, '');
    if (/^\w+$/.test(name)) scope.locals.add(name);
  }
  // descendantsOfType walks inside wasm: much cheaper than visiting every node from JS.
  for (const node of fn.body?.descendantsOfType(BINDING_NODES) ?? []) {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        for (const [name, qualified] of importedNames(node)) localImports.set(name, qualified);
        break;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const name of node.namedChildren) if (name?.type === 'identifier') globals.add(name.text);
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        for (const name of targetNames(left)) scope.locals.add(name);
        if (left?.type === 'identifier' && right) scope.assignments.set(left.text, [...(scope.assignments.get(left.text) ?? []), right]);
        break;
      }
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        for (const name of targetNames(node.childForFieldName('left'))) scope.locals.add(name);
        break;
      case 'named_expression':
        for (const name of targetNames(node.childForFieldName('name'))) scope.locals.add(name);
        break;
      case 'as_pattern_target':
        for (const name of targetNames(node)) scope.locals.add(name);
        break;
      default: {
        // function_definition, class_definition
        const name = node.childForFieldName('name')?.text;
        if (name) scope.locals.add(name);
      }
    }
  }
  for (const name of globals) scope.locals.delete(name);
  for (const name of scope.locals) scope.imports.delete(name);
  for (const [name, qualified] of localImports) {
    scope.imports.set(name, qualified);
    scope.locals.delete(name);
  }
  scopeCache.set(fn.node, scope);
  return scope;
}

/** Resolves `models.Order` through the imports visible in the function; undefined for anything local. */
export function qualifiedInScope(scope: FunctionScope, node: Node | null | undefined): string | undefined {
  const name = dottedName(node);
  if (!name) return undefined;
  const head = name.split('.')[0];
  return scope.imports.has(head) ? qualify(name, scope.imports) : undefined;
}

// --- Models ------------------------------------------------------------------------------------------------

/** Attributes that only a model class has: using one means the code works with that class. */
const MODEL_ATTRIBUTES = new Set(['objects', '_default_manager', '_base_manager', '_meta', 'DoesNotExist', 'MultipleObjectsReturned']);
/** A quick look at the source before walking the tree. */
const MODEL_ATTRIBUTE_TEXT = /\.(objects|_default_manager|_base_manager|_meta|DoesNotExist|MultipleObjectsReturned)\b/;

export interface ImportedModel {
  /** As written in the function: `Order`, `models.Order`. */
  written: string;
  /** `Order` */
  className: string;
  /** `shop.models`, or `..models` for a relative import. */
  module: string;
  /** The app label to pass to `apps.get_model`. */
  app: string;
  node: Node;
}

/** Where `models` sits in a dotted path of an app's models module; -1 for none or for `django.db.models`. */
function modelsModuleIndex(parts: string[]): number {
  const at = parts.lastIndexOf('models');
  return at > 0 && parts[at - 1] === 'db' ? -1 : at;
}

const importsModelsCache = new Memo<Migration, boolean>();

/** The module imports something from (or the whole of) an app's models module. */
function importsModels(migration: Migration): boolean {
  let result = importsModelsCache.get(migration);
  if (result === undefined) {
    result = [...moduleImports(migration).values()].some((qualified) => modelsModuleIndex(qualified.replace(/^\.+/, '').split('.')) >= 0);
    importsModelsCache.set(migration, result);
  }
  return result;
}

/**
 * A model class imported from a `models` module (`shop.models`, `..models`, `django.contrib.auth.models`),
 * not `django.db.models` (fields, `Q`, `F`…).
 */
export function importedModel(qualified: string, appLabel: string): Omit<ImportedModel, 'written' | 'node'> | undefined {
  const relative = qualified.startsWith('.');
  const parts = qualified.replace(/^\.+/, '').split('.');
  const className = parts.pop();
  if (!className || !/^[A-Z]/.test(className)) return undefined;
  const at = modelsModuleIndex(parts);
  if (at < 0) return undefined;
  const module = qualified.slice(0, qualified.length - className.length - 1);
  return { className, module, app: relative || at === 0 ? appLabel : parts[at - 1] };
}

/** Real model classes the function uses (`Order.objects…`) that come from an import, not from `apps.get_model`. */
export function importedModelsUsed(migration: Migration, fn: PythonFunction): ImportedModel[] {
  if (!fn.body) return [];
  const text = fn.body.text;
  if (!MODEL_ATTRIBUTE_TEXT.test(text) || (!importsModels(migration) && !/\bimport\b/.test(text))) return [];
  const scope = functionScope(migration, fn);
  const found: ImportedModel[] = [];
  for (const node of fn.body.descendantsOfType('attribute')) {
    if (!MODEL_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '')) continue;
    const object = node.childForFieldName('object');
    const qualified = qualifiedInScope(scope, object);
    const model = qualified ? importedModel(qualified, migration.appLabel) : undefined;
    if (model && object && !found.some((known) => known.written === object.text)) found.push({ ...model, written: object.text, node: object });
  }
  return found;
}

/** `apps.get_model("shop", "Order")` or `apps.get_model("shop.Order")` → app and model name. */
export function getModelCall(node: Node | null | undefined): { app: string; model: string } | undefined {
  if (node?.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'get_model') return undefined;
  const args = callArguments(node);
  const first = literal(args.positional[0] ?? args.keywords.get('app_label'));
  const second = literal(args.positional[1] ?? args.keywords.get('model_name'));
  if (first.kind !== 'string') return undefined;
  if (second.kind === 'string') return { app: first.value, model: second.value };
  const [app, model] = first.value.split('.');
  return model && second.kind === 'unknown' && !args.positional[1] ? { app, model } : undefined;
}

/** The only value a local name is assigned in the function, if it is assigned exactly once. */
export function singleAssignment(scope: FunctionScope, node: Node | null | undefined): Node | undefined {
  if (node?.type !== 'identifier') return undefined;
  const values = scope.assignments.get(node.text);
  return values?.length === 1 ? values[0] : undefined;
}

/** The model behind `X` in `X.objects`: a `get_model` call, directly or through a local variable. */
export function modelOf(scope: FunctionScope, node: Node | null | undefined): { app: string; model: string } | undefined {
  return getModelCall(node) ?? getModelCall(singleAssignment(scope, node));
}

// --- Querysets ---------------------------------------------------------------------------------------------

const MANAGERS = new Set(['objects', '_default_manager', '_base_manager']);
/** A quick look at the source: no manager, no queryset. */
export const MANAGER_TEXT = /\.(objects|_default_manager|_base_manager)\b/;
/** QuerySet methods that keep every row: anything else (filter, exclude, iterator, get…) narrows or batches. */
const WHOLE_TABLE_METHODS = new Set([
  'all', 'only', 'defer', 'select_related', 'prefetch_related', 'order_by', 'using', 'values', 'values_list',
  'annotate', 'alias', 'distinct', 'select_for_update', 'reverse',
]);

export interface QuerySetChain {
  /** `Order` in `Order.objects.all()`. */
  model: Node;
  /** Method names after the manager, in order: `['all', 'update']`. */
  methods: string[];
  sliced: boolean;
}

/**
 * Reads `Order.objects.all().only("id")` (also through `list(...)` and local variables assigned once) back to
 * its manager. Undefined when the expression is not a queryset built from a model manager.
 */
export function querySetChain(scope: FunctionScope, expr: Node | null | undefined, depth = 0): QuerySetChain | undefined {
  const methods: string[] = [];
  let sliced = false;
  let node = expr ?? undefined;
  while (node) {
    if (node.type === 'parenthesized_expression') {
      node = node.namedChild(0) ?? undefined;
    } else if (node.type === 'subscript') {
      sliced = true;
      node = node.childForFieldName('value') ?? undefined;
    } else if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute') {
        methods.unshift(callee.childForFieldName('attribute')?.text ?? '');
        node = callee.childForFieldName('object') ?? undefined;
      } else if (callee?.type === 'identifier' && (callee.text === 'list' || callee.text === 'tuple')) {
        const args = callArguments(node);
        node = args.positional.length === 1 ? args.positional[0] : undefined;
      } else {
        return undefined;
      }
    } else if (node.type === 'attribute' && MANAGERS.has(node.childForFieldName('attribute')?.text ?? '')) {
      const model = node.childForFieldName('object');
      return model ? { model, methods, sliced } : undefined;
    } else if (node.type === 'identifier' && depth < 3) {
      const inner = querySetChain(scope, singleAssignment(scope, node), depth + 1);
      return inner ? { model: inner.model, methods: [...inner.methods, ...methods], sliced: inner.sliced || sliced } : undefined;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Every row of the table, unbatched: no filter, no slice, no `iterator()`. */
export function isWholeTable(chain: QuerySetChain | undefined): chain is QuerySetChain {
  if (!chain || chain.sliced || !chain.methods.every((method) => WHOLE_TABLE_METHODS.has(method))) return false;
  // `values_list("currency").distinct()` yields the distinct values of some columns, not every row (saleor's
  // payment 0044 loops over its few currencies): whether those are as many as the rows cannot be known.
  const projected = chain.methods.includes('values') || chain.methods.includes('values_list');
  return !(projected && chain.methods.includes('distinct'));
}
