/** What the selfish miner does after an event. */
export type SelfishDecision =
  /** Keep mining in private. */
  | { readonly kind: 'wait' }
  /** Give up the branch and mine on the public tip. */
  | { readonly kind: 'adopt' }
  /** Publish the next `count` unpublished blocks: to the race targets (a tie), or to everyone. */
  | { readonly kind: 'publish'; readonly count: number; readonly to: 'race' | 'all' }
  /** Publish the whole branch to everyone: it is longer than the public chain; then start afresh on it. */
  | { readonly kind: 'override' };

/**
 * The selfish-mining strategy of Eyal & Sirer ("Majority is not Enough", 2014, Algorithm 1) as a
 * state machine over counts: the lead of the private chain over the public one, the blocks of
 * the private branch and how many of them are published. It decides; someone else does.
 */
export class SelfishMachine {
  /** Private chain length minus public chain length. */
  lead = 0;
  /** Blocks on the private branch since the fork point. */
  branch = 0;
  /** Of those, published. */
  published = 0;

  /** In the tie after a race publication (Eyal & Sirer's state 0′). */
  get racing(): boolean {
    return this.lead === 0 && this.branch === 1 && this.published === 1;
  }

  /** The selfish pool found a block. */
  onOwnBlock(): SelfishDecision {
    const before = this.lead;
    this.branch++;
    this.lead++;
    if (before === 0 && this.branch === 2) {
      // It was a race (one published block each side): the pool's branch is now longer; publish it and win.
      this.#reset();
      return { kind: 'override' };
    }
    return { kind: 'wait' };
  }

  /** The public chain grew by one block found by others. */
  onPublicBlock(): SelfishDecision {
    const before = this.lead;
    if (before <= 0) {
      // They win (or nothing was in progress): mine on their tip.
      this.#reset();
      return { kind: 'adopt' };
    }
    this.lead--;
    if (before === 1) {
      // Same length now: publish the last block and race.
      const count = this.branch - this.published;
      this.published = this.branch;
      return { kind: 'publish', count, to: 'race' };
    }
    if (before === 2) {
      // One ahead: publish everything and win.
      this.#reset();
      return { kind: 'override' };
    }
    // Comfortably ahead: publish the first unpublished block (the honest block is matched, and loses later).
    this.published++;
    return { kind: 'publish', count: 1, to: 'all' };
  }

  #reset(): void {
    this.lead = 0;
    this.branch = 0;
    this.published = 0;
  }
}
