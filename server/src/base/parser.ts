// Loads web-tree-sitter and the Python grammar once. Parsing is synchronous after `initParser()`. A parse is copied
// at once into a plain-JS tree (base/tree.ts) and the wasm tree freed, unless it is kept for an incremental re-parse.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Edit, Language, Parser, Tree as WasmTree } from 'web-tree-sitter';
import { withPythonLineBreaks } from './text';
import { allocateArrays, ERROR_SYMBOL, NODE_HAS_ERROR, NODE_MISSING, NODE_NAMED, SyntaxNode, SyntaxTree, type GrammarNames, type TextEditSpan, type TreeArrays } from './tree';

export type { Point } from 'web-tree-sitter';
/** The syntax tree and node every layer reads (plain JS, see base/tree.ts). */
export type Tree = SyntaxTree;
export type Node = SyntaxNode;
export type { WasmTree };
/** tree-sitter's edit description (a class in web-tree-sitter ≥ 0.26: construct it with `new TreeEdit({...})`). */
export { Edit as TreeEdit };

const GRAMMAR = 'tree-sitter-python.wasm';
let parser: Parser | undefined;
let loading: Promise<void> | undefined;
let names: GrammarNames | undefined;

/**
 * web-tree-sitter's emscripten module: the options object handed to `Parser.init` becomes it (`var Module =
 * moduleArg` in web-tree-sitter.cjs), so its wasm exports can be called directly. The copy walk calls the cursor's
 * exports without re-marshalling the cursor before every call (what the public TreeCursor does): ≈ 3× faster.
 * This depends on web-tree-sitter's internals, so its version is pinned in package.json, `walkExports` checks
 * that every export is there (else the public TreeCursor is used), and test/unit/tree.test.ts compares the copy
 * with the public API node by node.
 */
interface WasmModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_wasm(tree: number): void;
  _ts_node_has_error_wasm(tree: number): number;
  _ts_node_descendant_count_wasm(tree: number): number;
}
const WALK_EXPORTS: readonly (keyof WasmModule)[] = [
  '_ts_init', '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_wasm', '_ts_node_has_error_wasm', '_ts_node_descendant_count_wasm',
];
let module: WasmModule | undefined;
/** web-tree-sitter's TRANSFER_BUFFER, as an index into HEAP32: the cursor lives there during a walk. */
let transfer = 0;

/** Whether the direct walk over web-tree-sitter's exports is in use (else the public TreeCursor). */
export function walksExports(): boolean {
  return module !== undefined;
}

/**
 * The folder holding the wasm file `name`. The bundles copy the wasm files next to themselves; tests live a
 * few folders deeper than `out/test`.
 */
export function wasmDir(name = GRAMMAR): string {
  const fromEnv = process.env.MIGRATION_GUARD_WASM_DIR;
  if (fromEnv && existsSync(join(fromEnv, name))) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, name))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`${name} not found next to ${__dirname}: the build copies it into dist/`);
}

export function initParser(): Promise<void> {
  loading ??= (async () => {
    const dir = wasmDir();
    const options: Record<string, unknown> = { locateFile: (name: string) => join(dir, name) };
    await Parser.init(options);
    const python = await Language.load(join(dir, GRAMMAR));
    const created = new Parser();
    created.setLanguage(python);
    parser = created;
    const fields = python.fields;
    const fieldIds = new Map<string, number>();
    fields.forEach((field, id) => {
      if (field && !fieldIds.has(field)) fieldIds.set(field, id);
    });
    if (fields.length > 256) throw new Error('the grammar has more fields than the syntax tree stores (256)');
    names = { types: python.types, named: python.types.map((_, id) => python.nodeTypeIsNamed(id)), fields, fieldIds };
    if (WALK_EXPORTS.every((name) => typeof options[name] === 'function') && options.HEAP32 instanceof Int32Array) {
      module = options as unknown as WasmModule;
      // ts_init only writes the language versions into the transfer buffer and returns its address.
      transfer = module._ts_init() >> 2;
    }
  })();
  return loading;
}

/** Bytes of tree-sitter's wasm memory (it grows with the largest tree and never shrinks); undefined before init. */
export function parserMemoryBytes(): number | undefined {
  return module?.HEAP32.buffer.byteLength;
}

