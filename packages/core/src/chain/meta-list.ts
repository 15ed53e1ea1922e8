import type { BlockMeta } from './meta';
import { HASH_BYTES, HashSlots, MIN_ROWS, grown, hexAt, hexEquals, hexInto } from './hash-slots';

/**
 * Block metas in compact form, the one structure the block stores keep them in and the block
 * tree uses (sharing a store's rows when it restores from one): a struct of typed arrays with one row per block, the hash as 32 raw bytes, the parent
 * as a row number, found by hash through an open-addressing index. About 64 bytes per block plus
 * the index, and no per-block objects: hex strings and {@link BlockMeta} objects are made only for
 * the rows a caller asks about.
 */

/**
 * Every stored block's meta in storage order (row 0 first): what a `BlockStore` hands the
 * chain state when it opens. Read-only; how the rows are laid out is not part of it.
 */
export interface StoredMetas {
  /** Number of rows. */
  readonly length: number;
  /** The row of the block with this hash, or -1. */
  rowOf(hash: string): number;
  /** The meta at `row` (0 ≤ row < length), made on demand. */
  meta(row: number): BlockMeta;
}

/** A growable {@link StoredMetas} for a block store: metas are appended in storage order. */
export interface MetaLog extends StoredMetas {
  /** Append a meta whose hash is new to the log; returns its row. */
  push(meta: BlockMeta): number;
  /**
   * Append a meta whose hashes are given as 32 raw bytes, `hash[hashAt..]` and
   * `previous[previousAt..]` (e.g. straight from a file record, with no hex); returns its row.
   */
  pushBytes(
    hash: Uint8Array,
    hashAt: number,
    previous: Uint8Array,
    previousAt: number,
    index: number,
    timestamp: number,
    proof: number,
    txCount: number,
  ): number;
  /** The row of the hash given as 32 raw bytes at `bytes[at..]`, or -1. */
  rowOfBytes(bytes: Uint8Array, at: number): number;
  /**
   * Make room for `rows` rows in all at once (arrays and hash index): a store that knows about
   * how many are coming gets arrays of that size, not a series of doublings and copies.
   */
  reserve(rows: number): void;
}

/** An empty {@link MetaLog} in compact form, for block stores. */
export function createMetaLog(): MetaLog {
  return new MetaList();
}

/**
 * The compact list. Rows are appended; the block tree also removes rows (pruned side blocks),
 * whose numbers later appends reuse. A row whose parent is not in the list keeps its parent's
 * hash aside, and is linked to the parent if that is appended later.
 */
export class MetaList implements MetaLog {
  #hashes = new Uint8Array(0);
  /** Row of the parent, or -1 when the parent is not in the list (its hash is in #outside). */
  #parent = new Int32Array(0);
  #index = new Float64Array(0);
  #timestamp = new Float64Array(0);
  #proof = new Float64Array(0);
  #txCount = new Uint32Array(0);
  #rows = 0;
  /** The row appended last, or -1 (none, or removed since). */
  #last = -1;
  /** Rows the arrays have room for. */
  #cap = 0;
  readonly #free: number[] = [];
  readonly #byHash = new HashSlots(() => this.#hashes);
  /** previousHash of the rows whose parent is not in the list. */
  readonly #outside = new Map<number, string>();
  /** How many #outside hashes end in each byte value: appends skip the search for children at once. */
  readonly #outsideLast = new Uint32Array(256);
  readonly #key = new Uint8Array(HASH_BYTES);

  /** Rows so far (removed rows included until reused). */
  get length(): number {
    return this.#rows;
  }

