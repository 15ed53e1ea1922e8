import type { BlockMeta } from './store';

/**
 * Block metas in compact form: a struct of typed arrays with one row per block
 * and hashes as 32 raw bytes, so that a chain of any length costs about a
 * hundred bytes per block and no per-block objects. Hex strings and
 * {@link BlockMeta} objects are made only for the rows a caller asks about.
 */

export const HASH_BYTES = 32;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The lowercase hex of the 32-byte hash at `bytes[at..at+32)`. */
export function hexAt(bytes: Uint8Array, at: number): string {
  let s = '';
  for (let i = at; i < at + HASH_BYTES; i++) s += HEX[bytes[i] as number];
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/**
 * Write a hash given as 64 lowercase hex characters into `out[at..at+32)`.
 * False (and `out` partly written) when `hex` is not such a hash.
 */
export function hexInto(hex: string, out: Uint8Array, at: number): boolean {
  if (typeof hex !== 'string' || hex.length !== 2 * HASH_BYTES) return false;
  for (let i = 0; i < HASH_BYTES; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if ((hi | lo) < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(HASH_BYTES);
  if (!hexInto(hex, out, 0)) throw new Error(`not a hash: ${String(hex).slice(0, 80)}`);
  return out;
}

/** A copy of `a` with room for at least `rows` rows of `width` elements. */
export function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, rows: number, width = 1): T {
  if (a.length >= rows * width) return a;
  let cap = Math.max(1024, a.length / width);
  while (cap < rows) cap *= 2;
  const b = new (a.constructor as new (n: number) => T)(cap * width);
  b.set(a);
  return b;
}

const EMPTY = 0;
const DELETED = -1;

/**
 * An open-addressing index from 32-byte hashes to row numbers. The hashes
 * themselves live in the owner's array (`keys()`, row r at byte 32r), so a slot
 * costs 4 bytes. Slots hash the last 8 bytes of a block hash: its leading bytes
 * are the proof-of-work zeros.
 */
export class HashSlots {
  readonly #keys: () => Uint8Array;
  #slots = new Int32Array(1024); // EMPTY, DELETED or row + 1
  #shift = 32 - 10;
  #live = 0;
  #used = 0; // live + deleted

  constructor(keys: () => Uint8Array) {
    this.#keys = keys;
  }

  get size(): number {
    return this.#live;
  }

  #start(key: Uint8Array, at: number): number {
    const a = key[at + 28]! | (key[at + 29]! << 8) | (key[at + 30]! << 16) | (key[at + 31]! << 24);
    const b = key[at + 24]! | (key[at + 25]! << 8) | (key[at + 26]! << 16) | (key[at + 27]! << 24);
    return Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0x9e3779b1) >>> this.#shift;
  }

  /** The row holding the hash at `key[at..at+32)`, or -1. */
  find(key: Uint8Array, at: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const keys = this.#keys();
    for (let i = this.#start(key, at); ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === EMPTY) return -1;
      if (s === DELETED) continue;
      const row = s - 1;
      const k = row * HASH_BYTES;
      let j = HASH_BYTES - 1;
      while (j >= 0 && keys[k + j] === key[at + j]) j--;
      if (j < 0) return row;
    }
  }

  /** Index `row` by the hash the owner holds for it (not already indexed). */
  insert(row: number): void {
    if ((this.#used + 1) * 2 > this.#slots.length) this.#rehash();
    this.#place(row);
    this.#live++;
    this.#used++;
  }

  /** Forget `row` (indexed, its hash still in place). */
  remove(row: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = this.#start(this.#keys(), row * HASH_BYTES); ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === EMPTY) return;
      if (s === row + 1) {
        slots[i] = DELETED;
        this.#live--;
        return;
      }
    }
  }

  #place(row: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = this.#start(this.#keys(), row * HASH_BYTES);
    while ((slots[i] as number) > 0) i = (i + 1) & mask;
    if (slots[i] === DELETED) this.#used--; // reusing a tombstone
    slots[i] = row + 1;
  }

  #rehash(): void {
    const old = this.#slots;
    let size = old.length;
    while (this.#live * 4 >= size) size *= 2; // at most a quarter full after rehashing
    this.#slots = new Int32Array(size);
    this.#shift = 32 - Math.log2(size);
    this.#used = this.#live;
    for (const s of old) if (s > 0) this.#place(s - 1);
  }
}

/** Stored metas in storage order, as a struct of arrays (row i: hash at byte 32i). */
export interface MetaRows {
  readonly length: number;
  readonly hashes: Uint8Array;
  readonly previous: Uint8Array;
  readonly index: Float64Array;
  readonly timestamp: Float64Array;
  readonly proof: Float64Array;
  readonly txCount: Uint32Array;
}

/** A growable list of metas in compact form, with a hash → row index. */
export class MetaList implements MetaRows {
  length = 0;
  hashes = new Uint8Array(0);
  previous = new Uint8Array(0);
  index = new Float64Array(0);
  timestamp = new Float64Array(0);
  proof = new Float64Array(0);
  txCount = new Uint32Array(0);
  readonly #byHash = new HashSlots(() => this.hashes);
  readonly #key = new Uint8Array(HASH_BYTES);

  /** Row of `hash` (hex), or -1. */
  rowOf(hash: string): number {
    return hexInto(hash, this.#key, 0) ? this.#byHash.find(this.#key, 0) : -1;
  }

  /** Row of the hash at `bytes[at..at+32)`, or -1. */
  rowOfBytes(bytes: Uint8Array, at: number): number {
    return this.#byHash.find(bytes, at);
  }

  /** Append a meta; returns its row. The caller makes sure the hash is new. */
  push(meta: BlockMeta): number {
    return this.pushBytes(hexBytes(meta.hash), 0, hexBytes(meta.previousHash), 0, meta.index, meta.timestamp, meta.proof, meta.txCount);
  }

  /** Append a meta whose hashes are raw bytes; returns its row. */
  pushBytes(hash: Uint8Array, hashAt: number, previous: Uint8Array, previousAt: number, index: number, timestamp: number, proof: number, txCount: number): number {
    const row = this.length;
    const n = row + 1;
    this.hashes = grown(this.hashes, n, HASH_BYTES);
    this.previous = grown(this.previous, n, HASH_BYTES);
    this.index = grown(this.index, n);
    this.timestamp = grown(this.timestamp, n);
    this.proof = grown(this.proof, n);
    this.txCount = grown(this.txCount, n);
    this.hashes.set(hash.subarray(hashAt, hashAt + HASH_BYTES), row * HASH_BYTES);
    this.previous.set(previous.subarray(previousAt, previousAt + HASH_BYTES), row * HASH_BYTES);
    this.index[row] = index;
    this.timestamp[row] = timestamp;
    this.proof[row] = proof;
    this.txCount[row] = txCount;
    this.length = n;
    this.#byHash.insert(row);
    return row;
  }

  /** The meta of `row` as an object. */
  meta(row: number): BlockMeta {
    return {
      hash: hexAt(this.hashes, row * HASH_BYTES),
      index: this.index[row] as number,
      timestamp: this.timestamp[row] as number,
      proof: this.proof[row] as number,
      previousHash: hexAt(this.previous, row * HASH_BYTES),
      txCount: this.txCount[row] as number,
    };
  }

  /** The rows so far; later appends do not change it. */
  rows(): MetaRows {
    const { length, hashes, previous, index, timestamp, proof, txCount } = this;
    return { length, hashes, previous, index, timestamp, proof, txCount };
  }
}
