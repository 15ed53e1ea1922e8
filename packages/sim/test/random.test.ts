import assert from 'node:assert/strict';
import { Random } from '../src/random';

describe('Random', () => {
  it('is a pure function of its seed', () => {
    const a = new Random(7);
    const b = new Random('7');
    const xs = Array.from({ length: 50 }, () => a.next());
    assert.deepEqual(
      Array.from({ length: 50 }, () => b.next()),
      xs,
    );
    const c = new Random(8);
    assert.notDeepEqual(
      Array.from({ length: 50 }, () => c.next()),
      xs,
    );
  });

  it('forks independent streams', () => {
    const r = new Random(1);
    const f1 = r.fork('x').next();
    r.next();
    assert.equal(r.fork('x').next(), f1);
    assert.notEqual(r.fork('y').next(), f1);
  });

  it('draws with the right means', () => {
    const r = new Random('means');
    const n = 200_000;
    let u = 0;
    let e = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      u += r.next();
      e += r.exponential(3);
      if (r.weighted([1, 3]) === 1) hits++;
    }
    assert.ok(Math.abs(u / n - 0.5) < 0.005, `uniform mean ${u / n}`);
    assert.ok(Math.abs(e / n - 3) < 0.05, `exponential mean ${e / n}`);
    assert.ok(Math.abs(hits / n - 0.75) < 0.005, `weighted share ${hits / n}`);
  });

  it('refuses a bad range', () => {
    assert.throws(() => new Random(1).int(0), /positive integer/);
  });
});
