import type { TimerHandle, Timers } from '@chain/net';

interface Due {
  at: number;
  readonly every: number | null;
  readonly run: () => void;
}

/** Let promise chains and I/O callbacks of this turn run (no time passes on a clock). */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A virtual clock for code that takes injected `Timers` and `now`: time moves only when told, and
 * what falls due runs in order of its time (then of its setting), with promise jobs settled
 * between timers as on the real clock.
 */
export class ManualClock implements Timers {
  now: number;
  #next = 1;
  readonly #due = new Map<number, Due>();

  /** `start`: the clock's time at first (ms since the epoch). */
  constructor(start = 0) {
    this.now = start;
  }

  setTimeout(run: () => void, ms: number): TimerHandle {
    this.#due.set(this.#next, { at: this.now + Math.max(0, ms), every: null, run });
    return this.#next++;
  }

  setInterval(run: () => void, ms: number): TimerHandle {
    this.#due.set(this.#next, { at: this.now + ms, every: ms, run });
    return this.#next++;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#due.delete(handle as number);
  }

  clearInterval(handle: TimerHandle): void {
    this.#due.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.#due.size;
  }

  /** The periods of the intervals set. */
  intervals(): number[] {
    return [...this.#due.values()].filter((t) => t.every !== null).map((t) => t.every as number);
  }

  /** Move time forward by `ms`, running every timer that falls due (and what it starts) in order. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      let id: number | undefined;
      let first: Due | undefined;
      for (const [k, t] of this.#due) if (t.at <= end && (first === undefined || t.at < first.at)) [id, first] = [k, t];
      if (first === undefined || id === undefined) break;
      this.now = first.at;
      if (first.every === null) this.#due.delete(id);
      else first.at += first.every;
      first.run();
    }
    this.now = end;
    await settle();
  }
}
