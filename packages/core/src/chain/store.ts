import type { Block } from '../types';
import { metaOf } from './meta';
import { MetaList, type StoredMetas } from './meta-list';

/**
 * Where validated blocks live. The chain state keeps only metas in memory (in
 * compact form) and reads whole blocks through this interface, so a durable store can
 * keep blocks on disk. Implementations: {@link MemoryBlockStore} here; a durable
 * one in @chain/peer.
 */
export interface BlockStore {
  /** Store a validated block; resolves once it is durable. Storing a known block again is a no-op. */
  put(block: Block): Promise<void>;
  /** A stored block by hash. */
  get(hash: string): Promise<Block | undefined>;
  /**
   * Every stored block's meta, in the order the blocks were stored (parents
   * before children, genesis excluded). The best chain is derived from it. A
   * store that keeps them in a `MetaLog` (`createMetaLog()`, compact: no
   * per-block objects) returns that log itself, and appends each block it stores
   * to it before `put` resolves: the chain's block tree then uses the log's rows
   * in place instead of copying them (a block missing from the log still joins
   * the tree, in rows of its own).
   */
  metas(): Promise<StoredMetas>;
}

/** A {@link BlockStore} in memory: for tests, tools and `--memory` peers. */
export class MemoryBlockStore implements BlockStore {
  readonly #blocks = new Map<string, Block>();
  readonly #order = new MetaList();

  async put(block: Block): Promise<void> {
    if (this.#blocks.has(block.currentHash)) return;
    this.#order.push(metaOf(block));
    this.#blocks.set(block.currentHash, block);
  }

  async get(hash: string): Promise<Block | undefined> {
    return this.#blocks.get(hash);
  }

  async metas(): Promise<StoredMetas> {
    return this.#order;
  }

  /** Number of stored blocks. */
  get size(): number {
    return this.#blocks.size;
  }
}