/** A wasm parse of Python source, not copied (the bench's floor; the copy below starts from one). */
export function parseWasm(text: string, previous?: WasmTree): WasmTree {
  if (!parser) throw new Error('initParser() must finish before parsing');
  const tree = parser.parse(withPythonLineBreaks(text), previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * Parses Python source (line breaks as Python reads them: see withPythonLineBreaks) into a plain-JS tree. Pass the
 * previous tree (already `edit`ed) for an incremental re-parse; it is used when it kept its wasm tree. `keepWasm`:
 * the result keeps its wasm tree for the next incremental parse (an open document); else it is freed at once.
 */
export function parsePython(text: string, previous?: Tree, keepWasm = false): Tree {
  const source = withPythonLineBreaks(text);
  const previousWasm = previous?.wasm as WasmTree | undefined;
  const wasm = parseWasm(source, previousWasm);
  let tree: Tree;
  try {
    // One edit since the previous copy (a keystroke): what it left unchanged is copied from that copy.
    const reuse = previous && previousWasm && previous.edits.length === 1 ? { old: previous.arrays, edit: previous.edits[0], changed: previousWasm.getChangedRanges(wasm) } : undefined;
    tree = copyTree(wasm, source, reuse);
  } catch (error) {
    wasm.delete();
    throw error;
  }
  if (keepWasm) tree.wasm = wasm;
  else wasm.delete();
  return tree;
}

/**
 * What a copy after one edit may take from the previous copy (see reusedSubtree): the previous copy's slots, the
 * edit, and the ranges tree-sitter found changed (`getChangedRanges` of the edited old tree and the new one).
 */
interface Reuse {
  old: TreeArrays;
  edit: TextEditSpan;
  changed: readonly { startIndex: number; endIndex: number }[];
}

/** Nodes the last copy took from the previous copy instead of walking them (tests and the bench read it). */
let reusedByLastCopy = 0;

export function nodesReusedByLastCopy(): number {
  return reusedByLastCopy;
}

/** The plain-JS copy of a wasm tree, in one cursor walk; `reuse`: after one edit, unchanged subtrees are copied. */
export function copyTree(wasm: WasmTree, source: string, reuse?: Reuse): Tree {
  const root = wasm.rootNode;
  const errors = root.hasError;
  let arrays = allocateArrays(root.descendantCount + 1);
  const cursor = wasm.walk();
  reusedByLastCopy = 0;
  try {
    // A tree with errors is walked whole: error recovery may change zero-width (MISSING) nodes no range covers.
    arrays = module ? walkExports(module, cursor, (wasm as unknown as { 0: number })[0], arrays, errors, errors ? undefined : reuse) : walkCursor(cursor, arrays, errors);
  } finally {
    cursor.delete();
  }
  // A tree without errors has no node with one; with errors, hasError was asked node by node in the walk.
  return new SyntaxTree(source, arrays, names!);
}

type Cursor = ReturnType<WasmTree['walk']>;

function record(arrays: TreeArrays, parent: number, type: number, field: number, start: number, end: number, flags: number): number {
  reserve(arrays, 1);
  const id = arrays.count++;
  arrays.types[id] = type;
  arrays.fields[id] = field;
  arrays.starts[id] = start;
  arrays.ends[id] = end;
  arrays.parents[id] = parent;
  arrays.flags[id] = flags;
  return id;
}

/** Room for `more` slots past the last (a walk that finds more nodes than allotted, a subtree copied in). */
function reserve(arrays: TreeArrays, more: number): TreeArrays {
  if (arrays.count + more > arrays.types.length) Object.assign(arrays, allocateArrays((arrays.count + more) * 2 + 16, arrays));
  return arrays;
}

/**
 * The slot of a subtree of the new tree copied from the previous copy, or -1 to walk it. tree-sitter guarantees
 * that text outside the changed ranges has the same ancestors in both trees, so a node away from the edit and from
 * every changed range is the old node moved by the edit's length: found by its old start (preorder starts never
 * decrease), end and type, and checked to have as many descendants. `saved` holds the cursor while the node's
 * descendant count is asked (ts_node_descendant_count reads a node from the transfer buffer, where the cursor is).
 */
function reusedSubtree(m: WasmModule, tree: number, reuse: Reuse, arrays: TreeArrays, parent: number, type: number, field: number, start: number, end: number, saved: number[]): number {
  const { old, edit } = reuse;
  if (start <= edit.newEndIndex && edit.startIndex <= end) return -1;
  for (const range of reuse.changed) if (start <= range.endIndex && range.startIndex <= end) return -1;
  const shift = start >= edit.newEndIndex ? edit.newEndIndex - edit.oldEndIndex : 0;
  const oldStart = start - shift;
  let low = 0;
  let high = old.count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (old.starts[middle] < oldStart) low = middle + 1;
    else high = middle;
  }
  let found = -1;
  for (let id = low; id < old.count && old.starts[id] === oldStart; id++) {
    if (old.ends[id] === end - shift && old.types[id] === type && !(old.flags[id] & NODE_HAS_ERROR)) {
      found = id;
      break;
    }
  }
  if (found < 0) return -1;
  const size = old.after[found] - found;
  const heap = m.HEAP32;
  for (let i = 0; i < 4; i++) saved[i] = heap[transfer + i];
  m._ts_tree_cursor_current_node_wasm(tree);
  const count = m._ts_node_descendant_count_wasm(tree);
  const after = m.HEAP32;
  for (let i = 0; i < 4; i++) after[transfer + i] = saved[i];
  if (count !== size) return -1;
  reserve(arrays, size);
  const id = arrays.count;
  const moved = id - found;
  arrays.types.set(old.types.subarray(found, found + size), id);
  arrays.fields.set(old.fields.subarray(found, found + size), id);
  arrays.flags.set(old.flags.subarray(found, found + size), id);
  for (let k = 0; k < size; k++) {
    arrays.starts[id + k] = old.starts[found + k] + shift;
    arrays.ends[id + k] = old.ends[found + k] + shift;
    arrays.parents[id + k] = old.parents[found + k] + moved;
    arrays.after[id + k] = old.after[found + k] + moved;
  }
  // The subtree's top: its field and parent are the new tree's.
  arrays.fields[id] = field;
  arrays.parents[id] = parent;
  arrays.count += size;
  reusedByLastCopy += size;
  return id;
}

/** The walk over the exports: the cursor stays in the transfer buffer from start to end (see WasmModule). */
function walkExports(m: WasmModule, cursor: Cursor, tree: number, arrays: TreeArrays, errors: boolean, reuse?: Reuse): TreeArrays {
  const handles = (cursor as unknown as { handles: number[] }).handles;
  for (let i = 0; i < 4; i++) m.HEAP32[transfer + i] = handles[i];
  const open: number[] = [];
  const saved = [0, 0, 0, 0];
  const named = names!.named;
  for (;;) {
    const type = m._ts_tree_cursor_current_node_type_id_wasm(tree);
    // Named-ness is the type's (aliases included: the cursor reports the alias); only a tree with errors has
    // missing nodes, and only there is hasError asked node by node.
    let flags = named[type] || type === ERROR_SYMBOL ? NODE_NAMED : 0;
    if (errors) {
      if (m._ts_tree_cursor_current_node_is_missing_wasm(tree)) flags |= NODE_MISSING;
      // ts_node_has_error reads a node from the transfer buffer, where the cursor is: set it aside and back.
      const heap = m.HEAP32;
      for (let i = 0; i < 4; i++) saved[i] = heap[transfer + i];
      m._ts_tree_cursor_current_node_wasm(tree);
      if (m._ts_node_has_error_wasm(tree)) flags |= NODE_HAS_ERROR;
      const after = m.HEAP32;
      for (let i = 0; i < 4; i++) after[transfer + i] = saved[i];
    }
    const parent = open.length ? open[open.length - 1] : -1;
    const field = m._ts_tree_cursor_current_field_id_wasm(tree);
    const start = m._ts_tree_cursor_start_index_wasm(tree);
    const end = m._ts_tree_cursor_end_index_wasm(tree);
    const copied = reuse && parent >= 0 ? reusedSubtree(m, tree, reuse, arrays, parent, type, field, start, end, saved) : -1;
    if (copied < 0) {
      const id = record(arrays, parent, type, field, start, end, flags);
      if (m._ts_tree_cursor_goto_first_child_wasm(tree)) {
        open.push(id);
        continue;
      }
      arrays.after[id] = arrays.count;
    }
    let done = false;
    while (!m._ts_tree_cursor_goto_next_sibling_wasm(tree)) {
      if (!m._ts_tree_cursor_goto_parent_wasm(tree)) {
        done = true;
        break;
      }
      arrays.after[open.pop()!] = arrays.count;
    }
    if (done) break;
  }
  // The cursor's stack may have moved while it grew: hand its state back, so deleting it frees the right memory.
  for (let i = 0; i < 4; i++) handles[i] = m.HEAP32[transfer + i];
  return arrays;
}

/** The same walk through the public TreeCursor (web-tree-sitter's exports not as expected). */
function walkCursor(cursor: Cursor, arrays: TreeArrays, errors: boolean): TreeArrays {
  const open: number[] = [];
  for (;;) {
    let flags = (cursor.nodeIsNamed ? NODE_NAMED : 0) | (cursor.nodeIsMissing ? NODE_MISSING : 0);
    if (errors && cursor.currentNode.hasError) flags |= NODE_HAS_ERROR;
    const id = record(arrays, open.length ? open[open.length - 1] : -1, cursor.nodeTypeId, cursor.currentFieldId, cursor.startIndex, cursor.endIndex, flags);
    if (cursor.gotoFirstChild()) {
      open.push(id);
      continue;
    }
    arrays.after[id] = arrays.count;
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      arrays.after[open.pop()!] = arrays.count;
    }
    if (done) break;
  }
  return arrays;
}

export function pythonLanguage(): Language {
  if (!parser?.language) throw new Error('initParser() must finish first');
  return parser.language;
}
