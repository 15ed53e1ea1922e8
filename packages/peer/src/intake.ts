import { EventEmitter } from 'node:events';
import type { AddBlockResult, AddBlocksOptions, AddTxResult, Block, ChainState } from '@chain/core';
import type { Logger } from '@chain/net';
import { addBlocksVerified, checkedTransactions } from './preverify';
import type { VerifyPool } from './verify-pool';
import type { PoolJournal } from './storage/pool-journal';
import type { PeerEvents } from './events';
import type { Source } from './source';

/** Events of an {@link Intake}; `tx`, `tx-refused`, `block` and `reorg` are the peer's own events. */
export interface IntakeEvents extends Pick<PeerEvents, 'tx' | 'tx-refused' | 'block' | 'reorg'> {
  /**
   * A transaction entered the pool, emitted at once (before it is journaled and before
   * `tx`): whoever must know its source before the pool is looked at again hears it here.
   */
  admitted: [{ readonly id: string; readonly source: Source; readonly at: number }];
  /**
   * A neighbour sent a transaction this peer already has (refused as a duplicate): the
   * neighbour has it too, which the relay remembers.
   */
  seen: [{ readonly id: string; readonly source: Source }];
  /** An accepted batch changed the best chain; `block` is the new tip (announced with `nb`). */
  tip: [{ readonly block: Block; readonly source: Source }];
  /**
   * A block of this peer's own (its miner's) passed every rule and is about to extend the best
   * chain: emitted before it is stored, so that it can be announced while the block log syncs (its
   * durability here matters only to this peer's restart; a peer that lost it gets it back by
   * sync). `tip` follows once it is durable, or the accept fails.
   */
  ready: [{ readonly block: Block; readonly source: Source }];
}

export interface IntakeOptions {
  readonly chain: ChainState;
  /** The pool journal, or null when the peer keeps nothing on disk. */
  readonly journal: PoolJournal | null;
  readonly now: () => number;
  readonly logger: Logger;
  /** Threads that pre-verify the signatures of a batch of blocks; null verifies everything inline. */
  readonly verifyPool?: VerifyPool | null;
}

/**
 * The one way into this peer's chain and pool: transactions are admitted (the rules, then the
 * journal) and blocks accepted (the rules, then the block log) from any source (a neighbour, a
 * sync, this peer's user or miner). What changed is reported as events and nothing else: the
 * intake knows nobody that listens.
 */
export class Intake extends EventEmitter<IntakeEvents> {
  readonly #chain: ChainState;
  readonly #journal: PoolJournal | null;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #pool: VerifyPool | null;
  /** Transactions received in the current turn (a burst of `tx`), admitted together at its end. */
  #burst: { input: unknown; source: Source; done: (r: Promise<AddTxResult>) => void }[] = [];

  constructor(o: IntakeOptions) {
    super();
    this.#chain = o.chain;
    this.#journal = o.journal;
    this.#now = o.now;
    this.#log = o.logger;
    this.#pool = o.verifyPool ?? null;
  }

