// The syntax tree rules, fixes and analysis read: a plain-JS copy of a web-tree-sitter tree, made in one cursor
// walk right after the parse, so the wasm tree can be freed at once. Every accessor of a web-tree-sitter `Node`
// marshals through wasm (0.2–1.4 µs a call); here they read typed arrays. Only the part of the `Node` interface the
// code uses is offered, with the same names and meanings (test/unit/tree.test.ts compares it, node by node, with
// web-tree-sitter's own answers).
//
// Layout: the visible nodes in preorder (what a TreeCursor visits), one slot per node in parallel typed arrays.
// A node's subtree is the contiguous run of slots [id, after[id]): its first child, if any, is id + 1, and the
// next sibling of a child c is after[c]. Node objects are made on first access and kept, so a node read twice is
// the same object (`===` works, and WeakMaps keyed by nodes hit).
import type { Point } from 'web-tree-sitter';

/** Where an edit replaced text: [startIndex, oldEndIndex) of the old text became [startIndex, newEndIndex). */
export interface TextEditSpan {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
}

/** Node flags. */
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
/** tree-sitter's ts_builtin_sym_error: the symbol of ERROR nodes. */
export const ERROR_SYMBOL = 65535;

/** What a walk of one wasm tree records per node, in preorder (see copyTree in base/parser.ts). */
export interface TreeArrays {
  count: number;
  types: Uint16Array;
  /** Field ids: the Python grammar has fewer than 256 fields. */
  fields: Uint8Array;
  flags: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  parents: Int32Array;
  after: Int32Array;
}

/**
 * Arrays for `capacity` nodes, carved out of one ArrayBuffer (one allocation per tree); `from`: a walk that found
 * more nodes than allotted, copied over.
 */
export function allocateArrays(capacity: number, from?: TreeArrays): TreeArrays {
  const buffer = new ArrayBuffer(capacity * 20);
  const arrays: TreeArrays = {
    count: from?.count ?? 0,
    starts: new Int32Array(buffer, 0, capacity), ends: new Int32Array(buffer, capacity * 4, capacity),
    parents: new Int32Array(buffer, capacity * 8, capacity), after: new Int32Array(buffer, capacity * 12, capacity),
    types: new Uint16Array(buffer, capacity * 16, capacity), fields: new Uint8Array(buffer, capacity * 18, capacity), flags: new Uint8Array(buffer, capacity * 19, capacity),
  };
  if (from) {
    for (const key of ['starts', 'ends', 'parents', 'after', 'types', 'fields', 'flags'] as const) arrays[key].set(from[key].subarray(0, from.count) as never);
  }
  return arrays;
}

export { NAMED as NODE_NAMED, MISSING as NODE_MISSING, HAS_ERROR as NODE_HAS_ERROR };

/** The grammar's names: node types by symbol, field names by id (web-tree-sitter's `Language.types` / `.fields`). */
export interface GrammarNames {
  types: readonly string[];
  /** Per symbol, whether nodes of that type are named. */
  named: readonly boolean[];
  fields: readonly (string | null)[];
  fieldIds: ReadonlyMap<string, number>;
}

export class SyntaxTree {
  private readonly nodes: (SyntaxNode | undefined)[];
  /** Offsets just after each `\n`, made when a position is first asked for. */
  private lineStarts?: number[];
  /** The wasm tree, kept only for an incremental re-parse of an open document (see base/parser.ts). */
  wasm?: { edit(edit: unknown): void; delete(): void };
  /** The edits told since this copy was made (offsets as in TextEdit): the next copy may reuse what they left. */
  readonly edits: TextEditSpan[] = [];

  constructor(readonly text: string, readonly arrays: TreeArrays, readonly names: GrammarNames) {
    this.nodes = new Array(arrays.count);
  }

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  /** @internal The node in slot `id`. */
  node(id: number): SyntaxNode {
    return (this.nodes[id] ??= new SyntaxNode(this, id));
  }

  /**
   * Lets go of the node objects made so far: nodes asked for again are new objects, so a node kept from before is
   * no longer `===` to the one read now (callers start again from rootNode).
   */
  forgetNodes(): void {
    this.nodes.fill(undefined); // in place: a new array per keystroke was 70 KB more for the young generation
  }

