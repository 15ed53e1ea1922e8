import { IdFifo } from './id-fifo';

/**
 * A bounded set of recent transaction (or block) ids: at most `capacity`, first in first out.
 * Adding an id that is already there keeps its place; adding a new one when full forgets the
 * oldest. `add`, `has` and `delete` are O(1), and ids are kept as 32 raw bytes in typed arrays
 * (allocated in chunks as the set fills), about 40 bytes an id instead of the 150–300 of a hex
 * string in a Map: for memories kept per neighbour, such as which ids a neighbour is known to
 * have. Ids are 64 lowercase hex characters; anything else is never held (`add` returns false).
 */
export class RecentIds {
  readonly #fifo: IdFifo;

  constructor(capacity: number) {
    this.#fifo = new IdFifo(capacity);
  }

  get capacity(): number {
    return this.#fifo.capacity;
  }

  get size(): number {
    return this.#fifo.size;
  }

  /** Bytes of the typed arrays held. */
  get allocatedBytes(): number {
    return this.#fifo.allocatedBytes;
  }

  has(id: string): boolean {
    return this.#fifo.find(id) >= 0;
  }

  /** Add `id` as the newest unless it is there already; true when it was added. */
  add(id: string): boolean {
    return this.#fifo.find(id) < 0 && this.#fifo.push(id) >= 0;
  }

  /** Forget `id`; false when it was not there. */
  delete(id: string): boolean {
    return this.#fifo.delete(id);
  }

  clear(): void {
    this.#fifo.clear();
  }
}
