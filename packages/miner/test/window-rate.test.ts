import assert from 'node:assert/strict';
import { WindowRate } from '@chain/miner';

describe('WindowRate', () => {
  it('is a rate over the time so far, then over the sliding window', () => {
    let now = 0;
    const r = new WindowRate(10_000, () => now);
    assert.equal(r.perSecond(), 0);
    r.add(5);
    assert.equal(r.perSecond(), 5); // over one second at least
    now = 4000;
    r.add(3);
    assert.equal(r.perSecond(), 2); // 8 over 4 s
    now = 12_000;
    assert.equal(r.perSecond(), 0.3); // the 5 at 0 s left the window
    now = 30_000;
    assert.equal(r.perSecond(), 0);
    assert.equal(r.total, 8);
  });

  it('takes back what a reorganisation disconnects, never below 0', () => {
    let now = 0;
    const r = new WindowRate(10_000, () => now);
    r.add(4);
    r.add(-6);
    assert.equal(r.perSecond(), 0);
    now = 2000;
    r.add(10);
    assert.equal(r.perSecond(), 4); // 8 over 2 s
  });

  it('a steady stream reads as its rate, to within a bucket (250 ms)', () => {
    let now = 0;
    const r = new WindowRate(1000, () => now);
    for (let i = 0; i < 100_000; i++) {
      now += 1;
      r.add(1);
    }
    assert.ok(Math.abs(r.perSecond() - 1000) <= 250, String(r.perSecond()));
  });
});
