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

/** Blocks or headers not stored, each the parent of the next, the first on the stored block `base`. */
export interface Run {
  readonly base: BlockMeta;
  /** The member at `height` (from base.index + 1), if any. */
  at(height: number): BlockMeta | undefined;
  /** The member with this hash, if any. */
  get(hash: string): BlockMeta | undefined;
}

/** A run kept as an array from its base: appended to one block at a time. */
export class ArrayRun implements Run {
  readonly base: BlockMeta;
  readonly #members: BlockMeta[] = [];
  readonly #byHash = new Map<string, BlockMeta>();

  constructor(base: BlockMeta) {
    this.base = base;
  }

  push(meta: BlockMeta): void {
    this.#members.push(meta);
    this.#byHash.set(meta.hash, meta);
  }

  at(height: number): BlockMeta | undefined {
    return this.#members[height - this.base.index - 1];
  }

  get(hash: string): BlockMeta | undefined {
    return this.#byHash.get(hash);
  }
}

/** The stored chain `view` with `run` on top (a batch being added, headers being downloaded). */
export function withRun(view: ChainView, run: Run): ChainView {
  // A run continues the best chain exactly when its base is on it: then block 2 is read by height,
  // not found by walking down the whole run for every block of it.
  const baseOnBest = view.onBest(run.base.hash);
  return {
    get: (h) => run.get(h) ?? view.get(h),
    onBest: (h) => (run.get(h) !== undefined ? baseOnBest : view.onBest(h)),
    hashAt: (n) => (baseOnBest && n > run.base.index ? run.at(n)?.hash : view.hashAt(n)),
  };
}
