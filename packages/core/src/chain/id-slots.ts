import type { IdDeque } from './id-deque';

/** Slots hold a record's position mod 2^31 with the top bit set; 0 is an empty slot. */
const LOW = 0x7fffffff;
const TAG = 0x80000000 | 0;
const GROW_AT = 0.75;
const SHRINK_AT = 0.125;

export interface IdSlotsOptions {
  /** Smallest (and first) number of slots, a power of two ≥ 4. Default 64. */
  readonly minSlots?: number;
  /** The hash key (two 32-bit words); random by default. Fixed only in tests. */
  readonly seed?: readonly [number, number];
}

function randomSeed(): [number, number] {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return [words[0] as number, words[1] as number];
}

/**
 * An open-addressing index from 32-byte ids to the positions of the {@link IdDeque} records
 * holding them: 4 bytes a slot, linear probing, deletion by backward shift (no tombstones, so
 * probe chains never lengthen with churn), doubling above 3/4 full and halving below 1/8.
 *
 * Ids are SHA-256 outputs, but whoever makes transactions can grind them to agree in a few chosen
 * bits and so build long probe chains against a fixed hash; the slot is therefore a keyed mix of
 * 64 bits of the id with a random per-instance seed. A slot holds a position mod 2^31, so the
 * indexed records must lie within 2^31 positions of one another (the deque's front).
 */
export class IdSlots {
  readonly #ids: IdDeque;
  readonly #min: number;
  readonly #s0: number;
  readonly #s1: number;
  #slots: Int32Array;
  #shift: number;
  #live = 0;

  constructor(ids: IdDeque, opts: IdSlotsOptions = {}) {
    const min = opts.minSlots ?? 64;
    if (!Number.isInteger(min) || min < 4 || min > 1 << 30 || (min & (min - 1)) !== 0)
      throw new RangeError(`minSlots must be a power of two from 4, got ${min}`);
    this.#ids = ids;
    this.#min = min;
    [this.#s0, this.#s1] = opts.seed ?? randomSeed();
    this.#slots = new Int32Array(min);
    this.#shift = 32 - Math.log2(min);
  }

  /** Ids indexed. */
  get size(): number {
    return this.#live;
  }

  /** Bytes of the slot array. */
  get allocatedBytes(): number {
    return this.#slots.byteLength;
  }

  #home(key: Uint32Array, at: number): number {
    const a = key[at] as number;
    const b = key[at + 1] as number;
    // MurmurHash3's rounds over the two words, each first xored with its half of the seed.
    let h = Math.imul(rotl(Math.imul(a ^ this.#s0, 0xcc9e2d51), 15), 0x1b873593);
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
    h ^= Math.imul(rotl(Math.imul(b ^ this.#s1, 0xcc9e2d51), 15), 0x1b873593);
    h = (Math.imul(rotl(h, 13), 5) + 0xe6546b64) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> this.#shift;
  }

  #homeOf(pos: number): number {
    return this.#home(this.#ids.words(pos), this.#ids.wordOffset(pos));
  }

  #position(slot: number): number {
    const front = this.#ids.front;
    return front + (((slot & LOW) - front) & LOW);
  }

  /** The position of the record holding the id in words `key[at..at+8)`, or -1. */
  find(key: Uint32Array, at: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const ids = this.#ids;
    for (let i = this.#home(key, at); ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === 0) return -1;
      const pos = this.#position(s);
      if (same(ids.words(pos), ids.wordOffset(pos), key, at)) return pos;
    }
  }

  /**
   * Index the record at `pos` by its id. An id already indexed (at another position) then
   * names `pos` instead: the earlier position is returned, and is no longer indexed; else -1.
   */
  insert(pos: number): number {
    if (this.#live + 1 > this.#slots.length * GROW_AT) this.#resize(this.#slots.length * 2, pos);
    const slots = this.#slots;
    const mask = slots.length - 1;
    const ids = this.#ids;
    const key = ids.words(pos);
    const at = ids.wordOffset(pos);
    for (let i = this.#home(key, at); ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === 0) {
        slots[i] = (pos & LOW) | TAG;
        this.#live++;
        return -1;
      }
      const old = this.#position(s);
      if (same(ids.words(old), ids.wordOffset(old), key, at)) {
        slots[i] = (pos & LOW) | TAG;
        return old;
      }
    }
  }

  /** Stop indexing the record at `pos` (its bytes still in place). False when it was not indexed. */
  remove(pos: number): boolean {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const want = (pos & LOW) | TAG;
    let i = this.#homeOf(pos);
    for (; ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === 0) return false;
      if (s === want) break;
    }
    // Backward shift: pull up each later entry of the run whose probe path passes the hole.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const s = slots[j] as number;
      if (s === 0) break;
      const home = this.#homeOf(this.#position(s));
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = s;
        i = j;
      }
    }
    slots[i] = 0;
    this.#live--;
    if (this.#live < this.#slots.length * SHRINK_AT && this.#slots.length > this.#min) this.#resize(this.#slots.length / 2);
    return true;
  }

  /** Room for `count` ids in all without growing on the way. */
  reserve(count: number): void {
    let size = this.#slots.length;
    while (count > size * GROW_AT) size *= 2;
    if (size > this.#slots.length) this.#resize(size);
  }

  /** Forget every id; the slots go back to their smallest size. */
  clear(): void {
    this.#slots = new Int32Array(this.#min);
    this.#shift = 32 - Math.log2(this.#min);
    this.#live = 0;
  }

  /** Rehash into `size` slots; `pending`, a record about to be inserted, is left out. */
  #resize(size: number, pending = -1): void {
    const old = this.#slots;
    const slots = new Int32Array(size);
    const mask = size - 1;
    this.#slots = slots;
    this.#shift = 32 - Math.log2(size);
    const place = (pos: number): void => {
      let i = this.#homeOf(pos);
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = (pos & LOW) | TAG;
    };
    const ids = this.#ids;
    const last = pending === ids.back - 1 ? pending : ids.back;
    if (this.#live === last - ids.front) {
      // Every record is indexed: read them in order rather than chasing the old slots.
      for (let pos = ids.front; pos < last; pos++) place(pos);
    } else {
      for (const s of old) if (s !== 0) place(this.#position(s));
    }
  }
}

/** Whether the ids at words `a[i..i+8)` and `b[j..j+8)` are equal. */
function same(a: Uint32Array, i: number, b: Uint32Array, j: number): boolean {
  return (
    a[i] === b[j] &&
    a[i + 1] === b[j + 1] &&
    a[i + 2] === b[j + 2] &&
    a[i + 3] === b[j + 3] &&
    a[i + 4] === b[j + 4] &&
    a[i + 5] === b[j + 5] &&
    a[i + 6] === b[j + 6] &&
    a[i + 7] === b[j + 7]
  );
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
