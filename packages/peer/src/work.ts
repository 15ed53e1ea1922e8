import {
  BoundedMap,
  checkProof,
  sealBlock,
  targetToHex,
  type AddBlockResult,
  type Block,
  type BlockTemplate,
  type ChainState,
  type Reason,
} from '@chain/core';
import type { GpReply } from '@chain/protocol';
import type { Intake, IntakeEvents } from './intake';
import { LOCAL } from './source';
import { systemTimers, type TimerHandle, type Timers } from './timers';

/** How long a `gp` long poll may wait at most, whatever the miner asks (ms). */
export const MAX_GP_WAIT_MS = 60_000;
const KEEP_TEMPLATES = 32;
/** Least time between template rebuilds while transactions keep arriving (ms). */
const REFRESH_MS = 25;

export type SubmitResult =
  | { readonly status: 'Reward'; readonly block: Block; readonly added: AddBlockResult }
  | { readonly status: 'No reward'; readonly reason: Reason; readonly message: string };

interface Waiter {
  readonly known: string | null;
  readonly resolve: (reply: GpReply) => void;
  readonly timer: TimerHandle;
}

/** What the work manager needs of the intake: where mined blocks go, and whence transactions came. */
export type WorkIntake = Pick<Intake, 'accept' | 'on' | 'off'>;

export interface WorkOptions {
  /** Read, and listened to: a change of the tip or the pool wakes the long polls it concerns. */
  readonly chain: ChainState;
  /**
   * Mined blocks are accepted here the way every block is (durably, announced); its `admitted`
   * events say which transactions neighbours gossiped (see `graceMs`).
   */
  readonly intake: WorkIntake;
  readonly now: () => number;
  /** Where long-poll, grace and refresh timers are set. Default the global timers. */
  readonly timers?: Timers;
  /**
   * How long a transaction gossiped by a neighbour waits before this peer
   * mines it (default 1000 ms). The peer that received it from its author
   * mines it at once and announces the block within milliseconds; waiting
   * keeps every peer from mining the same transactions at the same time,
   * which would split the network into equal-height forks.
   */
  readonly graceMs?: number;
}

/**
 * The work a peer offers its miners (`gp`) and the proofs it takes (`up`). The
 * template is rebuilt at once when the tip changes or there was nothing to
 * mine, and at most every REFRESH_MS while transactions keep arriving, so that
 * a flood of transactions does not restart the miners on every one. It follows
 * the chain by itself (its change notifications); a proof goes from here to the
 * intake, and the chain's change wakes the long polls.
 */
