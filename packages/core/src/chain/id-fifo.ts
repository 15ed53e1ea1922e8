import { HASH_BYTES, hexInto } from './hash-slots';
import { IdDeque } from './id-deque';
import { IdSlots } from './id-slots';

/**
 * At most `capacity` ids, oldest first, each with `extraBytes` of its own: pushing a new id
 * when full forgets the oldest; pushing one already there moves it to the newest place (and
 * gives it new extra bytes). O(1) push, find and delete: records live in an {@link IdDeque},
 * found through {@link IdSlots}; a deleted or moved id leaves a dead record behind that is
 * dropped when it reaches the front, or when dead records outnumber the capacity (the live
 * ones are then copied into a fresh deque).
 */
export class IdFifo {
  readonly capacity: number;
  readonly #extra: number;
  readonly #chunkRecords: number;
  readonly #key = new Uint32Array(HASH_BYTES / 4);
  readonly #keyBytes = new Uint8Array(this.#key.buffer);
  #ids: IdDeque;
  #slots: IdSlots;

  constructor(capacity: number, extraBytes = 0) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 2 ** 28)
      throw new RangeError(`capacity must be a positive integer up to 2^28, got ${String(capacity)}`);
    this.capacity = capacity;
    this.#extra = extraBytes;
    // Chunks of about a sixteenth of the capacity: a memory that is seldom used stays small.
    let chunk = 64;
    while (chunk < 4096 && chunk * 16 < capacity) chunk *= 2;
    this.#chunkRecords = chunk;
    this.#ids = new IdDeque({ extraBytes, chunkRecords: chunk });
    this.#slots = new IdSlots(this.#ids);
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Bytes of the typed arrays held. */
  get allocatedBytes(): number {
    return this.#ids.allocatedBytes + this.#slots.allocatedBytes;
  }

  /** The position of `id` (64 lowercase hex), or -1. */
  find(id: string): number {
    return hexInto(id, this.#keyBytes, 0) ? this.#slots.find(this.#key, 0) : -1;
  }

  /** The chunk holding the record at `pos`; its extra bytes start at {@link extraAt}. */
  chunk(pos: number): Uint8Array {
    return this.#ids.chunk(pos);
  }

  extraAt(pos: number): number {
    return this.#ids.offset(pos) + HASH_BYTES;
  }

  /**
   * Make `id` the newest (its extra bytes zero or stale: the caller writes them) and forget the
   * oldest beyond the capacity. Returns its position, or -1 when `id` is not 64 lowercase hex.
   */
  push(id: string): number {
    const ids = this.#ids;
    let pos = ids.push();
    if (!hexInto(id, ids.chunk(pos), ids.offset(pos))) {
      ids.popBack();
      return -1;
    }
    this.#slots.insert(pos);
    while (this.#slots.size > this.capacity) {
      this.#slots.remove(ids.front);
      ids.popFront();
    }
    if (ids.length > 2 * this.capacity) pos = this.#compact(pos);
    return pos;
  }

  /** Forget `id`; false when it was not there. */
  delete(id: string): boolean {
    const pos = this.find(id);
    return pos >= 0 && this.#slots.remove(pos);
  }

  clear(): void {
    this.#ids.clear();
    this.#slots.clear();
  }

  /** Copy the live records, in order, into a fresh deque and index; returns where `pos` went. */
  #compact(pos: number): number {
    const old = this.#ids;
    const ids = new IdDeque({ extraBytes: this.#extra, chunkRecords: this.#chunkRecords });
    const slots = new IdSlots(ids);
    slots.reserve(this.#slots.size);
    let moved = -1;
    for (let p = old.front; p < old.back; p++) {
      const chunk = old.chunk(p);
      const at = old.offset(p);
      if (this.#slots.find(old.words(p), old.wordOffset(p)) !== p) continue;
      const q = ids.push();
      ids.chunk(q).set(chunk.subarray(at, at + old.recordBytes), ids.offset(q));
      slots.insert(q);
      if (p === pos) moved = q;
    }
    this.#ids = ids;
    this.#slots = slots;
    return moved;
  }
}
