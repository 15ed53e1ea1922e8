import { LruCache, type Block } from '@chain/core';

/**
 * Parsed blocks recently read or written, least recently used forgotten first, bounded by the
 * bytes of their JSON (known when a block is stored and when it is read back): a count of blocks
 * would hold 100–200 MB once blocks are full. A block larger than the whole budget is not cached.
 */
export class BlockCache {
  readonly maxBytes: number;
  readonly #blocks = new LruCache<string, { readonly block: Block; readonly bytes: number }>(Number.MAX_SAFE_INTEGER);
  #bytes = 0;

  constructor(maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
      throw new RangeError(`cache bytes must be a whole number, got ${String(maxBytes)}`);
    this.maxBytes = maxBytes;
  }

  /** JSON bytes of the blocks cached. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#blocks.size;
  }

  get(hash: string): Block | undefined {
    return this.#blocks.get(hash)?.block;
  }

  /** Cache `block`, whose JSON is `bytes` long, as the most recent. */
  set(hash: string, block: Block, bytes: number): void {
    const old = this.#blocks.get(hash);
    if (old) {
      this.#blocks.delete(hash);
      this.#bytes -= old.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.#blocks.set(hash, { block, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.maxBytes) this.#bytes -= (this.#blocks.deleteOldest() as [string, { bytes: number }])[1].bytes;
  }
}
