/**
 * A Map that holds at most `capacity` entries: setting a new key when it is
 * full forgets the oldest entry first (insertion order). Updating a key that
 * is already there keeps its place. For memories that must stay bounded
 * whatever the network sends (invalid blocks, cached keys, quarantines).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number;
  /**
   * A live iterator over the keys, kept between evictions: it never passes a live entry without
   * evicting it, so its next key is the oldest, and each deleted entry is skipped once in all.
   * (`keys().next()` from the start skips every deleted entry the table still holds: O(capacity)
   * an insert once the map is full.)
   */
  #oldest: IterableIterator<K> | null = null;

  constructor(capacity: number) {
    super();
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${String(capacity)}`);
    this.capacity = capacity;
  }

  override set(key: K, value: V): this {
    if (!this.has(key)) while (this.size >= this.capacity) this.delete(this.#nextOldest());
    return super.set(key, value);
  }

  /** Forget the oldest entry; returns it (undefined when empty). */
  deleteOldest(): [K, V] | undefined {
    if (this.size === 0) return undefined;
    const key = this.#nextOldest();
    const value = super.get(key) as V;
    this.delete(key);
    return [key, value];
  }

  override clear(): void {
    super.clear();
    this.#oldest = null;
  }

  #nextOldest(): K {
    let next = (this.#oldest ??= Map.prototype.keys.call(this) as IterableIterator<K>).next();
    // An iterator that ran to the end stays done: start another (the map is not empty here).
    if (next.done) next = (this.#oldest = Map.prototype.keys.call(this) as IterableIterator<K>).next();
    return next.value as K;
  }

  /** Set `key`, moving it to the newest place even when it was already there. */
  renew(key: K, value: V): this {
    this.delete(key);
    return this.set(key, value);
  }
}

/**
 * A least-recently-used cache: like {@link BoundedMap}, but a `get` that
 * finds a key makes it the newest, so what is read often stays.
 */
export class LruCache<K, V> extends BoundedMap<K, V> {
  override get(key: K): V | undefined {
    if (!this.has(key)) return undefined;
    const value = super.get(key) as V;
    super.delete(key);
    super.set(key, value);
    return value;
  }
}
