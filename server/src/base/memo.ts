// A cache keyed by an object that lives no longer than the object: for what one lint reads several times from its
// own Migration model, operations and nodes. A WeakMap would do the same for the program, but not for V8's young
// generation: typing in the bench's 1,000-line migration, with 11 such caches as WeakMaps, every young-generation
// GC found ~1.1 MB of the previous keystroke's objects alive through them and promoted it (the GC traces' survived
// and promoted sizes), although nothing held their keys any more; with the values on the keys, that went.

/** One property holds all of an object's memos (one more hidden class per kind of object, not one per cache). */
const MEMOS = Symbol('memos');

type Holder = { [MEMOS]?: Map<Memo<object, unknown>, unknown> };

/** get/set/has as on a WeakMap, the value stored on the key itself (non-enumerable: spreads and JSON skip it). */
export class Memo<K extends object, V> {
  /** Frozen keys cannot hold a value: theirs live here. */
  private readonly frozen = new WeakMap<K, V>();

  get(key: K): V | undefined {
    const memos = (key as Holder)[MEMOS];
    return memos ? (memos.get(this) as V | undefined) : this.frozen.get(key);
  }

  has(key: K): boolean {
    const memos = (key as Holder)[MEMOS];
    return memos ? memos.has(this) : this.frozen.has(key);
  }

  set(key: K, value: V): this {
    let memos = (key as Holder)[MEMOS];
    if (!memos) {
      if (!Object.isExtensible(key)) {
        this.frozen.set(key, value);
        return this;
      }
      memos = new Map();
      Object.defineProperty(key, MEMOS, { value: memos, enumerable: false, writable: false, configurable: false });
    }
    memos.set(this, value);
    return this;
  }
}