export class WorkManager {
  readonly #chain: ChainState;
  readonly #intake: WorkIntake;
  readonly #now: () => number;
  readonly #timers: Timers;
  #current: BlockTemplate | null = null;
  #builtAt = { version: -1, tip: '' };
  readonly #templates = new BoundedMap<string, BlockTemplate>(KEEP_TEMPLATES);
  #waiters = new Set<Waiter>();
  #refresh: TimerHandle | null = null;
  /** Transactions gossiped by neighbours, by arrival time: mined only after the grace period. */
  readonly #foreign = new Map<string, number>();
  readonly #graceMs: number;
  #graceTimer: TimerHandle | null = null;
  /** Parent hash of the mined block being added (made durable), if any. */
  #adding: string | null = null;
  /** A wake of the long polls is due at the end of this turn (changes in one turn wake them once). */
  #wakeDue = false;
  readonly #unfollow: () => void;
  readonly #onAdmitted = (e: IntakeEvents['admitted'][0]): void => {
    if (e.source.kind === 'neighbour') this.noteForeign(e.id, e.at);
  };

  constructor(opts: WorkOptions) {
    this.#chain = opts.chain;
    this.#intake = opts.intake;
    this.#now = opts.now;
    this.#timers = opts.timers ?? systemTimers;
    this.#graceMs = opts.graceMs ?? 1000;
    // The intake reports a gossiped transaction in the same turn as the chain's change, before
    // the wake below runs: the template that wakes the miners already keeps it back.
    this.#intake.on('admitted', this.#onAdmitted);
    this.#unfollow = this.#chain.onChange(() => {
      if (this.#wakeDue || this.#waiters.size === 0) return;
      this.#wakeDue = true;
      queueMicrotask(() => {
        this.#wakeDue = false;
        this.#wake();
      });
    });
  }

  /** Note a transaction that a neighbour gossiped (see `graceMs`). */
  noteForeign(id: string, at: number): void {
    if (this.#graceMs > 0) this.#foreign.set(id, at);
  }

  /** The current template (rebuilt if the chain changed in a way that needs it now). */
  template(): BlockTemplate | null {
    const chain = this.#chain;
    if (this.#builtAt.version === chain.version) return this.#current;
    const tipChanged = this.#builtAt.tip !== chain.tip.hash;
    const stale =
      this.#current !== null && !tipChanged && this.#current.transactions.some((_, i) => !chain.pool.has(this.#current!.txIds[i]!));
    if (tipChanged || this.#current === null || stale) this.#rebuild();
    else this.#scheduleRefresh();
    return this.#current;
  }

  /** The `gp` reply for the current template. */
  describe(): GpReply {
    const t = this.template();
    const tip = this.#chain.tip;
    return {
      index: tip.index + 1,
      previousProof: tip.proof,
      previousHash: tip.hash,
      templateHash: t ? t.templateHash : null,
      difficulty: this.#chain.params.difficulty,
      pow: this.#chain.params.pow,
      pending: this.#chain.pool.size,
      // Only a retargeting network's reply names the target (docs/spec.md §9.6): a fixed one's bytes stay those of §5.6.
      ...(this.#chain.params.retarget === undefined ? {} : { target: this.#targetAfter(tip.hash) }),
    };
  }

  /** The target of a child of `parent` as the reply writes it (64 hex digits). */
  #targetAfter(parent: string): string {
    return targetToHex(this.#chain.targetAfter(parent));
  }

  /** `gp` with a long poll: resolve when the template differs from `known`, or after `waitMs`. */
  poll(known: string | null, waitMs: number, signal?: AbortSignal): Promise<GpReply> {
    const now = this.describe();
    if (waitMs <= 0 || now.templateHash !== known || signal?.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const finish = () => {
        this.#timers.clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', finish);
        if (this.#waiters.delete(waiter)) resolve(this.describe());
      };
      const waiter: Waiter = {
        known,
        resolve: (reply) => {
          signal?.removeEventListener('abort', finish);
          resolve(reply);
        },
        timer: this.#timers.setTimeout(finish, Math.min(waitMs, MAX_GP_WAIT_MS)),
      };
      signal?.addEventListener('abort', finish, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Wake the long polls whose template changed. */
  #wake(): void {
    if (this.#waiters.size === 0) return;
    const reply = this.describe();
    for (const w of this.#waiters) {
      if (reply.templateHash !== w.known) {
        this.#timers.clearTimeout(w.timer);
        this.#waiters.delete(w);
        w.resolve(reply);
      }
    }
  }

  /** `up`: seal the template with the proof and add the block. */
  async submit(proof: number, templateHash: string): Promise<SubmitResult> {
    const t = this.#templates.get(templateHash);
    if (!t || t.previousHash !== this.#chain.tip.hash) {
      return { status: 'No reward', reason: 'stale', message: 'that template is no longer current' };
    }
    const params = this.#chain.params;
    const job = {
      rule: params.pow,
      templateHash,
      previousProof: t.previousProof,
      difficulty: params.difficulty,
      ...(params.retarget === undefined ? {} : { target: this.#targetAfter(t.previousHash) }),
    };
    if (!checkProof(job, proof)) {
      const rule = job.target === undefined ? 'the difficulty' : `the target ${job.target}`;
      return { status: 'No reward', reason: 'bad-pow', message: `proof ${proof} does not meet ${rule}` };
    }
    // A second proof on the same parent while the first block is being stored would
    // only make a side branch of this peer's own (and verify its transactions again).
    if (this.#adding === t.previousHash) {
      return { status: 'No reward', reason: 'stale', message: 'a block on the same parent is already being added' };
    }
    const block = sealBlock(t, proof);
    this.#adding = t.previousHash;
    let added: AddBlockResult;
    try {
      added = (await this.#intake.accept([block], LOCAL))[0] as AddBlockResult;
    } finally {
      this.#adding = null;
    }
    if (!added.ok) return { status: 'No reward', reason: added.reason, message: added.message };
    if (added.status !== 'extended' && added.status !== 'reorg') {
      return { status: 'No reward', reason: 'stale', message: `the block did not extend the best chain (${added.status})` };
    }
    return { status: 'Reward', block, added };
  }

  /** Stop timers, stop following the chain and answer pending long polls. */
  close(): void {
    this.#unfollow();
    this.#intake.off('admitted', this.#onAdmitted);
    if (this.#refresh !== null) this.#timers.clearTimeout(this.#refresh);
    this.#refresh = null;
    if (this.#graceTimer !== null) this.#timers.clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    for (const w of this.#waiters) {
      this.#timers.clearTimeout(w.timer);
      w.resolve(this.describe());
    }
    this.#waiters.clear();
  }

  #rebuild(): void {
    if (this.#refresh !== null) this.#timers.clearTimeout(this.#refresh);
    this.#refresh = null;
    const now = this.#now();
    let nextExpiry = Infinity;
    for (const [id, at] of this.#foreign) {
      if (at + this.#graceMs <= now || !this.#chain.pool.has(id)) this.#foreign.delete(id);
      else nextExpiry = Math.min(nextExpiry, at + this.#graceMs);
    }
    this.#current = this.#chain.template(now, this.#foreign.size === 0 ? undefined : (id) => !this.#foreign.has(id));
    if (this.#graceTimer !== null) this.#timers.clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
    if (nextExpiry !== Infinity) {
      this.#graceTimer = this.#timers.setTimeout(
        () => {
          this.#graceTimer = null;
          this.#rebuild();
          this.#wake();
        },
        Math.max(1, nextExpiry - now),
      );
    }
    this.#builtAt = { version: this.#chain.version, tip: this.#chain.tip.hash };
    if (this.#current) {
      this.#templates.set(this.#current.templateHash, this.#current);
    }
  }

  #scheduleRefresh(): void {
    if (this.#refresh !== null) return;
    this.#refresh = this.#timers.setTimeout(() => {
      this.#refresh = null;
      this.#rebuild();
      this.#wake();
    }, REFRESH_MS);
  }
}
