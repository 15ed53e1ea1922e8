/** Width of a bucket: attempts within it are kept together, so memory is window / BUCKET_MS entries at most. */
const BUCKET_MS = 250;

/** How far back the hash rate looks by default (ms). */
export const HASHRATE_WINDOW_MS = 5000;

/**
 * Attempts a second over a sliding window of wall-clock time, counting every
 * attempt the workers report: of searches that found a proof, were replaced or
 * cancelled alike. A search at a low difficulty ends within milliseconds, long
 * before a periodic report, so only a count of all of them says how fast a
 * miner works. Before a full window has passed, the rate is over the time since
 * the meter started (one second at least).
 */
export class WorkMeter {
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #started: number;
  /** [bucket start, attempts], oldest first. */
  readonly #buckets: [number, number][] = [];
  /** Every attempt counted since the start. */
  total = 0;

  constructor(windowMs = HASHRATE_WINDOW_MS, now: () => number = () => performance.now()) {
    if (!Number.isInteger(windowMs) || windowMs < 1000)
      throw new RangeError(`windowMs must be an integer of at least 1000, got ${windowMs}`);
    this.windowMs = windowMs;
    this.#now = now;
    this.#started = now();
  }

  add(attempts: number): void {
    if (!(attempts > 0)) return;
    const at = this.#now();
    this.total += attempts;
    const start = at - (at % BUCKET_MS);
    const last = this.#buckets[this.#buckets.length - 1];
    if (last && last[0] === start) last[1] += attempts;
    else this.#buckets.push([start, attempts]);
    this.#prune(at);
  }

  /** Attempts a second over the window now. */
  perSecond(): number {
    const at = this.#now();
    this.#prune(at);
    const sum = this.#buckets.reduce((s, [, n]) => s + n, 0);
    return (sum * 1000) / Math.max(1000, Math.min(this.windowMs, at - this.#started));
  }

  #prune(at: number): void {
    while (this.#buckets.length > 0 && (this.#buckets[0] as [number, number])[0] + BUCKET_MS <= at - this.windowMs) this.#buckets.shift();
  }
}
