import { randomBytes } from 'node:crypto';
import { createClassicTransaction, signTransaction, type AddTxResult, type Transaction, type TxFormat } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import type { Source } from '@chain/peer';

/** The most transactions a second `--traffic` takes: far above what makes a lively demo, below what floods a pool. */
export const MAX_TRAFFIC = 1000;

/** Where the generator submits: a peer, or anything that admits transactions like one. */
export interface TrafficTarget {
  submitTransaction(tx: unknown, source?: Source): Promise<AddTxResult>;
}

export interface TrafficOptions {
  /** The peers, used in turn. */
  readonly targets: readonly TrafficTarget[];
  readonly txFormat: TxFormat;
  /** The network's genesis hash (signed transactions commit to it). */
  readonly genesisHash: string;
  /** Transactions a second, more than 0 and at most MAX_TRAFFIC. */
  readonly rate: number;
  /** How many senders take turns. Default 4. */
  readonly senders?: number;
  /** The clock, ms. Default Date.now. */
  readonly now?: () => number;
  /** 32-byte secret seeds for the signing keys. Default: random. */
  readonly seed?: () => Uint8Array;
  /** A submission that failed (not a rejection: the peer could not take it at all). */
  readonly onError?: (err: Error) => void;
}

/**
 * Test transactions at a steady rate, signed by keys of its own (or from
 * classic senders `devn0001`, …), spread over the targets in turn, so that a
 * devnet's miners always have something to mine. A token bucket: `tick()`
 * sends what the time since the last tick allows (at most one second's worth,
 * so a stalled process does not burst), and nothing while earlier submissions
 * are still unanswered beyond a bound.
 */
export class TrafficGenerator {
  readonly rate: number;
  /** Submitted, accepted and rejected so far. */
  sent = 0;
  accepted = 0;
  rejected = 0;
  /** The last rejection, for a status line: `reason (message)`. */
  lastRejection: string | undefined;
  readonly #opts: TrafficOptions;
  readonly #now: () => number;
  readonly #seeds: Uint8Array[];
  readonly #senders: string[];
  readonly #tag = randomBytes(2).toString('hex');
  #budget = 1; // the first transaction goes out at once
  #last: number;
  #inFlight = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: TrafficOptions) {
    if (!(opts.rate > 0 && opts.rate <= MAX_TRAFFIC))
      throw new RangeError(`rate must be more than 0 and at most ${MAX_TRAFFIC} transactions a second, got ${opts.rate}`);
    if (opts.targets.length === 0) throw new RangeError('targets: give at least one peer');
    const count = opts.senders ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 9999)
      throw new RangeError(`senders must be an integer from 1 to 9999, got ${count}`);
    this.#opts = opts;
    this.rate = opts.rate;
    this.#now = opts.now ?? Date.now;
    this.#last = this.#now();
    const seed = opts.seed ?? (() => new Uint8Array(randomBytes(32)));
    this.#seeds = opts.txFormat === 'signed' ? Array.from({ length: count }, seed) : [];
    this.#senders = Array.from({ length: count }, (_, i) => `devn${String(i + 1).padStart(4, '0')}`);
  }

  /** Tick on a timer until stop(): every 1/rate s, at least every 20 ms and at most every second. */
  start(): void {
    if (this.#timer) return;
    this.#last = this.#now();
    this.#timer = setInterval(() => this.tick(), Math.max(20, Math.min(1000, 1000 / this.rate)));
    this.tick();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Send what is due now; returns how many were sent. */
  tick(): number {
    const now = this.#now();
    this.#budget = Math.min(this.#budget + (this.rate * Math.max(0, now - this.#last)) / 1000, Math.max(1, this.rate));
    this.#last = now;
    const due = Math.floor(this.#budget);
    this.#budget -= due;
    const room = Math.max(0, Math.ceil(this.rate) + 16 - this.#inFlight);
    const count = Math.min(due, room);
    for (let i = 0; i < count; i++) this.#submit(this.#next(now));
    return count;
  }

  #next(now: number): Transaction {
    const n = this.sent;
    const content = `devnet traffic ${this.#tag} #${n + 1}`;
    const who = n % this.#senders.length;
    return this.#opts.txFormat === 'signed'
      ? signTransaction({
          genesisHash: this.#opts.genesisHash,
          secretKey: this.#seeds[who] as Uint8Array,
          content,
          timestamp: now,
          ed25519: nodeEd25519,
        })
      : createClassicTransaction(this.#senders[who] as string, { content, timestamp: now });
  }

  #submit(tx: Transaction): void {
    const target = this.#opts.targets[this.sent % this.#opts.targets.length] as TrafficTarget;
    this.sent++;
    this.#inFlight++;
    target.submitTransaction(tx, { kind: 'remote' }).then(
      (r) => {
        this.#inFlight--;
        if (r.ok) this.accepted++;
        else {
          this.rejected++;
          this.lastRejection = `${r.reason} (${r.message})`;
        }
      },
      (err: Error) => {
        this.#inFlight--;
        this.rejected++;
        this.lastRejection = err.message;
        this.#opts.onError?.(err);
      },
    );
  }
}
