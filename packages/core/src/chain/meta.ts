import type { Block } from '../types';

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
