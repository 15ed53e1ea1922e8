import type { Block } from '../types';
import { MetaList, type MetaRows } from './meta-rows';

/** What the chain keeps in memory about every known valid block. */
export interface BlockMeta {
  readonly hash: string;
  readonly index: number;
  readonly timestamp: number;
  readonly proof: number;
  readonly previousHash: string;
  readonly txCount: number;
}

/** The header fields of a block as a {@link BlockMeta}. */
export function metaOf(block: Block): BlockMeta {
  return {
    hash: block.currentHash,
    index: block.index,
    timestamp: block.timestamp,
    proof: block.proof,
    previousHash: block.previousHash,
    txCount: block.transactions.length,
  };
}

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
   * before children, genesis excluded), in compact form: one row per block.
   * The best chain is derived from it.
   */
  metas(): Promise<MetaRows>;
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

  async metas(): Promise<MetaRows> {
    return this.#order.rows();
  }

  /** Number of stored blocks. */
  get size(): number {
    return this.#blocks.size;
  }
}
