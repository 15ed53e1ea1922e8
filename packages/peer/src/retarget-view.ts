/**
 * The facts of docs/spec.md §9 (a block's target and its parent's median time past) for the
 * header checks made before ChainState: of a stored parent, or of a parent in a run of blocks or
 * headers not stored yet (a batch being added, headers being downloaded).
 */
import { retargetFacts, withRun, type BlockMeta, type ChainView, type NetworkParams, type RetargetFacts, type Run } from '@chain/core';

export { ArrayRun, type Run } from '@chain/core';

/** What the facts read of the stored chain (a ChainState fits). */
export interface StoredView {
  readonly params: NetworkParams;
  meta(hash: string): BlockMeta | undefined;
  onBestChain(hash: string): boolean;
  hashAt(height: number): string | undefined;
}

/** The stored chain, with a run on top, as the view `retargetFacts` reads. */
export function chainView(chain: StoredView, run?: Run): ChainView {
  const stored: ChainView = { get: (h) => chain.meta(h), onBest: (h) => chain.onBestChain(h), hashAt: (n) => chain.hashAt(n) };
  return run === undefined ? stored : withRun(stored, run);
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
