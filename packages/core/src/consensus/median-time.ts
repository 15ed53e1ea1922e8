/**
 * Median time past (docs/spec.md §9.5): on a retargeting network a block's timestamp must exceed
 * the median of its nearest ancestors' timestamps, so that no miner can hold the clock the target
 * is steered by back.
 */

/** How many of the nearest ancestors (the parent first) the median is taken over. */
export const MEDIAN_TIME_BLOCKS = 11;

/**
 * The median of the timestamps of a block's nearest ancestors: of the k = min(11, parent's index)
 * given, sorted ascending, the one at position floor((k − 1) / 2) (the lower middle when k is even).
 */
export function medianTimePast(ancestorTimestamps: readonly number[]): number {
  const k = ancestorTimestamps.length;
  if (k < 1 || k > MEDIAN_TIME_BLOCKS) {
    throw new RangeError(`medianTimePast: expected 1–${MEDIAN_TIME_BLOCKS} ancestor timestamps, got ${k}`);
  }
  const sorted = [...ancestorTimestamps].sort((a, b) => a - b);
  return sorted[(k - 1) >> 1] as number;
}

/** Whether `timestamp` is after the median time past of the given ancestors. */
export function isAfterMedianTime(timestamp: number, ancestorTimestamps: readonly number[]): boolean {
  return timestamp > medianTimePast(ancestorTimestamps);
}
