/**
 * Work as people read it: the expected number of hashes to meet a target (docs/spec.md §9.2).
 * Pure, so the page uses it too; the API sends work as a decimal string (it outgrows 2^53).
 */

const UNITS = ['', ' k', ' M', ' G', ' T', ' P', ' E'];

/** `256 hashes`, `4.19 M hashes`, `1.20e+21 hashes` beyond the units: three significant figures. */
export function formatWork(work: string | bigint): string {
  const n = Number(work);
  if (!(n > 0)) return '0 hashes';
  if (n < 1000) return `${Math.round(n)} hash${Math.round(n) === 1 ? '' : 'es'}`;
  for (let unit = 1; unit < UNITS.length; unit++) {
    const digits = Number((n / 1000 ** unit).toPrecision(3));
    // 999,999 rounds to 1000 k: that is 1.00 M.
    if (digits < 1000) return `${digits >= 100 ? digits.toFixed(0) : digits.toPrecision(3)}${UNITS[unit]} hashes`;
  }
  return `${n.toExponential(2)} hashes`;
}
