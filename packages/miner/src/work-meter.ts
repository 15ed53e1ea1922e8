import { WindowRate } from './window-rate';

/** How far back the hash rate looks by default (ms). */
export const HASHRATE_WINDOW_MS = 5000;

/**
 * Attempts a second over a sliding window of wall-clock time, counting every
 * attempt the workers report: of searches that found a proof, were replaced or
 * cancelled alike. A search at a low difficulty ends within milliseconds, long
 * before a periodic report, so only a count of all of them says how fast a
 * miner works.
 */
export class WorkMeter extends WindowRate {
  constructor(windowMs = HASHRATE_WINDOW_MS, now: () => number = () => performance.now()) {
    if (!Number.isInteger(windowMs) || windowMs < 1000)
      throw new RangeError(`windowMs must be an integer of at least 1000, got ${windowMs}`);
    super(windowMs, now);
  }

  /** Count `attempts` (nothing for none). */
  override add(attempts: number): void {
    if (attempts > 0) super.add(attempts);
  }
}
