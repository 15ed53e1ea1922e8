import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedMap, LruCache } from '@chain/core';
import { SideIds } from '../src/chain/side-ids';

describe('bounded maps', () => {
  it('a BoundedMap forgets its oldest entries beyond its capacity; updating a key keeps its place', () => {
    const n = new BoundedMap<string, number>(2);
    n.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    assert.deepEqual(
      [...n],
      [
        ['b', 2],
        ['c', 3],
      ],
    );
    n.renew('b', 20).set('d', 4);
    assert.deepEqual(
      [...n],
      [
        ['b', 20],
        ['d', 4],
      ],
    );
  });

  it('an LruCache keeps what is read', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1).set('b', 2);
    assert.equal(c.get('a'), 1);
    c.set('c', 3);
    assert.deepEqual([...c.keys()], ['a', 'c']);
    assert.equal(c.get('b'), undefined);
  });

  it('never holds more than its capacity, whatever the operations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }))), (cap, ops) => {
        const m = new LruCache<number, number>(cap);
        const model: number[] = []; // keys, oldest first
        for (const [read, k] of ops) {
          if (read) {
            const had = model.includes(k);
            assert.equal(m.get(k) !== undefined, had);
            if (had) {
              model.splice(model.indexOf(k), 1);
              model.push(k);
            }
          } else {
            if (!model.includes(k) && model.length >= cap) model.shift();
            if (!model.includes(k)) model.push(k);
            m.set(k, k);
          }
          assert.ok(m.size <= cap);
          assert.deepEqual([...m.keys()], model);
        }
      }),
    );
  });

  it('evicts in O(1): at capacity an insert costs about what a plain Map set and delete cost, however large the map', () => {
    // A loose comparison with a reference in the same run (best of five rounds each, a 20× margin):
    // eviction by keys().next() from the start cost 100–200× a Map set at this capacity.
    const cap = 65_536;
    const n = 100_000;
    const bounded = new BoundedMap<number, number>(cap);
    const plain = new Map<number, number>();
    for (let i = 0; i < cap; i++) {
      bounded.set(i, i);
      plain.set(i, i);
    }
    let next = cap;
    const best = { bounded: Infinity, plain: Infinity };
    for (let round = 0; round < 5; round++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) bounded.set(next + i, i);
      best.bounded = Math.min(best.bounded, Number(process.hrtime.bigint() - t));
      t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        plain.delete(next + i - cap);
        plain.set(next + i, i);
      }
      best.plain = Math.min(best.plain, Number(process.hrtime.bigint() - t));
      next += n;
    }
    assert.equal(bounded.size, cap);
    assert.equal(bounded.keys().next().value, next - cap);
    assert.ok(best.bounded < 20 * best.plain, `${(best.bounded / n).toFixed(0)} ns an insert, plain Map ${(best.plain / n).toFixed(0)} ns`);
  });

  it('keeps the order through renewals, LRU reads, deletions and clear, evicting the oldest each time', () => {
    const c = new LruCache<number, number>(3);
    c.set(1, 1).set(2, 2).set(3, 3);
    c.get(1); // 2 3 1
    c.renew(2, 20); // 3 1 2
    c.set(4, 4); // 1 2 4
    assert.deepEqual([...c.keys()], [1, 2, 4]);
    c.delete(2);
    c.set(5, 5).set(6, 6); // 4 5 6
    assert.deepEqual([...c.keys()], [4, 5, 6]);
    c.clear();
    c.set(7, 7).set(8, 8).set(9, 9).set(10, 10);
    assert.deepEqual([...c.keys()], [8, 9, 10]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new BoundedMap(0), /capacity must be a positive integer, got 0/);
    assert.throws(() => new BoundedMap(1.5), RangeError);
  });
});

describe('side block ids cache', () => {
  it('is bounded by ids in all as well as by blocks, forgetting the oldest blocks first; a block larger than the bound is not cached', () => {
    const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
    const c = new SideIds(3, 10);
    c.set(1, ids(4, 'a')).set(2, ids(4, 'b'));
    assert.equal(c.idCount, 8);
    c.set(3, ids(4, 'c')); // 12 > 10: block 1 goes
    assert.deepEqual([...c.keys()], [2, 3]);
    assert.equal(c.idCount, 8);
    c.set(2, ids(1, 'B')); // replaced in place
    assert.deepEqual([...c.keys()], [2, 3]);
    assert.equal(c.idCount, 5);
    c.set(4, ids(1, 'd')).set(5, ids(1, 'e')); // four blocks > 3: block 2 goes
    assert.deepEqual([...c.keys()], [3, 4, 5]);
    assert.equal(c.idCount, 6);
    c.set(6, ids(11, 'f'));
    assert.equal(c.has(6), false);
    c.set(4, ids(11, 'f')); // too large now: no longer cached
    assert.deepEqual([...c.keys()], [3, 5]);
    assert.equal(c.idCount, 5);
    c.delete(3);
    assert.equal(c.idCount, 1);
    c.clear();
    assert.equal(c.idCount, 0);
  });

  it('BoundedMap.deleteOldest forgets and returns the oldest entry', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1).set('b', 2);
    m.renew('a', 3);
    assert.deepEqual(m.deleteOldest(), ['b', 2]);
    assert.deepEqual(m.deleteOldest(), ['a', 3]);
    assert.equal(m.deleteOldest(), undefined);
  });
});
