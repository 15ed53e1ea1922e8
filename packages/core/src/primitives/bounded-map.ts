/**
 * A Map that holds at most `capacity` entries: setting a new key when it is
 * full forgets the oldest entry first (insertion order). Updating a key that
 * is already there keeps its place. For memories that must stay bounded
 * whatever the network sends (invalid blocks, cached keys, quarantines).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly capacity: number;

  constructor(capacity: number) {
    super();
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${String(capacity)}`);
    this.capacity = capacity;
  }

  override set(key: K, value: V): this {
    if (!this.has(key)) while (this.size >= this.capacity) this.delete(this.keys().next().value as K);
    return super.set(key, value);
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
