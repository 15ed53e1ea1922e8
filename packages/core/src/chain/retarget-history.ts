import type { NetworkParams } from '../types';
import type { RetargetFacts } from '../consensus/block';
import { nextTarget } from '../consensus/retarget';
import { MEDIAN_TIME_BLOCKS, medianTimePast } from '../consensus/median-time';
import { workOfTarget } from '../consensus/target';
import type { BlockMeta } from './meta';

/** The few reads of the block tree that the history of a chain needs. */
export interface ChainView {
  get(hash: string): BlockMeta | undefined;
  onBest(hash: string): boolean;
  hashAt(height: number): string | undefined;
}

function known(view: ChainView, hash: string): BlockMeta {
  const m = view.get(hash);
  if (!m) throw new Error(`block ${hash} is not in the tree though a block on it is`);
  return m;
}

/**
 * The timestamp of block 2 on the chain of `parent` (docs/spec.md §9.3): found by walking down to
 * the best chain, whose block 2 is read by height; the genesis's own at index 1 (it is not read).
 */
export function anchorTimestamp(view: ChainView, parent: BlockMeta): number {
  let m = parent;
  while (m.index > 2 && !view.onBest(m.hash)) m = known(view, m.previousHash);
  return m.index <= 2 ? m.timestamp : known(view, view.hashAt(2) as string).timestamp;
}

/** What a child of `parent` must meet on a retargeting network; undefined on a fixed one. */
export function retargetFacts(params: NetworkParams, view: ChainView, parent: BlockMeta): RetargetFacts | undefined {
  if (params.retarget === undefined) return undefined;
  const times: number[] = [];
  for (
    let m: BlockMeta | undefined = parent;
    m && times.length < MEDIAN_TIME_BLOCKS;
    m = m.index > 1 ? known(view, m.previousHash) : undefined
  ) {
    times.push(m.timestamp);
  }
  const target = nextTarget(params, {
    parentIndex: parent.index,
    parentTimestamp: parent.timestamp,
    anchorTimestamp: anchorTimestamp(view, parent),
  });
  return { target, medianTimePast: medianTimePast(times) };
}

/** The work of the blocks of `chain` (each the parent of the next) on `fork`. */
function workAfter(params: NetworkParams, view: ChainView, fork: BlockMeta, chain: readonly BlockMeta[]): bigint {
  const first = chain[0];
  if (first === undefined) return 0n;
  // A chain that forks at the genesis has its own block 2, hence its own schedule.
  const anchor = fork.index < 2 ? first.timestamp : anchorTimestamp(view, fork);
  let sum = 0n;
  let prev = fork;
  for (const m of chain) {
    sum += workOfTarget(nextTarget(params, { parentIndex: prev.index, parentTimestamp: prev.timestamp, anchorTimestamp: anchor }));
    prev = m;
  }
  return sum;
}

/**
 * Whether `branch`, blocks from just above a best-chain block (the fork) up to a candidate tip, has
 * more work than the best chain above the same fork (docs/spec.md §9.4): only the parts above the
 * fork differ, so only they are summed.
 */
export function outworksBest(params: NetworkParams, view: ChainView, branch: readonly BlockMeta[]): boolean {
  const first = branch[0];
  if (first === undefined) return false;
  const fork = known(view, first.previousHash);
  if (!view.onBest(fork.hash)) throw new Error(`block ${fork.hash} below a branch is not on the best chain`);
  const best: BlockMeta[] = [];
  for (let h = fork.index + 1; view.hashAt(h) !== undefined; h++) best.push(known(view, view.hashAt(h) as string));
  return workAfter(params, view, fork, branch) > workAfter(params, view, fork, best);
}

/** The tree seen with `pending` blocks on top of its tip (a run validated before it is stored). */
export function withPending(view: ChainView, pending: ReadonlyMap<string, BlockMeta>): ChainView {
  return {
    get: (hash) => pending.get(hash) ?? view.get(hash),
    onBest: (hash) => !pending.has(hash) && view.onBest(hash),
    hashAt: (height) => view.hashAt(height),
  };
}
