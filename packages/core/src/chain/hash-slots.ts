/**
 * The pieces of compact storage: block hashes as 32 raw bytes, hex conversion in both
 * directions, typed-array growth, and an open-addressing index from hashes to row numbers.
 * Internal to this package: nothing outside it sees the layout.
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

/** Nibble of each character code below 256, -1 for those that are not lowercase hex. */
const NIBBLE = Int8Array.from({ length: 256 }, (_, c) => nibble(c));

/**
 * Write a hash given as 64 lowercase hex characters into `out[at..at+32)`.
 * False (and `out` partly written) when `hex` is not such a hash.
 */
export function hexInto(hex: string, out: Uint8Array, at: number): boolean {
  return hexBytesInto(hex, out, at, HASH_BYTES);
}

/** {@link hexInto} for `bytes` bytes (`2 × bytes` hex characters): a signature, say. */
export function hexBytesInto(hex: string, out: Uint8Array, at: number, bytes: number): boolean {
  if (typeof hex !== 'string' || hex.length !== 2 * bytes) return false;
  for (let i = 0; i < bytes; i++) {
    const a = hex.charCodeAt(2 * i);
    const b = hex.charCodeAt(2 * i + 1);
    const hi = a < 256 ? (NIBBLE[a] as number) : -1;
    const lo = b < 256 ? (NIBBLE[b] as number) : -1;
    if ((hi | lo) < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

/** Whether `hex` is the hash at `bytes[at..at+32)` (stops at the first difference). */
export function hexEquals(hex: string, bytes: Uint8Array, at: number): boolean {
  if (hex.length !== 2 * HASH_BYTES) return false;
  for (let i = 0; i < HASH_BYTES; i++) {
    const b = bytes[at + i] as number;
    if (nibble(hex.charCodeAt(2 * i)) !== b >> 4 || nibble(hex.charCodeAt(2 * i + 1)) !== (b & 15)) return false;
  }
  return true;
}

/**
 * `a`, or a copy with room for at least `rows` rows of `width` elements (capacity doubles;
 * with `exact`, exactly `rows`).
 */
export function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, rows: number, width = 1, exact = false): T {
  if (a.length >= rows * width) return a;
  let cap = exact ? rows : Math.max(MIN_ROWS, a.length / width);
  while (cap < rows) cap *= 2;
  const b = new (a.constructor as new (n: number) => T)(cap * width);
  b.set(a);
  return b;
}

// Rows a growing array starts with: a simulated network holds 100,000 chains, most of them short.
export const MIN_ROWS = 16;

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
  #slots = new Int32Array(4 * MIN_ROWS); // EMPTY, DELETED or row + 1
  #shift = 32 - Math.log2(4 * MIN_ROWS);
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

  /** Make room for `rows` indexed rows without rehashing on the way (at most half full then). */
  reserve(rows: number): void {
    let size = this.#slots.length;
    while (rows * 2 >= size) size *= 2;
    if (size > this.#slots.length) this.#rehash(size);
  }

  #rehash(atLeast = 0): void {
    const old = this.#slots;
    let size = Math.max(old.length, atLeast);
    while (this.#live * 4 >= size) size *= 2; // at most a quarter full after rehashing
    this.#slots = new Int32Array(size);
    this.#shift = 32 - Math.log2(size);
    this.#used = this.#live;
    for (const s of old) if (s > 0) this.#place(s - 1);
  }
}
