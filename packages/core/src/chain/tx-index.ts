import { HASH_BYTES, hexInto } from './hash-slots';
import { BlockSpans } from './block-spans';
import { IdDeque } from './id-deque';
import { IdSlots, type IdSlotsOptions } from './id-slots';

export interface TxIndexOptions extends IdSlotsOptions {
  /** Position of the first id (tests cross the slots' wrap without indexing billions). Default 0. */
  readonly start?: number;
}

/**
 * The ids of the transactions in the best chain's recent blocks: the blocks
 * whose timestamp is after a horizon that follows the tip. A transaction older
 * than the TTL is invalid anyway, so this is all the double-spend rule needs,
 * and memory is bounded by the TTL window, not by the chain's length.
 *
 * Compact, since the window at thousands of transactions a second holds millions of ids: each
 * id is 32 bytes in a chunked deque (connected at the top, disconnected at the top, pruned at
 * the bottom), a 4-byte slot of a keyed open-addressing index and a share of its block's 24
 * bytes, about 40–45 bytes an id in all; nothing has a cap on its number of entries. Blocks are
 * connected in ascending height and disconnected from the top.
 */
export class TxIndex {
  readonly #ids: IdDeque;
  readonly #slots: IdSlots;
  readonly #blocks = new BlockSpans();
  readonly #key = new Uint32Array(HASH_BYTES / 4);
  readonly #keyBytes = new Uint8Array(this.#key.buffer);
  /** Blocks with timestamp ≤ horizon may have been dropped. */
  horizon = -Infinity;

  constructor(opts: TxIndexOptions = {}) {
    this.#ids = new IdDeque({ start: opts.start });
    this.#slots = new IdSlots(this.#ids, opts);
  }

  /** Height of the best-chain block holding `id`, if indexed. */
  heightOf(id: string): number | undefined {
    if (!hexInto(id, this.#keyBytes, 0)) return undefined;
    const pos = this.#slots.find(this.#key, 0);
    return pos < 0 ? undefined : this.#blocks.height(this.#blocks.holding(pos));
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Bytes of typed arrays held (ids, slots, blocks), for measurements. */
  get allocatedBytes(): number {
    return this.#ids.allocatedBytes + this.#slots.allocatedBytes;
  }

  /** Make room for `ids` more ids without rehashing on the way (a rebuild knows its count). */
  reserve(ids: number): void {
    this.#slots.reserve(this.#slots.size + ids);
  }

  /**
   * Index the transactions of the best-chain block at `height`, above every block indexed (ids
   * are lowercase hex, checked before). An id indexed already now answers with this height.
   */
  connect(height: number, timestamp: number, ids: readonly string[]): void {
    if (timestamp <= this.horizon) return;
    const blocks = this.#blocks;
    const top = blocks.length - 1;
    if (top >= 0 && height <= blocks.height(top))
      throw new RangeError(`TxIndex.connect(${height}) below or at the top block ${blocks.height(top)}: disconnect first`);
    const deque = this.#ids;
    blocks.push(height, timestamp, deque.back);
    for (const id of ids) {
      const pos = deque.push();
      if (!hexInto(id, deque.chunk(pos), deque.offset(pos))) {
        deque.popBack();
        throw new TypeError(`TxIndex.connect: ${JSON.stringify(id)} is not a transaction id`);
      }
      this.#slots.insert(pos);
    }
  }

  /** Forget the best-chain block at `height` (it was disconnected by a reorg): the top block, or none. */
  disconnect(height: number): void {
    const blocks = this.#blocks;
    const top = blocks.length - 1;
    if (top < 0 || height > blocks.height(top) || height < blocks.height(0)) return;
    if (height !== blocks.height(top)) {
      for (let k = top - 1; k >= 0 && blocks.height(k) >= height; k--)
        if (blocks.height(k) === height) throw new RangeError(`TxIndex.disconnect(${height}) below the top block ${blocks.height(top)}`);
      return;
    }
    const deque = this.#ids;
    const first = blocks.first(top);
    while (deque.back > first) {
      this.#slots.remove(deque.back - 1);
      deque.popBack();
    }
    blocks.popNewest();
  }

  /** Drop blocks with timestamp ≤ `horizon`, oldest first. The horizon never moves back. */
  prune(horizon: number): void {
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    const blocks = this.#blocks;
    const deque = this.#ids;
    while (blocks.length > 0 && blocks.timestamp(0) <= horizon) {
      const end = blocks.length > 1 ? blocks.first(1) : deque.back;
      while (deque.front < end) {
        this.#slots.remove(deque.front);
        deque.popFront();
      }
      blocks.popOldest();
    }
  }
}
