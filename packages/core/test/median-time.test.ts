import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MEDIAN_TIME_BLOCKS, isAfterMedianTime, medianTimePast } from '@chain/core';

const timestampsArb = fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: MEDIAN_TIME_BLOCKS });

describe('median time past', () => {
  it('is the lower middle of the sorted timestamps, whatever their order', () => {
    fc.assert(
      fc.property(timestampsArb, (ts) => {
        const m = medianTimePast(ts);
        const k = ts.length;
        const atOrBelow = ts.filter((t) => t <= m).length;
        const atOrAbove = ts.filter((t) => t >= m).length;
        assert.ok(ts.includes(m));
        // Lower middle: position floor((k − 1) / 2) of the sorted list.
        assert.ok(atOrBelow >= Math.floor((k - 1) / 2) + 1);
        assert.ok(atOrAbove >= k - Math.floor((k - 1) / 2));
        assert.equal(medianTimePast([...ts].reverse()), m);
      }),
    );
  });

  it('takes the lower of two middles, the genesis alone at the start', () => {
    assert.equal(medianTimePast([5]), 5);
    assert.equal(medianTimePast([20, 10]), 10);
    assert.equal(medianTimePast([40, 30, 20, 10]), 20);
    assert.equal(medianTimePast([110, 100, 100, 90, 95, 80, 70, 60, 50, 40, 30]), 80);
  });

  it('a timestamp must be strictly after it', () => {
    assert.ok(!isAfterMedianTime(10, [20, 10]));
    assert.ok(isAfterMedianTime(11, [20, 10]));
    fc.assert(
      fc.property(timestampsArb, (ts) => {
        const m = medianTimePast(ts);
        assert.equal(isAfterMedianTime(m, ts), false);
        if (m < Number.MAX_SAFE_INTEGER) assert.equal(isAfterMedianTime(m + 1, ts), true);
      }),
    );
  });

  it('refuses no ancestors and more than 11', () => {
    assert.throws(() => medianTimePast([]), /1–11/);
    assert.throws(() => medianTimePast(new Array(12).fill(0)), /got 12/);
  });
});
