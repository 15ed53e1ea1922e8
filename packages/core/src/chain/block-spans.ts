const FIELDS = 3; // height, timestamp, first position
const MIN_CAPACITY = 64; // capacities are powers of two

/**
 * The blocks of a window of ids, oldest first, in a ring that grows and shrinks by halves: per
 * block its height, its timestamp and the position of its first id in the window's deque (its
 * ids run up to the next block's first). 24 bytes a block, so no id needs a height of its own:
 * the block holding a position is found by binary search.
 */
export class BlockSpans {
  #ring = new Float64Array(MIN_CAPACITY * FIELDS);
  #mask = MIN_CAPACITY - 1;
  #head = 0;
  #count = 0;

  get length(): number {
    return this.#count;
  }

  #at(k: number): number {
    return ((this.#head + k) & this.#mask) * FIELDS;
  }

  /** Height of the k-th block, oldest first. */
  height(k: number): number {
    return this.#ring[this.#at(k)] as number;
  }

  timestamp(k: number): number {
    return this.#ring[this.#at(k) + 1] as number;
  }

  first(k: number): number {
    return this.#ring[this.#at(k) + 2] as number;
  }

  /** Append the newest block. */
  push(height: number, timestamp: number, first: number): void {
    if (this.#count === this.#mask + 1) this.#resize(this.#count * 2);
    const i = this.#at(this.#count++);
    this.#ring[i] = height;
    this.#ring[i + 1] = timestamp;
    this.#ring[i + 2] = first;
  }

  popNewest(): void {
    this.#count--;
    this.#maybeShrink();
  }

  popOldest(): void {
    this.#head = (this.#head + 1) & this.#mask;
    this.#count--;
    this.#maybeShrink();
  }

  /** The newest block whose first position is at most `pos` (-1 when none): the block holding `pos`. */
  holding(pos: number): number {
    let lo = 0;
    let hi = this.#count; // first(lo - 1) ≤ pos < first(hi)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.first(mid) <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  #maybeShrink(): void {
    if (this.#count === 0) this.#head = 0;
    const capacity = this.#mask + 1;
    if (capacity > MIN_CAPACITY && this.#count < capacity / 4) this.#resize(capacity / 2);
  }

  #resize(capacity: number): void {
    const ring = new Float64Array(capacity * FIELDS);
    for (let k = 0; k < this.#count; k++) ring.set(this.#ring.subarray(this.#at(k), this.#at(k) + FIELDS), k * FIELDS);
    this.#ring = ring;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
