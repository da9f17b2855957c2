// Small helpers over tree-sitter-python nodes: names, literals, call arguments, imports.
import type { Node } from '../base/parser';

/** `models.CharField` → "models.CharField"; anything that is not a plain dotted name → undefined. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object && attribute ? `${object}.${attribute.text}` : undefined;
  }
  return undefined;
}

export type Literal =
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'unknown' };

const UNKNOWN: Literal = { kind: 'unknown' };

/** Evaluates Python literals we can know statically; everything else is `unknown`. */
export function literal(node: Node | null | undefined): Literal {
  if (!node) return UNKNOWN;
  switch (node.type) {
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'none':
      return { kind: 'none' };
    case 'integer':
    case 'float': {
      const text = node.text;
      const value = Number(text.includes('_') ? text.replace(/_/g, '') : text);
      return Number.isNaN(value) ? UNKNOWN : { kind: 'number', value };
    }
    case 'unary_operator': {
      const inner = literal(node.childForFieldName('argument'));
      return inner.kind === 'number' && node.child(0)?.type === '-' ? { kind: 'number', value: -inner.value } : UNKNOWN;
    }
    case 'parenthesized_expression':
      return literal(node.namedChild(0));
    case 'string': {
      const value = stringValue(node);
      return value === undefined ? UNKNOWN : { kind: 'string', value };
    }
    case 'concatenated_string': {
      let value = '';
      for (const part of node.namedChildren) {
        const piece = part && part.type === 'string' ? stringValue(part) : undefined;
        if (piece === undefined) return UNKNOWN;
        value += piece;
      }
      return { kind: 'string', value };
    }
    default:
      return UNKNOWN;
  }
}

/** The value of a plain string literal (no f-string interpolation); escapes are kept as written. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content' || child.type === 'escape_sequence') value += child.text;
  }
  return value;
}

export function isTrue(node: Node | null | undefined): boolean {
  const value = literal(node);
  return value.kind === 'bool' && value.value;
}

export interface CallArguments {
  positional: Node[];
  keywords: Map<string, Node>;
  /** The `keyword_argument` nodes, for edits that remove or replace a whole `name=value`. */
  keywordNodes: Map<string, Node>;
  /** `*args` or `**kwargs` present: unknown arguments may be passed. */
  hasSplat: boolean;
  list: Node | null;
}

export function callArguments(call: Node): CallArguments {
  const list = call.childForFieldName('arguments');
  const result: CallArguments = { positional: [], keywords: new Map(), keywordNodes: new Map(), hasSplat: false, list };
  if (!list || list.type !== 'argument_list') return result;
  for (const argument of list.namedChildren) {
    if (!argument || argument.type === 'comment') continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name && value) {
        result.keywords.set(name, value);
        result.keywordNodes.set(name, argument);
      }
    } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      result.hasSplat = true;
    } else {
      result.positional.push(argument);
    }
  }
  return result;
}

/** Elements of a list or tuple literal (empty for anything else). */
export function sequenceItems(node: Node | null | undefined): Node[] {
  if (!node || (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'parenthesized_expression')) return [];
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChild(0);
    return inner ? [inner] : [];
  }
  return node.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
}

/** Blocks and clauses of `try`/`if`/`with` whose imports are read as well. */
const COMPOUND = new Set(['try_statement', 'if_statement', 'with_statement']);
const CLAUSES = new Set(['elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause']);

function recordImport(statement: Node, names: Map<string, string>): void {
  if (statement.type === 'import_statement') {
    for (const item of statement.namedChildren) {
      if (!item) continue;
      if (item.type === 'dotted_name') names.set(item.text.split('.')[0], item.text.split('.')[0]);
      if (item.type === 'aliased_import') {
        const source = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (source && alias) names.set(alias, source);
      }
    }
  } else if (statement.type === 'import_from_statement') {
    const module = statement.childForFieldName('module_name')?.text;
    if (!module) return;
    for (const item of statement.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'dotted_name') names.set(item.text, `${module}.${item.text}`);
      if (item.type === 'aliased_import') {
        const source = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (source && alias) names.set(alias, `${module}.${source}`);
      }
    }
  }
}

/** Imports anywhere in the blocks of a `try`/`if`/`with` statement; the first branch that binds a name wins. */
function branchImports(statement: Node, into: Map<string, string>): void {
  for (const child of statement.namedChildren) {
    if (!child) continue;
    if (CLAUSES.has(child.type)) branchImports(child, into);
    if (child.type !== 'block') continue;
    for (const inner of child.namedChildren) {
      if (!inner) continue;
      const found = new Map<string, string>();
      if (COMPOUND.has(inner.type)) branchImports(inner, found);
      else recordImport(inner, found);
      for (const [name, target] of found) if (!into.has(name)) into.set(name, target);
    }
  }
}

/**
 * Local name → fully qualified name, from the module's imports:
 * `from django.db import migrations` maps `migrations` → `django.db.migrations`. Imports inside `try`/`except
 * ImportError`, `if`/`else` and `with` at module level count too (projects that support several Django
 * versions write them so): the `try` body's or first branch's binding wins, as it is the one that normally runs.
 */
export function importMap(root: Node): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (COMPOUND.has(statement.type)) {
      const found = new Map<string, string>();
      branchImports(statement, found);
      for (const [name, target] of found) names.set(name, target);
    } else recordImport(statement, names);
  }
  return names;
}

/** Resolves `migrations.AddField` to `django.db.migrations.AddField` through the import map. */
export function qualify(name: string, imports: Map<string, string>): string {
  // Sliced, not split and joined: every call of every operation's arguments comes here.
  const dot = name.indexOf('.');
  const target = imports.get(dot < 0 ? name : name.slice(0, dot));
  if (!target) return name;
  return dot < 0 ? target : target + name.slice(dot);
}

/** Depth-first walk over named nodes; return false from `visit` to skip a subtree. */
export function walk(node: Node, visit: (node: Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of node.namedChildren) if (child) walk(child, visit);
}
