import type { Block, Transaction } from '../types';
import type { fail } from '../errors';

/** A failed admission or block, with the specification reason. */
export type Rejection = ReturnType<typeof fail>;

/**
 * The result of submitting a transaction, in the shape of the wire's `tx` reply (docs/spec.md §5):
 * `status` `Accepted` with `id`, or `Rejected` with `reason` and `message`; `ok` is `status ===
 * 'Accepted'`, as in every verdict of the library. A refused transaction that was well formed
 * carries its id (a duplicate, say: the caller knows which one it was without hashing it again).
 */
export type AddTxResult =
  | { readonly ok: true; readonly status: 'Accepted'; readonly id: string; readonly tx: Transaction }
  | (Rejection & { readonly status: 'Rejected'; readonly id?: string });

export type AddBlockResult =
  | {
      readonly ok: true;
      /** `known`: had it; `side`: valid, not best; `extended`: new tip on the best chain; `reorg`: best chain switched. */
      readonly status: 'known' | 'side' | 'extended' | 'reorg';
      readonly block: Block;
      /** Blocks that joined the best chain, in height order. */
      readonly connected: readonly Block[];
      /** Blocks that left the best chain, in height order. */
      readonly disconnected: readonly Block[];
      /** Ids of transactions put back in the pool by a reorg. */
      readonly returnedToPool: readonly string[];
    }
  | Rejection;

/** Options of `ChainState.addBlock`. */
export interface AddBlockOptions {
  /**
   * Called once the block passed every rule and before it is stored, with whether its parent is
   * the tip (it is about to extend the best chain unless storing it fails). Not called for a
   * block that is refused or already known.
   */
  readonly onValid?: (block: Block, extendsTip: boolean) => void;
  /**
   * Nobody asked for the block (it was announced, not fetched): one that would join a side branch
   * more than `UNREQUESTED_DEPTH` (100) blocks below the tip is refused `stale`, not stored.
   */
  readonly unrequested?: boolean;
}

/** Options of `ChainState.addBlocks`. */
export type AddBlocksOptions = Pick<AddBlockOptions, 'unrequested'>;
