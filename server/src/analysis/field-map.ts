// A model's fields in the replayed project state, one version per operation, without copying the whole map for
// each: versions of a model share one history per field name (each change stamped with its version), and a
// version reads the newest change at or before its own stamp. 20,000 `AddField` on one model copied 200 million
// map entries before (the CLI aborted); now they record 20,000 changes.
import type { FieldState } from './summary';

/** The changes of every field name, in version order; shared by the versions of one line of history. */
class History {
  readonly changes = new Map<string, { versions: number[]; values: Array<FieldState | undefined> }>();
  latest = 0;

  record(version: number, name: string, value: FieldState | undefined): void {
    let change = this.changes.get(name);
    if (!change) this.changes.set(name, (change = { versions: [], values: [] }));
    change.versions.push(version);
    change.values.push(value);
  }
}

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
   * an older one (two branches changing the same model) starts a history of its own, copied once.
   */
  with(changes: ReadonlyArray<readonly [string, FieldState | undefined]>): FieldMap {
    let history = this.history;
    if (this.version !== history.latest) {
      history = new History();
      for (const [name, field] of this) history.record(0, name, field);
      return new FieldMap(history, 0).with(changes);
    }
    const version = ++history.latest;
    for (const [name, field] of changes) history.record(version, name, field);
    return new FieldMap(history, version);
  }

  get(name: string): FieldState | undefined {
    const change = this.history.changes.get(name);
    if (!change) return undefined;
    // The last change at or before this version (binary search: versions ascend).
    let low = 0;
    let high = change.versions.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (change.versions[mid] <= this.version) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? undefined : change.values[low - 1];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    if (this.cachedSize === undefined) {
      let size = 0;
      for (const name of this.history.changes.keys()) if (this.get(name)) size++;
      this.cachedSize = size;
    }
    return this.cachedSize;
  }

  *entries(): MapIterator<[string, FieldState]> {
    for (const name of this.history.changes.keys()) {
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
