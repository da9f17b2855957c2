// A model's fields in the replayed project state, one version per operation, without copying the whole map for
// each: versions of a model share one history per field name (each change stamped with its version), and a
// version reads the newest change at or before its own stamp. 20,000 `AddField` on one model copied 200 million
// map entries before (the CLI aborted); now they record 20,000 changes.
import type { FieldState } from './summary';

/**
 * The changes of every field name, in version order; shared by the versions of one line of history. A history
 * forked from an older version (`base`) records only what changed since: a name it has no change for reads as the
 * base reads it.
 */
class History {
  readonly changes = new Map<string, { versions: number[]; values: Array<FieldState | undefined> }>();
  latest = 0;
  /** How many forks deep this history is (a read may go down that many bases). */
  readonly depth: number;

  constructor(readonly base?: FieldMap) {
    this.depth = base ? base.forkDepth + 1 : 0;
  }

  record(version: number, name: string, value: FieldState | undefined): void {
    let change = this.changes.get(name);
    if (!change) this.changes.set(name, (change = { versions: [], values: [] }));
    change.versions.push(version);
    change.values.push(value);
  }
}

/** Forks on forks before a copy: a read goes down at most this many bases. */
const MAX_FORK_DEPTH = 8;

export class FieldMap implements ReadonlyMap<string, FieldState> {
  private cachedSize?: number;

  private constructor(private readonly history: History, private readonly version: number) {}

  static of(entries: Iterable<readonly [string, FieldState]> = []): FieldMap {
    const history = new History();
    for (const [name, field] of entries) history.record(0, name, field);
    return new FieldMap(history, 0);
  }

  /**
   * A new version with these changes (`undefined` removes a field). The newest version of a history extends it;
   * an older one (two branches changing the same model, or a migration replayed again as it is typed) starts a
   * history of its own on top of it, which records only the new changes: a copy of every field was ~130 KB per
   * keystroke in the bench's 1,000-line migration. Past MAX_FORK_DEPTH forks, the fields are copied once instead.
   */
  with(changes: ReadonlyArray<readonly [string, FieldState | undefined]>): FieldMap {
    let history = this.history;
    if (this.version !== history.latest) {
      if (history.depth < MAX_FORK_DEPTH) return new FieldMap(new History(this), 0).with(changes);
      history = new History();
      for (const [name, field] of this) history.record(0, name, field);
      return new FieldMap(history, 0).with(changes);
    }
    const version = ++history.latest;
    for (const [name, field] of changes) history.record(version, name, field);
    return new FieldMap(history, version);
  }

  /** @internal How many forks deep this version's history is. */
  get forkDepth(): number {
    return this.history.depth;
  }

  get(name: string): FieldState | undefined {
    const change = this.history.changes.get(name);
    if (change) {
      // The last change at or before this version (binary search: versions ascend).
      let low = 0;
      let high = change.versions.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (change.versions[mid] <= this.version) low = mid + 1;
        else high = mid;
      }
      if (low > 0) return change.values[low - 1];
    }
    return this.history.base?.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    if (this.cachedSize === undefined) {
      let size = 0;
      for (const _ of this.entries()) size++;
      this.cachedSize = size;
    }
    return this.cachedSize;
  }

  /**
   * In the order a copy would have: a fork lists its base's fields first (as the base lists them), then the names
   * it added, in the order it added them.
   */
  *entries(): MapIterator<[string, FieldState]> {
    const base = this.history.base;
    if (base) {
      for (const [name] of base.entries()) {
        const field = this.get(name);
        if (field) yield [name, field];
      }
    }
    for (const name of this.history.changes.keys()) {
      if (base?.has(name)) continue;
      const field = this.get(name);
      if (field) yield [name, field];
    }
  }

  *keys(): MapIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): MapIterator<FieldState> {
    for (const [, field] of this.entries()) yield field;
  }

  forEach(callback: (value: FieldState, key: string, map: ReadonlyMap<string, FieldState>) => void): void {
    for (const [name, field] of this.entries()) callback(field, name, this);
  }

  [Symbol.iterator](): MapIterator<[string, FieldState]> {
    return this.entries();
  }
}
