import assert from 'node:assert/strict';
import { formatHashrate } from '@chain/explorer';

describe('formatHashrate', () => {
  it('scales by thousands up to GH/s, with one decimal below 100', () => {
    assert.equal(formatHashrate(0), '0 H/s');
    assert.equal(formatHashrate(Number.NaN), '0 H/s');
    assert.equal(formatHashrate(812.4), '812 H/s');
    assert.equal(formatHashrate(1500), '1.5 kH/s');
    assert.equal(formatHashrate(250_000), '250 kH/s');
    assert.equal(formatHashrate(1.54e6), '1.5 MH/s');
    assert.equal(formatHashrate(3e12), '3000 GH/s');
  });
});
