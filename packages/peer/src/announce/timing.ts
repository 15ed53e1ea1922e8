/** The timers of transaction announcements (version 1.2) and their defaults. */
import { randomInt } from 'node:crypto';

/**
 * Mean gap between two flushes of announcements to a neighbour (ms): far above a link's latency,
 * so that the order in which neighbours hear of a transaction says little about where it came
 * from, and below the miner grace, so that a transaction reaches its neighbours' templates in time.
 */
export const DEFAULT_ANNOUNCE_MS = 500;

/**
 * How long a receiver waits for the body it asked an announcer for before it asks the next one
 * (ms): ten round trips across the world, so an honest announcer is never passed over (which
 * would fetch the body twice), yet a withholding one delays a transaction by this much at most.
 */
export const DEFAULT_FETCH_TIMEOUT_MS = 2000;

/** randomInt takes ranges below 2^48. */
const RANGE = 2 ** 48 - 1;

/** Uniform in [0, 1) from the system's generator: flush times must not be predictable. */
export function secureRandom(): number {
  return randomInt(RANGE) / RANGE;
}

/** The next gap of a Poisson process of mean `meanMs`: exponential, so each flush is memoryless. */
export function exponentialGap(meanMs: number, random: () => number): number {
  return -Math.log(1 - random()) * meanMs;
}