  rowOf(hash: string): number {
    return hexInto(hash, this.#key, 0) ? this.#byHash.find(this.#key, 0) : -1;
  }

  rowOfBytes(bytes: Uint8Array, at: number): number {
    return this.#byHash.find(bytes, at);
  }

  /** The row of `from`'s row `row` in this list, or -1. */
  rowOfRowIn(from: MetaList, row: number): number {
    return this.#byHash.find(from.#hashes, row * HASH_BYTES);
  }

  /** Append a meta whose hash is not in the list; returns its row. Throws when the hash is not 64 lowercase hex. */
  push(meta: BlockMeta): number {
    const parent = this.rowOf(meta.previousHash); // before #key holds the hash
    if (!hexInto(meta.hash, this.#key, 0)) throw new Error(`not a block hash: ${String(meta.hash).slice(0, 80)}`);
    return this.#append(this.#key, 0, parent, parent < 0 ? meta.previousHash : '', meta.index, meta.timestamp, meta.proof, meta.txCount);
  }

  pushBytes(
    hash: Uint8Array,
    hashAt: number,
    previous: Uint8Array,
    previousAt: number,
    index: number,
    timestamp: number,
    proof: number,
    txCount: number,
  ): number {
    // Blocks are mostly stored parent first: try the row appended last before the index.
    const last = this.#last;
    const parent =
      last >= 0 && sameHash(this.#hashes, last * HASH_BYTES, previous, previousAt) ? last : this.#byHash.find(previous, previousAt);
    return this.#append(hash, hashAt, parent, parent < 0 ? hexAt(previous, previousAt) : '', index, timestamp, proof, txCount);
  }

  /** Forget `row`: it is no longer found, and a later append reuses its number. Remove a row's children with it. */
  remove(row: number): void {
    if (row === this.#last) this.#last = -1;
    this.#byHash.remove(row);
    this.#unsetOutside(row);
    this.#free.push(row);
  }

  /** Row of the parent of `row`, or -1 when the parent is not in the list. */
  parent(row: number): number {
    return this.#parent[row] as number;
  }

  /** Height (`index`) of the block at `row`. */
  height(row: number): number {
    return this.#index[row] as number;
  }

  /** Hash of the block at `row`, as hex. */
  hash(row: number): string {
    return hexAt(this.#hashes, row * HASH_BYTES);
  }

  /** Hash of the parent of the block at `row`, as hex. */
  previousHash(row: number): string {
    const parent = this.#parent[row] as number;
    return parent >= 0 ? this.hash(parent) : (this.#outside.get(row) as string);
  }

  meta(row: number): BlockMeta {
    return {
      hash: this.hash(row),
      index: this.#index[row] as number,
      timestamp: this.#timestamp[row] as number,
      proof: this.#proof[row] as number,
      previousHash: this.previousHash(row),
      txCount: this.#txCount[row] as number,
    };
  }

  #append(
    hash: Uint8Array,
    hashAt: number,
    parent: number,
    outsideParent: string,
    index: number,
    timestamp: number,
    proof: number,
    txCount: number,
  ): number {
    const row = this.#newRow();
    const hashes = this.#hashes;
    for (let i = 0, at = row * HASH_BYTES; i < HASH_BYTES; i++) hashes[at + i] = hash[hashAt + i] as number; // no view made per row
    this.#parent[row] = parent;
    this.#index[row] = index;
    this.#timestamp[row] = timestamp;
    this.#proof[row] = proof;
    this.#txCount[row] = txCount;
    this.#byHash.insert(row);
    this.#last = row;
    // Rows appended before their parent (e.g. a pruned side block that comes back) are linked to it.
    const at = row * HASH_BYTES;
    if ((this.#outsideLast[this.#hashes[at + HASH_BYTES - 1] as number] as number) > 0) {
      for (const [child, previous] of this.#outside) {
        if (hexEquals(previous, this.#hashes, at)) {
          this.#parent[child] = row;
          this.#unsetOutside(child);
        }
      }
    }
    if (parent < 0) {
      this.#outside.set(row, outsideParent);
      (this.#outsideLast[lastByte(outsideParent)] as number)++;
    }
    return row;
  }

  #unsetOutside(row: number): void {
    const previous = this.#outside.get(row);
    if (previous === undefined) return;
    this.#outside.delete(row);
    (this.#outsideLast[lastByte(previous)] as number)--;
  }

  /**
   * Make room for `rows` rows in all at once: a caller that knows how many are coming (a
   * restore) gets arrays of that size, not a series of doublings and copies on the way there.
   */
  reserve(rows: number): void {
    if (rows <= this.#cap) return;
    this.#hashes = grown(this.#hashes, rows, HASH_BYTES, true);
    this.#parent = grown(this.#parent, rows, 1, true);
    this.#index = grown(this.#index, rows, 1, true);
    this.#timestamp = grown(this.#timestamp, rows, 1, true);
    this.#proof = grown(this.#proof, rows, 1, true);
    this.#txCount = grown(this.#txCount, rows, 1, true);
    this.#cap = rows;
    this.#byHash.reserve(rows);
  }

  #newRow(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const row = this.#rows++;
    if (this.#rows > this.#cap) this.reserve(Math.max(MIN_ROWS, 2 * this.#cap)); // one test per row, doubling
    return row;
  }
}

/** Whether the 32-byte hashes at `a[i..]` and `b[j..]` are equal (compared from the end: the leading bytes are the proof-of-work zeros). */
function sameHash(a: Uint8Array, i: number, b: Uint8Array, j: number): boolean {
  for (let k = HASH_BYTES - 1; k >= 0; k--) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** The value of the last byte of a hash given as hex (0 for anything else: only a filter). */
function lastByte(hex: string): number {
  const v = Number.parseInt(hex.slice(-2), 16);
  return v >= 0 && v < 256 ? v : 0;
}
