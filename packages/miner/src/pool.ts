/**
 * A pool of worker threads searching proofs of work in parallel. One search at a time: a new
 * search (a new block template) cancels the running one at once, and results of a cancelled
 * search are discarded. Results equal the sequential search: the smallest proof ≥ start.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { MAX_PROOF, powHash, validateJob, type PowJob } from '@chain/core/pow';
import { jobChunkSize } from './chunk-size';
import { ChunkTracker } from './chunk-tracker';
import type { KernelKind } from './kernel/create';
import { BEST_CHUNK, CANCELLED, CONTROL_WORDS, NO_CHUNK, type JobMessage, type WorkerInit, type WorkerMessage } from './pool-protocol';
import type { Solution } from './search';
import { WorkMeter } from './work-meter';
import { defaultWorkerUrl, startWorker } from './worker-url';

export interface WorkerPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /** Kernel kind used by the workers (default `auto`: WebAssembly SIMD when available). */
  kernel?: KernelKind;
  /**
   * Consecutive proofs a worker claims at a time. Default: chosen per search from its difficulty or target
   * and the number of workers ({@link jobChunkSize}: 1,024 to 65,536), so that at low
   * difficulties every worker scans below the answer instead of past it.
   */
  chunkSize?: number;
  /** Period of `hashrate` events in ms while a search runs (default 1000; 0 disables). */
  hashrateIntervalMs?: number;
  /** Location of the worker script, when the package was bundled elsewhere. */
  workerUrl?: URL;
}

/** A job plus the range to search. */
export interface SearchRequest extends PowJob {
  /** First proof to test (default 0). */
  start?: number;
  /** Proofs to test at most (default: up to 2^53 − 1). */
  limit?: number;
  /** Cancels the search when aborted. */
  signal?: AbortSignal;
}

export interface PoolSolution extends Solution {
  /** Id of the search that found it. */
  id: number;
  elapsedMs: number;
}

export interface HashrateReport {
  id: number;
  /** Attempts per second over the last interval. */
  attemptsPerSecond: number;
  /** Attempts of this search so far. */
  attempts: number;
  elapsedMs: number;
}

/** A running search: `promise` resolves to the solution, or to null if cancelled or exhausted. */
export interface SearchHandle {
  readonly id: number;
  readonly promise: Promise<PoolSolution | null>;
  cancel(): void;
}

interface Active {
  id: number;
  request: SearchRequest;
  control: BigInt64Array;
  tracker: ChunkTracker;
  chunkSize: number;
  startedAt: number;
  attempts: number;
  lastReportAt: number;
  lastReportAttempts: number;
  timer: NodeJS.Timeout | undefined;
  settle(value: PoolSolution | null, error?: Error): void;
}

export interface WorkerPoolEvents {
  found: [PoolSolution];
  hashrate: [HashrateReport];
  error: [Error];
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly readyPromise: Promise<void>;
  private active: Active | undefined;
  private nextId = 1;
  private closed = false;
  /** Fixed by the options, or undefined: chosen per search. */
  private readonly chunkSize: number | undefined;
  private readonly intervalMs: number;
  private readonly meter = new WorkMeter();

