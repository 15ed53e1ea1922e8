import { HASH_BYTES } from './hash-slots';

export interface IdDequeOptions {
  /** Bytes kept after each record's 32-byte id (a signature, say), a multiple of 4. Default 0. */
  readonly extraBytes?: number;
  /** Records a chunk holds, a power of two. Default 4096. */
  readonly chunkRecords?: number;
  /** The first record's position (tests start near 2^31 or 2^32 to cross the slots' wrap). Default 0. */
  readonly start?: number;
}

/**
 * A double-ended queue of fixed-size records (a 32-byte id, then `extraBytes`), stored in
 * chunks of `chunkRecords` records that are allocated as the back grows and freed as the front
 * or the back shrinks, so memory follows the length, not the history. Records have logical
 * positions `front` … `back − 1`, which only grow at the back and are never reused: an
 * index can name a record by its position and find it again in O(1).
 */
export class IdDeque {
  readonly recordBytes: number;
  readonly #chunkRecords: number;
  readonly #shift: number;
  readonly #chunks: Uint8Array[] = [];
  /** The same chunks as 32-bit words (ids compare and hash a word at a time). */
  readonly #words: Uint32Array[] = [];
  /** Position of the first record of #chunks[0]. */
  #base: number;
  #front: number;
  #back: number;
  /** One freed chunk kept back, so that a queue moving across a chunk boundary does not allocate each time. */
  #spare: Uint8Array | null = null;
  #spareWords: Uint32Array | null = null;

  constructor(opts: IdDequeOptions = {}) {
    const extra = opts.extraBytes ?? 0;
    const chunk = opts.chunkRecords ?? 4096;
    const start = opts.start ?? 0;
    if (!Number.isInteger(extra) || extra < 0) throw new RangeError(`extraBytes must be a whole number, got ${extra}`);
    if (!Number.isInteger(chunk) || chunk < 1 || chunk > 1 << 20 || (chunk & (chunk - 1)) !== 0)
      throw new RangeError(`chunkRecords must be a power of two up to 2^20, got ${chunk}`);
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`start must be a safe whole number, got ${start}`);
    if (extra % 4 !== 0) throw new RangeError(`extraBytes must be a multiple of 4, got ${extra}`);
    this.recordBytes = HASH_BYTES + extra;
    this.#chunkRecords = chunk;
    this.#shift = Math.log2(chunk);
    this.#base = start - (start % chunk);
    this.#front = this.#back = start;
  }

  /** Position of the oldest record. */
  get front(): number {
    return this.#front;
  }

  /** Position the next record pushed takes. */
  get back(): number {
    return this.#back;
  }

  get length(): number {
    return this.#back - this.#front;
  }

  /** Bytes of the chunks allocated (the spare included). */
  get allocatedBytes(): number {
    return (this.#chunks.length + (this.#spare ? 1 : 0)) * this.#chunkRecords * this.recordBytes;
  }

  /** The chunk holding the record at `pos` (`front` ≤ pos < `back`). */
  chunk(pos: number): Uint8Array {
    return this.#chunks[(pos - this.#base) >>> this.#shift] as Uint8Array;
  }

  /** Where the record at `pos` starts in its {@link chunk}. */
  offset(pos: number): number {
    return (pos & (this.#chunkRecords - 1)) * this.recordBytes;
  }

  /** The chunk holding the record at `pos` as 32-bit words (platform byte order). */
  words(pos: number): Uint32Array {
    return this.#words[(pos - this.#base) >>> this.#shift] as Uint32Array;
  }

  /** Where the record at `pos` starts in its {@link words}. */
  wordOffset(pos: number): number {
    return ((pos & (this.#chunkRecords - 1)) * this.recordBytes) >>> 2;
  }

  /** Append a record (its bytes zero or stale: the caller writes them); returns its position. */
  push(): number {
    const pos = this.#back;
    if ((pos - this.#base) >>> this.#shift === this.#chunks.length) {
      const chunk = this.#spare ?? new Uint8Array(this.#chunkRecords * this.recordBytes);
      this.#chunks.push(chunk);
      this.#words.push(this.#spareWords ?? new Uint32Array(chunk.buffer));
      this.#spare = this.#spareWords = null;
    }
    this.#back = pos + 1;
    return pos;
  }

  /** Drop the newest record. */
  popBack(): void {
    if (this.#back === this.#front) throw new RangeError('popBack on an empty IdDeque');
    this.#back--;
    if (this.#back === this.#front) return this.#reset();
    if ((this.#back & (this.#chunkRecords - 1)) === 0) {
      this.#spare = this.#chunks.pop() as Uint8Array;
      this.#spareWords = this.#words.pop() as Uint32Array;
    }
  }

  /** Drop the oldest record. */
  popFront(): void {
    if (this.#back === this.#front) throw new RangeError('popFront on an empty IdDeque');
    this.#front++;
    if (this.#back === this.#front) return this.#reset();
    if ((this.#front & (this.#chunkRecords - 1)) === 0) {
      this.#spare = this.#chunks.shift() as Uint8Array;
      this.#spareWords = this.#words.shift() as Uint32Array;
      this.#base += this.#chunkRecords;
    }
  }

  /** Drop every record; positions go on from `back`. */
  clear(): void {
    if (this.#back !== this.#front) {
      this.#front = this.#back;
      this.#reset();
    }
  }

  /** Empty: keep one chunk as the spare, free the others; the next push starts a chunk at `back`. */
  #reset(): void {
    if (!this.#spare && this.#chunks.length > 0) {
      this.#spare = this.#chunks[0] as Uint8Array;
      this.#spareWords = this.#words[0] as Uint32Array;
    }
    this.#chunks.length = 0;
    this.#words.length = 0;
    this.#base = this.#back - (this.#back % this.#chunkRecords);
  }
}
