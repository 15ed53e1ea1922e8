/**
 * Heights of a block locator for a chain of height `height` (docs/spec.md §5 `hb`):
 * tip, tip−1, tip−2, tip−4, tip−8, … and last the genesis (height 1).
 */
export function locatorHeights(height: number): number[] {
  const heights: number[] = [];
  if (height < 1) return heights;
  heights.push(height);
  for (let step = 1; height - step > 1; step *= 2) heights.push(height - step);
  if (height > 1) heights.push(1);
  return heights;
}
