import type { Block, Transaction } from '@chain/core';
import { txId } from '@chain/core';
import type { MinerAgent } from '../mining';
import type { SimNode, World } from '../world';
import { PrivateBranch } from './private-branch';

/** Where a double-spend attempt stands, from the attacker's point of view. */
export interface AttemptState {
  /** The merchant has seen the payment with z confirmations. */
  readonly accepted: boolean;
  /** Private chain height, and the longest public chain's. */
  readonly privateLength: number;
  readonly publicLength: number;
}

/** What the attacker does next. */
export type AttemptDecision = 'mine' | 'publish' | 'give-up';

/**
 * The double spender's rule: once the merchant has accepted, publish as soon as the private
 * branch is strictly longer than the public chain (a tie would lose: first seen wins); give up
 * when the public chain is more than `giveUpBehind` blocks ahead.
 */
export function decide(s: AttemptState, giveUpBehind: number): AttemptDecision {
  if (s.accepted && s.privateLength > s.publicLength) return 'publish';
  if (s.publicLength - s.privateLength > giveUpBehind) return 'give-up';
  return 'mine';
}

export interface Attempt {
  readonly payment: string;
  readonly startedAt: number;
  /** Attacker blocks when the merchant accepted (the k of the negative binomial). */
  attackerBlocksAtAcceptance: number | null;
  /**
   * `success`: the merchant's best chain dropped the payment's block for the attacker's branch;
   * `lost`: the branch was published but the merchant kept its chain (it had heard of a longer one
   * than the attacker knew); `gave-up`: too far behind.
   */
  outcome: 'success' | 'lost' | 'gave-up' | null;
  /** Blocks of the public chain the attacker's branch replaced. */
  reverted: number;
  /** First block of the published branch (to check the merchant took it). */
  firstBlock: string | null;
}

/**
 * A double spender with its share of the hash power: it pays a merchant (a transaction sent to
 * the merchant's peer, which gossips it), mines a private branch from the payment's parent that
 * leaves the payment out, and publishes the branch when the merchant has accepted the payment
 * with z confirmations and the branch is strictly longer than the public chain. One attempt after
 * another; between attempts it mines honestly (publishes at once).
 */
export class DoubleSpender implements MinerAgent {
  readonly node: number;
  readonly branch: PrivateBranch;
  readonly attempts: Attempt[] = [];
  readonly #world: World;
  readonly #merchant: SimNode;
  readonly #z: number;
  readonly #giveUpBehind: number;
  readonly #trials: number;
  #current: { attempt: Attempt; id: string } | null = null;
  #paused = true;

  constructor(world: World, node: number, honest: readonly number[], merchant: number, z: number, giveUpBehind: number, trials: number) {
    this.#world = world;
    this.node = node;
    this.#merchant = world.nodes[merchant] as SimNode;
    this.#z = z;
    this.#giveUpBehind = giveUpBehind;
    this.#trials = trials;
    this.branch = new PrivateBranch(world, node, honest, (b) => this.#onPublic(b));
    this.#merchant.peer.on('block', () => this.#check());
    this.#merchant.peer.on('reorg', () => this.#check());
  }

  /** Every attempt made, or in progress. */
  get done(): boolean {
    const last = this.attempts[this.attempts.length - 1];
    return this.attempts.length >= this.#trials && this.#current === null && last?.outcome !== null;
  }

  /** Start the first attempt. */
  begin(): void {
    this.#start();
  }

  async found(): Promise<void> {
    if (this.#paused) {
      // Between attempts: an honest block, published at once.
      const b = this.branch.mine();
      this.branch.publish([b], this.branch.targets);
      this.branch.restart();
      return;
    }
    this.branch.mine();
    this.#check();
  }

  #start(): void {
    if (this.attempts.length >= this.#trials) return;
    this.branch.adopt();
    const w = this.#world;
    const payment: Transaction = w.txs.make(w.scheduler.now(), `pay ${this.attempts.length}`);
    const attempt: Attempt = {
      payment: txId(w.genesisHash, payment),
      startedAt: w.scheduler.time,
      attackerBlocksAtAcceptance: null,
      outcome: null,
      reverted: 0,
      firstBlock: null,
    };
    this.attempts.push(attempt);
    this.#current = { attempt, id: attempt.payment };
    this.#paused = false;
    w.trace.note(w.scheduler.time, `attempt ${this.attempts.length} from ${this.branch.fork.hash.slice(0, 16)}`);
    void this.#merchant.peer.submitTransaction(payment);
  }

  #onPublic(block: Block): void {
    this.branch.publicHeight = Math.max(this.branch.publicHeight, block.index);
    this.#check();
  }

  /** The merchant's view: the payment is z deep in its best chain. */
  #accepted(id: string): boolean {
    const chain = this.#merchant.peer.chain;
    const h = chain.txHeight(id);
    return h !== undefined && chain.height - h + 1 >= this.#z;
  }

  #check(): void {
    const c = this.#current;
    if (c === null || this.#paused) return;
    const b = this.branch;
    if (c.attempt.attackerBlocksAtAcceptance === null && this.#accepted(c.id)) c.attempt.attackerBlocksAtAcceptance = b.blocks.length;
    // The attacker watches the merchant (it must, to know when the goods are sent): the public
    // chain is the longest of its own peer's and the merchant's.
    const publicLength = Math.max(b.publicHeight, this.#merchant.peer.chain.height);
    const d = decide(
      { accepted: c.attempt.attackerBlocksAtAcceptance !== null, privateLength: b.length, publicLength },
      this.#giveUpBehind,
    );
    if (d === 'mine') return;
    if (d === 'publish') {
      c.attempt.reverted = publicLength - b.fork.index;
      c.attempt.firstBlock = (b.blocks[0] as Block).currentHash;
      b.publish(b.blocks, b.targets);
      b.restart();
    } else {
      c.attempt.outcome = 'gave-up';
      b.adopt();
    }
    this.#world.trace.note(this.#world.scheduler.time, `attempt ${this.attempts.length} ${d}`);
    this.#current = null;
    this.#paused = true;
    // The outcome is read from the merchant once it has spread (a second, against intervals of minutes); then the next attempt.
    this.#world.scheduler.after(1000, () => {
      if (d === 'publish') {
        const chain = this.#merchant.peer.chain;
        c.attempt.outcome = c.attempt.firstBlock !== null && chain.onBestChain(c.attempt.firstBlock) ? 'success' : 'lost';
      }
      this.#start();
    });
  }
}
