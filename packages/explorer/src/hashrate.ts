/** Attempts per second in H/s to GH/s, three significant figures at most: `812 H/s`, `1.5 MH/s`. Pure, so the page uses it too. */
export function formatHashrate(perSecond: number): string {
  if (!(perSecond > 0)) return '0 H/s';
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
  let value = perSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
