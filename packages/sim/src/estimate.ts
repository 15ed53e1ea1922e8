import { tQuantile } from './student-t';
import { wilson } from './stats';

/** The confidence level of every interval the simulator reports. */
export const CONFIDENCE = 0.95;

/** How an interval was made. */
export type IntervalMethod = 'student-t' | 'wilson' | 'student-t+wilson';

/** A figure over the seeds: its mean, spread and 95 % interval (null where there are too few values). */
export interface Estimate {
  /** Seeds that gave a value (a run can have none: no race, no convergence). */
  readonly n: number;
  readonly mean: number | null;
  /** Sample standard deviation (n − 1 in the denominator) and standard error of the mean. */
  readonly sd: number | null;
  readonly se: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly method: IntervalMethod | null;
}

/** A count of successes out of trials, one run's rate. */
export interface Counts {
  readonly k: number;
  readonly n: number;
}

function moments(values: readonly number[]): { n: number; mean: number; sd: number; se: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  return { n, mean, sd, se: sd / Math.sqrt(n) };
}

const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Mean, standard error and the Student t interval mean ± t(0.975, n − 1)·s/√n over one value a
 * seed: the seeds are independent replications, and t is exact for normal values and close for
 * means of long runs, where the normal quantile 1.96 would be too narrow with few seeds.
 */
export function estimate(values: readonly number[]): Estimate {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { n: 0, mean: null, sd: null, se: null, low: null, high: null, method: null };
  const m = moments(finite);
  if (m.n < 2) return { n: m.n, mean: m.mean, sd: null, se: null, low: null, high: null, method: null };
  const half = tQuantile(1 - (1 - CONFIDENCE) / 2, m.n - 1) * m.se;
  return { n: m.n, mean: m.mean, sd: m.sd, se: m.se, low: m.mean - half, high: m.mean + half, method: 'student-t' };
}

/**
 * A rate over the seeds (stale blocks of blocks, successes of attempts). The trials of one run are
 * not independent (blocks of one chain, attempts on one network), so the interval is Student's t
 * over the per-seed rates, clipped to [0, 1]; with few seeds or a rate at 0 or 1 their spread can
 * be nil, so it is widened to cover the Wilson interval of the pooled counts, which stays inside
 * [0, 1] and is never empty. One seed: Wilson alone, as a single run reports it.
 */
export function rateEstimate(runs: readonly Counts[]): Estimate {
  const valid = runs.filter((c) => c.n > 0);
  if (valid.length === 0) return estimate([]);
  const k = valid.reduce((s, c) => s + c.k, 0);
  const n = valid.reduce((s, c) => s + c.n, 0);
  const w = wilson(k, n);
  const t = estimate(valid.map((c) => c.k / c.n));
  if (t.low === null || t.high === null) return { ...t, low: w.low, high: w.high, method: 'wilson' };
  return { ...t, low: Math.min(Math.max(0, t.low), w.low), high: Math.max(Math.min(1, t.high), w.high), method: 'student-t+wilson' };
}

/** Where a reference value lies against an interval. */
export type Comparison = 'above' | 'below' | 'inside' | 'no-interval';

/** `above`: the estimate is above the reference (the whole interval is). */
export function compare(e: Estimate, reference: number | null): Comparison {
  if (e.low === null || e.high === null || reference === null || !Number.isFinite(reference)) return 'no-interval';
  if (reference < e.low) return 'above';
  if (reference > e.high) return 'below';
  return 'inside';
}

/** The estimate of a share, its interval clipped to [0, 1], where a share lies. */
export function clipped(e: Estimate): Estimate {
  if (e.low === null || e.high === null) return e;
  return { ...e, low: Math.max(0, e.low), high: Math.min(1, e.high) };
}

/** The mean of the finite values, or null. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? null : nullable(finite.reduce((s, v) => s + v, 0) / finite.length);
}
