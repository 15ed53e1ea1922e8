import assert from 'node:assert/strict';
import { tCdf, tQuantile } from '../src/student-t';
import { compare, estimate, rateEstimate } from '../src/estimate';
import { wilson } from '../src/stats';
import { percentSig, significant } from '../src/format';

const close = (a: number | null, b: number, eps = 1e-6) =>
  assert.ok(a !== null && Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

describe('statistics over seeds', () => {
  it("Student's t quantiles match the printed tables", () => {
    // t(0.975, df) from the tables of any statistics text, to 6 decimals.
    const table: [number, number][] = [
      [1, 12.706205],
      [2, 4.302653],
      [4, 2.776445],
      [9, 2.262157],
      [19, 2.093024],
      [29, 2.04523],
      [120, 1.97993],
    ];
    for (const [df, t] of table) close(tQuantile(0.975, df), t, 1e-6);
    close(tQuantile(0.995, 10), 3.169273, 1e-6);
    close(tQuantile(0.025, 4), -2.776445, 1e-6);
    close(tCdf(0, 7), 0.5, 1e-12);
    // Towards the normal distribution as the degrees of freedom grow.
    close(tQuantile(0.975, 1e7), 1.959964, 1e-6);
  });

  it('mean, standard error and the t interval of 1, 2, 3, 4, 5 as computed by hand', () => {
    // s² = (4 + 1 + 0 + 1 + 4)/4 = 2.5; SE = √(2.5/5) = 0.707107; half-width 2.776445 · 0.707107 = 1.963243.
    const e = estimate([1, 2, 3, 4, 5]);
    assert.equal(e.n, 5);
    close(e.mean, 3);
    close(e.sd, Math.sqrt(2.5));
    close(e.se, 0.7071068);
    close(e.low, 3 - 1.963243);
    close(e.high, 3 + 1.963243);
    assert.equal(e.method, 'student-t');
    // Two values: t(0.975, 1) = 12.706, so 10 and 12 give 11 ± 12.706.
    const two = estimate([10, 12]);
    close(two.low, 11 - 12.706205);
    close(two.high, 11 + 12.706205);
  });

  it('one value has no interval; missing values are left out and counted', () => {
    const one = estimate([0.3]);
    assert.deepEqual([one.n, one.mean, one.se, one.low, one.high], [1, 0.3, null, null, null]);
    const some = estimate([1, NaN, 3]);
    assert.equal(some.n, 2);
    close(some.mean, 2);
    assert.deepEqual(estimate([]), { n: 0, mean: null, sd: null, se: null, low: null, high: null, method: null });
  });

  it('a rate: t over the per-seed rates, never narrower than the pooled Wilson interval, within [0, 1]', () => {
    // Seeds at 10 %, 20 %, 30 % of 100: mean 0.2, s = 0.1, SE = 0.057735, t(0.975, 2) = 4.302653.
    const spread = rateEstimate([
      { k: 10, n: 100 },
      { k: 20, n: 100 },
      { k: 30, n: 100 },
    ]);
    close(spread.mean, 0.2);
    close(spread.se, 0.057735);
    close(spread.low, 0, 1e-12); // 0.2 − 0.248414 is clipped to 0
    close(spread.high, 0.2 + 4.302653 * 0.057735, 1e-5);
    assert.equal(spread.method, 'student-t+wilson');
    // No stale block in any seed: the spread is nil, so the interval is Wilson's of 0 in 200: [0, z²/n / (1 + z²/n)].
    const zero = rateEstimate([
      { k: 0, n: 100 },
      { k: 0, n: 100 },
    ]);
    const z2n = 1.959963984540054 ** 2 / 200;
    assert.equal(zero.low, 0);
    close(zero.high, z2n / (1 + z2n));
    // One seed: Wilson alone, as a single run reports it.
    const single = rateEstimate([{ k: 82, n: 3000 }]);
    const w = wilson(82, 3000);
    assert.deepEqual([single.low, single.high, single.method], [w.low, w.high, 'wilson']);
  });

  it('says where a reference lies: above, below, inside, or no interval to tell', () => {
    const e = estimate([0.31, 0.33, 0.32, 0.34]);
    assert.equal(compare(e, 0.3), 'above');
    assert.equal(compare(e, 0.4), 'below');
    assert.equal(compare(e, 0.325), 'inside');
    assert.equal(compare(estimate([0.3]), 0.3), 'no-interval');
  });

  it('a Wilson bound at 0 successes is exactly 0, and small numbers print without exponents', () => {
    for (const n of [1, 7, 100, 3000, 123457]) {
      assert.equal(wilson(0, n).low, 0);
      assert.equal(wilson(n, n).high, 1);
    }
    assert.equal(percentSig(wilson(0, 3000).low), '0 %');
    assert.equal(percentSig(0.000329), '0.0329 %');
    assert.equal(percentSig(0.235), '23.5 %');
    assert.equal(significant(6.94e-16), '< 0.000000001');
    for (const x of [1e-3, 3.3e-7, 5e-9, 123456, 0.1 + 0.2]) assert.doesNotMatch(significant(x), /e/i, String(x));
  });
});