  constructor(options: WorkerPoolOptions = {}) {
    super();
    this.size = options.workers ?? availableParallelism();
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError('workers: expected an integer ≥ 1');
    this.chunkSize = options.chunkSize;
    if (this.chunkSize !== undefined && (!Number.isInteger(this.chunkSize) || this.chunkSize < 1)) {
      throw new RangeError('chunkSize: expected an integer ≥ 1');
    }
    this.intervalMs = options.hashrateIntervalMs ?? 1000;
    const url = options.workerUrl ?? defaultWorkerUrl();
    const workerData: WorkerInit = { kernel: options.kernel ?? 'auto' };
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.size; i++) {
      const worker = startWorker(url, workerData);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (m: WorkerMessage) => {
            if (m.type === 'ready') resolve();
          });
        }),
      );
      worker.on('message', (m: WorkerMessage) => this.onMessage(m));
      let failed = false;
      worker.on('error', (error) => {
        failed = true;
        this.fail(error);
      });
      worker.on('exit', (code) => {
        const index = this.workers.indexOf(worker);
        if (index >= 0) this.workers.splice(index, 1);
        if (!this.closed && !failed) this.fail(new Error(`miner worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
    this.readyPromise = Promise.all(ready).then(() => undefined);
    this.readyPromise.catch(() => undefined);
  }

  /** Attempts a second over the last 5 s of wall-clock time, every search counted (0 when idle that long). */
  get hashrate(): number {
    return this.meter.perSecond();
  }

  /** Resolves once every worker has loaded its kernel. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Starts a search, cancelling the running one (whose promise resolves to null). */
  search(request: SearchRequest): SearchHandle {
    if (this.closed) throw new Error('worker pool is closed');
    if (this.workers.length === 0) throw new Error('worker pool has no live worker');
    validateJob(request);
    const start = request.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError('start: expected an integer 0 ≤ n ≤ 2^53 − 1');
    const limit = Math.min(request.limit ?? Infinity, MAX_PROOF - start + 1);
    if (!(limit >= 0)) throw new RangeError('limit: expected a non-negative number');
    this.cancelActive();
    const id = this.nextId++;
    const end = start + Math.floor(limit) - 1;
    const control = new BigInt64Array(new SharedArrayBuffer(CONTROL_WORDS * 8));
    control[BEST_CHUNK] = NO_CHUNK;
    let settle!: Active['settle'];
    const promise = new Promise<PoolSolution | null>((resolve, reject) => {
      settle = (value, error) => (error ? reject(error) : resolve(value));
    });
    const chunkSize = this.chunkSize ?? jobChunkSize(request, this.workers.length);
    const now = performance.now();
    const active: Active = {
      id,
      request,
      control,
      chunkSize,
      tracker: new ChunkTracker(Math.ceil((end - start + 1) / chunkSize)),
      startedAt: now,
      attempts: 0,
      lastReportAt: now,
      lastReportAttempts: 0,
      timer: undefined,
      settle,
    };
    const cancel = (): void => {
      if (this.active === active) this.cancelActive();
    };
    if (request.signal?.aborted) {
      settle(null);
      return { id, promise, cancel };
    }
    request.signal?.addEventListener('abort', cancel, { once: true });
    this.active = active;
    if (active.tracker.exhausted) {
      this.finish(active, null);
      return { id, promise, cancel };
    }
    if (this.intervalMs > 0) {
      active.timer = setInterval(() => this.reportHashrate(active), this.intervalMs);
      active.timer.unref();
    }
    const job: PowJob = {
      rule: request.rule,
      previousProof: request.previousProof,
      difficulty: request.difficulty,
      ...(request.templateHash !== undefined ? { templateHash: request.templateHash } : {}),
      ...(request.target !== undefined ? { target: request.target } : {}),
    };
    const message: JobMessage = {
      type: 'job',
      id,
      job,
      start,
      end,
      chunkSize,
      control: control.buffer as SharedArrayBuffer,
    };
    for (const worker of this.workers) worker.postMessage(message);
    return { id, promise, cancel };
  }

  /** Cancels the running search, if any. */
  cancel(): void {
    this.cancelActive();
  }

  /** Cancels the running search and terminates the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelActive();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private cancelActive(): void {
    const active = this.active;
    if (active) this.finish(active, null);
  }

  private finish(active: Active, value: PoolSolution | null, error?: Error): void {
    Atomics.store(active.control, CANCELLED, 1n);
    if (active.timer) clearInterval(active.timer);
    if (this.active === active) this.active = undefined;
    active.settle(value, error);
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'chunk') this.meter.add(m.attempts); // a replaced search's work was done all the same
    const active = this.active;
    if (m.type === 'ready' || !active || m.id !== active.id) return; // stale: a replaced search
    if (m.type === 'failed') {
      this.finish(active, null, new Error(m.message));
      return;
    }
    active.attempts += m.attempts;
    if (!m.complete) return;
    active.tracker.complete(m.chunk, m.hit);
    const proof = active.tracker.result;
    if (proof !== undefined) {
      const solution: PoolSolution = {
        id: active.id,
        proof,
        hash: powHash({ ...active.request, proof }),
        attempts: active.attempts,
        elapsedMs: performance.now() - active.startedAt,
      };
      this.finish(active, solution);
      this.emit('found', solution);
    } else if (active.tracker.exhausted) {
      this.finish(active, null);
    }
  }

  private reportHashrate(active: Active): void {
    const now = performance.now();
    const dt = (now - active.lastReportAt) / 1000;
    const report: HashrateReport = {
      id: active.id,
      attempts: active.attempts,
      elapsedMs: now - active.startedAt,
      attemptsPerSecond: dt > 0 ? (active.attempts - active.lastReportAttempts) / dt : 0,
    };
    active.lastReportAt = now;
    active.lastReportAttempts = active.attempts;
    this.emit('hashrate', report);
  }

  private fail(error: Error): void {
    if (this.active) this.finish(this.active, null, error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

/** Starts `workers` worker threads (default: one per core) ready to search. */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  return new WorkerPool(options);
}