  /**
   * Admit a transaction received from the network as {@link admit} does (the same results),
   * gathering those that arrive in the same turn: a burst large enough has its signatures checked
   * on every core first (unless the threads still owe verdicts of an earlier batch), then each is
   * admitted in arrival order.
   */
  admitReceived(input: unknown, source: Source): Promise<AddTxResult> {
    if (!this.#pool) return this.admit(input, source);
    return new Promise((resolve) => {
      if (this.#burst.length === 0) queueMicrotask(() => void this.#admitBurst());
      this.#burst.push({ input, source, done: resolve });
    });
  }

  async #admitBurst(): Promise<void> {
    const burst = this.#burst;
    this.#burst = [];
    const inputs = await this.#checked(burst.map((b) => b.input));
    burst.forEach((b, i) => b.done(this.admit(inputs[i], b.source)));
  }

  /**
   * Transactions received together, with their signatures checked on every core first when the
   * batch is big enough and the threads answered the last one (busy threads mean no core to spare);
   * those that pass the format rules come back as the checked copies, which the rules do not hash again.
   */
  async #checked(inputs: readonly unknown[]): Promise<readonly unknown[]> {
    if (!this.#pool || this.#pool.busy) return inputs;
    const checked = checkedTransactions(this.#pool, this.#chain, inputs);
    await checked.verified;
    return checked.txs;
  }

  /** Admit a transaction: the rules, then the journal (durable before this resolves), then `tx`. */
  async admit(input: unknown, source: Source): Promise<AddTxResult> {
    const at = this.#now();
    const result = this.#chain.addTransaction(input, at);
    if (!result.ok) {
      // A duplicate passed the format check: the refusal carries its id.
      if (result.reason === 'duplicate' && source.kind === 'neighbour' && result.id !== undefined) {
        this.emit('seen', { id: result.id, source });
      }
      this.emit('tx-refused', { id: result.id, reason: result.reason, source });
      return result;
    }
    this.emit('admitted', { id: result.id, source, at });
    if (this.#journal) {
      try {
        await this.#journal.append(result.tx);
      } catch (err) {
        this.#chain.dropTransaction(result.id); // through the chain, so no template keeps it
        throw err;
      }
    }
    this.emit('tx', { id: result.id, tx: result.tx, source });
    return result;
  }

  /**
   * Admit transactions received together (an `hb` reply's pool), concurrently so that the journal
   * commits them together; signatures are first checked on every core when the batch is big enough.
   * A transaction that cannot be journaled is logged and left out.
   */
  async admitAll(received: readonly unknown[], source: Source): Promise<void> {
    const txs = await this.#checked(received);
    await Promise.all(
      txs.map((tx) =>
        this.admit(tx, source).catch((err: unknown) => {
          this.#log.error(`pool journal: ${(err as Error).message}`);
        }),
      ),
    );
  }

  /**
   * Add blocks received together (one, or a sync batch) in order, stored with one group commit
   * (one per slice when the verify pool checks the signatures of a large batch ahead of the rules);
   * stops at the first refused block. Each new block is reported (`block`, `reorg`), and a new
   * best chain once (`tip`), when the blocks are durable. A block of this peer's own that will
   * extend the tip is also reported before it is stored (`ready`). `unrequested` blocks (announced,
   * not fetched) that can only go below the tip are refused `stale` and not stored.
   */
  async accept(blocks: readonly unknown[], source: Source, options: AddBlocksOptions = {}): Promise<AddBlockResult[]> {
    const now = this.#now();
    let results: AddBlockResult[];
    if (source.kind === 'local' && blocks.length === 1) {
      // This peer's own block (its transactions were verified when they were admitted here).
      const ready = (block: Block, extendsTip: boolean) => extendsTip && this.emit('ready', { block, source });
      results = [await this.#chain.addBlock(blocks[0], now, { onValid: ready })];
    } else if (this.#pool) {
      // Signatures checked on every core first; the rules then skip those that verified, and
      // verify any other in order (the same verdicts, reasons and messages as without the pool).
      results = await addBlocksVerified(this.#pool, this.#chain, blocks, now, options);
    } else {
      results = await this.#chain.addBlocks(blocks, now, options);
    }
    let tip: Block | null = null;
    const announced = options.unrequested === true;
    for (const r of results) if (this.#added(r, source, announced) && r.ok) tip = r.block;
    if (tip) this.emit('tip', { block: tip, source });
    return results;
  }

  /** Events and journal for an added block; true when it changed the best chain. */
  #added(result: AddBlockResult, source: Source, announced: boolean): boolean {
    if (!result.ok || result.status === 'known') return false;
    if (result.status === 'side') {
      this.emit('block', { block: result.block, status: 'side', source, announced });
      return false;
    }
    if (result.status === 'reorg') {
      this.emit('reorg', { connected: result.connected, disconnected: result.disconnected, returnedToPool: result.returnedToPool });
      const journal = this.#journal;
      if (journal)
        for (const id of result.returnedToPool) {
          const entry = this.#chain.pool.get(id);
          if (entry) void journal.append(entry.tx).catch((err: unknown) => this.#log.error(`pool journal: ${(err as Error).message}`));
        }
    }
    this.emit('block', { block: result.block, status: result.status, source, announced });
    return true;
  }
}