  /**
   * Lets go of the child lists the nodes made so far, keeping the nodes themselves (so `===` still holds): they are
   * made again when asked for. A tree kept from the CLI's index to its lint would otherwise hold every list the
   * extraction asked for until the lint, in the old generation.
   */
  forgetChildLists(): void {
    for (const node of this.nodes) node?.forgetChildLists();
  }

  /** Tells the kept wasm tree about an edit before an incremental re-parse; without one, the next parse is fresh. */
  edit(edit: TextEditSpan): void {
    this.wasm?.edit(edit);
    this.edits.push({ startIndex: edit.startIndex, oldEndIndex: edit.oldEndIndex, newEndIndex: edit.newEndIndex });
  }

  /** Frees the kept wasm tree, if any; the copy itself is garbage collected. */
  delete(): void {
    this.wasm?.delete();
    this.wasm = undefined;
  }

  /** Row and column (UTF-16 units) of an offset: rows break at `\n`, as tree-sitter counts them. */
  point(offset: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: offset - starts[low] };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The symbols of some node types, per grammar: found once per list, not by a scan of every type on each call. */
const symbolSets = new WeakMap<GrammarNames, Map<string, ReadonlySet<number>>>();

function symbolsOf(names: GrammarNames, wanted: readonly string[]): ReadonlySet<number> {
  let byList = symbolSets.get(names);
  if (!byList) symbolSets.set(names, (byList = new Map()));
  const key = wanted.join(' ');
  let symbols = byList.get(key);
  if (!symbols) {
    const found = new Set<number>();
    names.types.forEach((type, symbol) => {
      if (wanted.includes(type)) found.add(symbol);
    });
    if (wanted.includes('ERROR')) found.add(ERROR_SYMBOL);
    byList.set(key, (symbols = found));
  }
  return symbols;
}

export class SyntaxNode {
  private childList?: SyntaxNode[];
  private namedList?: SyntaxNode[];

  constructor(readonly tree: SyntaxTree, readonly id: number) {}

  /** @internal See SyntaxTree.forgetChildLists. */
  forgetChildLists(): void {
    this.childList = undefined;
    this.namedList = undefined;
  }

  get type(): string {
    return this.tree.names.types[this.tree.arrays.types[this.id]] || 'ERROR';
  }

  get startIndex(): number {
    return this.tree.arrays.starts[this.id];
  }

  get endIndex(): number {
    return this.tree.arrays.ends[this.id];
  }

  get startPosition(): Point {
    return this.tree.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.point(this.endIndex);
  }

  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get isNamed(): boolean {
    return (this.tree.arrays.flags[this.id] & NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.arrays.flags[this.id] & MISSING) !== 0;
  }

  get isError(): boolean {
    return this.tree.arrays.types[this.id] === ERROR_SYMBOL;
  }

  get hasError(): boolean {
    return (this.tree.arrays.flags[this.id] & HAS_ERROR) !== 0;
  }

  get parent(): SyntaxNode | null {
    const parent = this.tree.arrays.parents[this.id];
    return parent < 0 ? null : this.tree.node(parent);
  }

  get children(): SyntaxNode[] {
    if (!this.childList) {
      const { after } = this.tree.arrays;
      const list: SyntaxNode[] = [];
      for (let child = this.id + 1, end = after[this.id]; child < end; child = after[child]) list.push(this.tree.node(child));
      this.childList = list;
    }
    return this.childList;
  }

  get namedChildren(): SyntaxNode[] {
    if (!this.namedList) {
      const { after, flags } = this.tree.arrays;
      const list: SyntaxNode[] = [];
      for (let child = this.id + 1, end = after[this.id]; child < end; child = after[child]) if (flags[child] & NAMED) list.push(this.tree.node(child));
      this.namedList = list;
    }
    return this.namedList;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.child(0);
  }

