/** Width of a bucket: counts within it are kept together, so memory is window / BUCKET_MS entries at most. */
const BUCKET_MS = 250;

/**
 * A count per second over a sliding window (a miner's attempts, transactions confirmed).
 * Before a full window has passed, the rate is over the time since the meter
 * started (one second at least), so that it is right from the start.
 */
export class WindowRate {
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #started: number;
  /** [bucket start, count], oldest first. */
  readonly #buckets: [number, number][] = [];
  /** Everything counted since the start. */
  total = 0;

  constructor(windowMs = 10_000, now: () => number = Date.now) {
    if (!Number.isInteger(windowMs) || windowMs < BUCKET_MS)
      throw new RangeError(`windowMs must be an integer of at least ${BUCKET_MS}, got ${windowMs}`);
    this.windowMs = windowMs;
    this.#now = now;
    this.#started = now();
  }

  /** Count `n` (negative to take back what was counted, e.g. blocks a reorganisation disconnected). */
  add(n: number): void {
    if (n === 0 || !Number.isFinite(n)) return;
    const at = this.#now();
    this.total += n;
    const start = at - (at % BUCKET_MS);
    const last = this.#buckets[this.#buckets.length - 1];
    if (last && last[0] === start) last[1] += n;
    else this.#buckets.push([start, n]);
    this.#prune(at);
  }

  /** The count per second over the window now (never below 0). */
  perSecond(): number {
    const at = this.#now();
    this.#prune(at);
    const sum = this.#buckets.reduce((s, [, n]) => s + n, 0);
    const span = Math.max(1000, Math.min(this.windowMs, at - this.#started));
    return Math.max(0, (sum * 1000) / span);
  }

  #prune(at: number): void {
    while (this.#buckets.length > 0 && (this.#buckets[0] as [number, number])[0] + BUCKET_MS <= at - this.windowMs) this.#buckets.shift();
  }
}
