import { isHex64, txId, type Block, type ChainState } from '@chain/core';
import { ApiError } from './http';
import type { PeerHistory } from './history';
import type { TxView } from './types';
import { confirmations } from './views';

/** Transactions of older best-chain blocks hashed at most per lookup, below the TTL window. */
export const MAX_SCANNED_TXS = 20_000;

/** A block by best-chain height (`12`) or by hash (best chain or side branch). */
export async function findBlock(chain: ChainState, ref: string): Promise<Block> {
  let block: Block | undefined;
  if (/^\d{1,15}$/.test(ref)) {
    block = await chain.blockAt(Number(ref));
    if (!block) throw new ApiError(404, 'not-found', `no block at height ${ref}: the best chain's height is ${chain.height}`);
  } else if (isHex64(ref)) {
    block = await chain.getBlock(ref);
    if (!block) throw new ApiError(404, 'not-found', `no known block has hash ${ref}`);
  } else {
    throw new ApiError(
      400,
      'malformed',
      `a block is a height (1 is the genesis) or a 64-character lowercase hex hash, got ${JSON.stringify(String(ref).slice(0, 80))}`,
    );
  }
  return block;
}

function inBlock(chain: ChainState, block: Block, id: string): TxView | undefined {
  const tx = block.transactions.find((t) => txId(chain.genesisHash, t) === id);
  if (!tx) return undefined;
  const best = chain.onBestChain(block.currentHash);
  return {
    id,
    tx,
    status: best ? 'confirmed' : 'side',
    block: { index: block.index, hash: block.currentHash, confirmations: confirmations(chain, block.currentHash) },
  };
}

/**
 * Where transaction `id` is: the pool, the chain's transaction index (the TTL
 * window), the side-branch and abandoned blocks seen since the explorer started,
 * and last a bounded scan of older best-chain blocks, newest first.
 */
export async function findTransaction(history: PeerHistory, id: string): Promise<TxView> {
  if (!isHex64(id))
    throw new ApiError(400, 'malformed', `a transaction id is 64 lowercase hex characters, got ${JSON.stringify(String(id).slice(0, 80))}`);
  const chain = history.chain;
  const pending = chain.pool.get(id);
  if (pending) return { id, tx: pending.tx, status: 'pending', block: null };
  const height = chain.txHeight(id);
  const candidates: (string | undefined)[] = [height === undefined ? undefined : chain.hashAt(height), history.blockOf(id)];
  for (const hash of candidates) {
    const block = hash === undefined ? undefined : await chain.getBlock(hash);
    const found = block && inBlock(chain, block, id);
    if (found) return found;
  }
  // Below the index's horizon: hash the transactions of older blocks, a bounded number of them.
  const horizon = chain.indexHorizon;
  let h = chain.height;
  while (h > 1 && (chain.meta(chain.hashAt(h) as string)?.timestamp ?? 0) > horizon) h--;
  let scanned = 0;
  for (; h > 1 && scanned < MAX_SCANNED_TXS; h--) {
    const block = await chain.blockAt(h);
    if (!block) break;
    const found = inBlock(chain, block, id);
    if (found) return found;
    scanned += block.transactions.length;
  }
  const where = h > 1 ? `nor in the best chain above height ${h} (older blocks are not searched)` : 'nor in the chain';
  throw new ApiError(404, 'not-found', `transaction ${id} is not in the pool, ${where}`);
}
