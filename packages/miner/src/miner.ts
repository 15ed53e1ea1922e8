/**
 * A miner: learns of work through a {@link WorkSource} long poll, searches with
 * a worker pool, and submits what it finds. A new template cancels the running
 * search at once; there is no fixed-interval polling.
 */
import { EventEmitter } from 'node:events';
import { createWorkerPool, type HashrateReport, type WorkerPool, type WorkerPoolOptions } from './pool';
import type { SubmitReply, Work, WorkSource } from './work-source';

export interface MinerOptions extends WorkerPoolOptions {
  readonly source: WorkSource;
  /** Long-poll duration of each `gp` (ms). Default 30 000. */
  readonly pollMs?: number;
  /** An existing pool to use (not closed by the miner); otherwise the miner makes one. */
  readonly pool?: WorkerPool;
}

export interface MinerEvents {
  /** New work arrived (templateHash null: idle). */
  work: [Work];
  /** A proof was found and is being submitted. */
  found: [{ readonly proof: number; readonly templateHash: string; readonly index: number; readonly elapsedMs: number }];
  /** The peer took the block. */
  block: [Extract<SubmitReply, { status: 'Reward' }>['block']];
  /** The peer refused the proof (e.g. `stale`: someone else was faster). */
  rejected: [{ readonly reason: string; readonly templateHash: string }];
  hashrate: [HashrateReport];
  /** Getting work or submitting failed; the miner retries with backoff. */
  error: [Error];
}

export class Miner extends EventEmitter<MinerEvents> {
  readonly #source: WorkSource;
  readonly #pollMs: number;
  readonly #pool: WorkerPool;
  readonly #ownsPool: boolean;
  /** The template being worked on; undefined before the first work arrives. */
  #current: string | null | undefined = undefined;
  #abort: AbortController | null = null;
  #loop: Promise<void> | null = null;
  #blocks = 0;

  constructor(options: MinerOptions) {
    super();
    this.#source = options.source;
    this.#pollMs = options.pollMs ?? 30_000;
    this.#ownsPool = options.pool === undefined;
    this.#pool = options.pool ?? createWorkerPool(options);
    this.#pool.on('hashrate', (r) => this.emit('hashrate', r));
    this.#pool.on('error', (err) => this.#error(err));
  }

  /**
   * Attempts a second over the last 5 s, every search counted: the periodic `hashrate` report
   * comes only while one search lasts, and at a low difficulty every search ends before it.
   */
  get hashrate(): number {
    return this.#pool.hashrate;
  }

  /** Blocks this miner got a reward for. */
  get blocks(): number {
    return this.#blocks;
  }

  get running(): boolean {
    return this.#loop !== null;
  }

  start(): void {
    if (this.#loop) return;
    this.#abort = new AbortController();
    this.#loop = this.#run(this.#abort.signal);
  }

  /** Stop mining; closes the pool the miner made. */
  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#pool.cancel();
    await this.#loop;
    this.#loop = null;
    this.#current = undefined;
    if (this.#ownsPool) await this.#pool.close();
  }

  async #run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let work: Work;
      try {
        work = await untilAborted(
          this.#source.getWork(this.#current ?? null, this.#current === undefined ? 0 : this.#pollMs, signal),
          signal,
        );
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        this.#error(err as Error);
        await delay(Math.min(5000, 100 * 2 ** failures++), signal);
        continue;
      }
      if (signal.aborted) return;
      if (work.templateHash !== this.#current) this.#switch(work, signal);
    }
  }

  #switch(work: Work, signal: AbortSignal): void {
    this.#current = work.templateHash;
    this.emit('work', work);
    if (work.templateHash === null) {
      this.#pool.cancel();
      return;
    }
    const templateHash = work.templateHash;
    const handle = this.#pool.search({
      rule: work.pow,
      templateHash,
      previousProof: work.previousProof,
      difficulty: work.difficulty,
      // On a retargeting network the reply's target, not the network's difficulty, is the rule (docs/spec.md §9.6).
      ...(work.target !== undefined ? { target: work.target } : {}),
    });
    void handle.promise.then(
      async (solution) => {
        if (!solution || signal.aborted) return;
        this.emit('found', { proof: solution.proof, templateHash, index: work.index, elapsedMs: solution.elapsedMs });
        try {
          const reply = await this.#source.submit(solution.proof, templateHash);
          if (reply.status === 'Reward') {
            this.#blocks++;
            this.emit('block', reply.block);
          } else {
            this.emit('rejected', { reason: reply.reason, templateHash });
          }
        } catch (err) {
          if (!signal.aborted) this.#error(err as Error);
        }
        // The template is spent either way: the long poll (known = this template) waits for the next one.
      },
      (err: Error) => this.#error(err),
    );
  }

  #error(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (a long poll that cannot be cancelled is abandoned). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