  get lastChild(): SyntaxNode | null {
    const children = this.children;
    return children[children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChild(0);
  }

  get lastNamedChild(): SyntaxNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  private siblings(named: boolean): SyntaxNode[] {
    const parent = this.parent;
    return parent ? (named ? parent.namedChildren : parent.children) : [];
  }

  /**
   * The next sibling, as tree-sitter finds it: the first later sibling that ends after this node does (a
   * zero-width sibling where this node ends, such as the empty block after an ERROR, is passed over).
   */
  get nextSibling(): SyntaxNode | null {
    return this.following(false);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.following(true);
  }

  private following(named: boolean): SyntaxNode | null {
    const { after, parents, ends, flags } = this.tree.arrays;
    const parent = parents[this.id];
    if (parent < 0) return null;
    const end = ends[this.id];
    for (let next = after[this.id], last = after[parent]; next < last; next = after[next]) {
      if (ends[next] > end && (!named || flags[next] & NAMED)) return this.tree.node(next);
    }
    return null;
  }

  get previousSibling(): SyntaxNode | null {
    const list = this.siblings(false);
    return list[list.indexOf(this) - 1] ?? null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    let found: SyntaxNode | null = null;
    for (const sibling of this.siblings(true)) if (sibling.id < this.id) found = sibling;
    return found;
  }

  /** The first child in the field `name` (tree-sitter's `child_by_field_name`). */
  childForFieldName(name: string): SyntaxNode | null {
    const field = this.tree.names.fieldIds.get(name);
    if (field === undefined) return null;
    const { after, fields } = this.tree.arrays;
    for (let child = this.id + 1, end = after[this.id]; child < end; child = after[child]) if (fields[child] === field) return this.tree.node(child);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.names.fieldIds.get(name);
    if (field === undefined) return [];
    const { after, fields } = this.tree.arrays;
    const found: SyntaxNode[] = [];
    for (let child = this.id + 1, end = after[this.id]; child < end; child = after[child]) if (fields[child] === field) found.push(this.tree.node(child));
    return found;
  }

  /** This node's descendants (itself included) of the given types, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const symbols = symbolsOf(this.tree.names, typeof types === 'string' ? [types] : types);
    const found: SyntaxNode[] = [];
    const { after, types: typeOf } = this.tree.arrays;
    for (let id = this.id, end = after[this.id]; id < end; id++) if (symbols.has(typeOf[id])) found.push(this.tree.node(id));
    return found;
  }

  /** The smallest node that spans [start, end] (tree-sitter's `descendant_for_byte_range`). */
  descendantForIndex(start: number, end = start): SyntaxNode | null {
    return this.descendantSpanning(start, end, false);
  }

  /** The smallest named node that spans [start, end]. */
  namedDescendantForIndex(start: number, end = start): SyntaxNode | null {
    return this.descendantSpanning(start, end, true);
  }

  private descendantSpanning(rangeStart: number, rangeEnd: number, namedOnly: boolean): SyntaxNode | null {
    if (rangeStart > rangeEnd) return null;
    const { after, starts, ends, flags } = this.tree.arrays;
    let node = this.id;
    let found = this.id;
    for (let descended = true; descended;) {
      descended = false;
      for (let child = node + 1, end = after[node]; child < end; child = after[child]) {
        const childEnd = ends[child];
        // As tree-sitter: the child must reach the range's end, and pass its start (or touch it, when empty).
        if (childEnd < rangeEnd) continue;
        if (starts[child] === childEnd ? childEnd < rangeStart : childEnd <= rangeStart) continue;
        if (rangeStart < starts[child]) break;
        node = child;
        if (!namedOnly || flags[child] & NAMED) found = child;
        descended = true;
        break;
      }
    }
    return this.tree.node(found);
  }

  equals(other: SyntaxNode): boolean {
    return other.tree === this.tree && other.id === this.id;
  }

  /** The S-expression of the named nodes below, as tree-sitter prints it (field names included). */
  toString(): string {
    const { names, arrays } = this.tree;
    const show = (id: number, field: string | null): string => {
      const type = this.tree.node(id);
      const label = arrays.flags[id] & MISSING ? `(MISSING ${type.type})` : undefined;
      const prefix = field ? `${field}: ` : '';
      if (label) return prefix + label;
      const inner: string[] = [];
      for (let child = id + 1; child < arrays.after[id]; child = arrays.after[child]) {
        if (arrays.flags[child] & NAMED || arrays.flags[child] & MISSING) inner.push(show(child, names.fields[arrays.fields[child]] ?? null));
      }
      return `${prefix}(${type.type}${inner.length ? ' ' + inner.join(' ') : ''})`;
    };
    return show(this.id, null);
  }
}
