import type { BlockMeta } from '@chain/core';
import type { PeerHistory } from './history';
import type { BranchView, ForksView } from './types';
import { summaryOfMeta } from './views';

/** Side branches reported at most, those with the highest leaves first. */
export const MAX_BRANCHES = 50;
/** Blocks reported at most per branch (those nearest its leaf). */
export const MAX_BRANCH_BLOCKS = 100;

/**
 * The side branches the chain knows and the reorganisations this explorer saw.
 * A branch runs from just above its fork point on the best chain to a side
 * block that no other side block extends (a leaf); branches that share blocks
 * list the shared ones in each.
 */
export function forksOf(history: PeerHistory): ForksView {
  const chain = history.chain;
  const side = chain.sideBlocks();
  const hasChild = new Set<string>();
  for (const m of side) hasChild.add(m.previousHash);
  const leaves = side.filter((m) => !hasChild.has(m.hash)).sort((a, b) => b.index - a.index || a.timestamp - b.timestamp);
  const branches: BranchView[] = [];
  for (const leaf of leaves.slice(0, MAX_BRANCHES)) {
    const path: BlockMeta[] = [];
    let m: BlockMeta | undefined = leaf;
    while (m && !chain.onBestChain(m.hash)) {
      path.push(m);
      m = chain.meta(m.previousHash);
    }
    // `m` is the fork point; past the bound, the branch is cut (its lower blocks are left out).
    const blocks = path.slice(0, MAX_BRANCH_BLOCKS).reverse();
    const first = blocks[0] as BlockMeta;
    branches.push({
      forkHeight: first.index - 1,
      forkHash: first.previousHash,
      blocks: blocks.map((b) => ({ ...summaryOfMeta(b), abandoned: history.abandoned(b.hash) })),
    });
  }
  return { height: chain.height, sideBlocks: side.length, branches, reorgs: [...history.reorgs].reverse() };
}
