/**
 * The facts of docs/spec.md §9 (a block's target and its parent's median time past) for the
 * header checks made before ChainState: of a stored parent, or of a parent in a run of blocks or
 * headers not stored yet (a batch being added, headers being downloaded).
 */
import { retargetFacts, type BlockMeta, type ChainView, type NetworkParams, type RetargetFacts } from '@chain/core';

/** What the facts read of the stored chain (a ChainState fits). */
export interface StoredView {
  readonly params: NetworkParams;
  meta(hash: string): BlockMeta | undefined;
  onBestChain(hash: string): boolean;
  hashAt(height: number): string | undefined;
}

/** Blocks or headers not stored, each the parent of the next, the first on the stored block `base`. */
export interface Run {
  readonly base: BlockMeta;
  /** The member at `height` (from base.index + 1), if any. */
  at(height: number): BlockMeta | undefined;
  /** The member with this hash, if any. */
  get(hash: string): BlockMeta | undefined;
}

/** The stored chain, with a run on top, as the view `retargetFacts` reads. */
export function chainView(chain: StoredView, run?: Run): ChainView {
  if (run === undefined) return { get: (h) => chain.meta(h), onBest: (h) => chain.onBestChain(h), hashAt: (n) => chain.hashAt(n) };
  // A run continues the best chain exactly when its base is on it: then block 2 is read by height,
  // not found by walking down the whole run for every header.
  const baseOnBest = chain.onBestChain(run.base.hash);
  return {
    get: (h) => run.get(h) ?? chain.meta(h),
    onBest: (h) => (run.get(h) !== undefined ? baseOnBest : chain.onBestChain(h)),
    hashAt: (n) => (baseOnBest && n > run.base.index ? run.at(n)?.hash : chain.hashAt(n)),
  };
}

/** What a child of `parent` (stored, or a member of `run`) must meet; undefined on a fixed network. */
export function factsAfter(chain: StoredView, parent: BlockMeta, run?: Run): RetargetFacts | undefined {
  return chain.params.retarget === undefined ? undefined : retargetFacts(chain.params, chainView(chain, run), parent);
}

/** The same of the stored block `hash`; undefined also when it is not stored. */
export function factsAfterStored(chain: StoredView, hash: string): RetargetFacts | undefined {
  const parent = chain.params.retarget === undefined ? undefined : chain.meta(hash);
  return parent && factsAfter(chain, parent);
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
