import { performance } from 'node:perf_hooks';
import type { Timers, TimerHandle } from './timers';

/** What yields: the in-process miner. */
export interface Yielding {
  pause(): void;
  resume(): void;
}

export interface MinerYieldOptions {
  /** Length of a window (ms). Default 50. */
  readonly windowMs?: number;
  /** Share of a window the main thread was busy (event-loop utilisation) from which the next window is paused. Default 0.9. */
  readonly busy?: number;
  /** The main thread's utilisation since the last call (0–1). Default: Node's event-loop utilisation. */
  readonly utilization?: () => number;
}

/**
 * The miner yielding the cores to validation: every window, the main thread's event-loop
 * utilisation is read; after a window in which it was busy (the thread that admits transactions,
 * adds blocks and serves neighbours had more to do than it could), the miner's workers pause for
 * the next window, then run again. So under load the miner runs at least every other window (it
 * never stops: blocks must still be found) and the main thread gets the cores in between; when the
 * peer is not busy the miner runs all the time.
 */
export class MinerYield {
  readonly #target: Yielding;
  readonly #timers: Timers;
  readonly #windowMs: number;
  readonly #busy: number;
  readonly #utilization: () => number;
  #timer: TimerHandle | null = null;
  #paused = false;
  /** Windows paused so far. */
  pausedWindows = 0;

  constructor(target: Yielding, timers: Timers, o: MinerYieldOptions = {}) {
    this.#target = target;
    this.#timers = timers;
    this.#windowMs = o.windowMs ?? 50;
    this.#busy = o.busy ?? 0.9;
    if (!(this.#windowMs >= 1)) throw new RangeError(`windowMs must be at least 1, got ${String(o.windowMs)}`);
    if (!(this.#busy > 0 && this.#busy <= 1)) throw new RangeError(`busy must be in (0, 1], got ${String(o.busy)}`);
    this.#utilization = o.utilization ?? eventLoopUtilization();
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#utilization(); // a fresh window
    this.#timer = this.#timers.setInterval(() => this.#window(), this.#windowMs);
  }

  /** Stop watching; the miner runs again. */
  stop(): void {
    if (this.#timer !== null) this.#timers.clearInterval(this.#timer);
    this.#timer = null;
    if (this.#paused) this.#target.resume();
    this.#paused = false;
  }

  #window(): void {
    const u = this.#utilization();
    if (this.#paused) {
      this.#paused = false;
      this.#target.resume();
    } else if (u >= this.#busy) {
      this.#paused = true;
      this.pausedWindows++;
      this.#target.pause();
    }
  }
}

/** The event loop's utilisation since the previous call. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}
