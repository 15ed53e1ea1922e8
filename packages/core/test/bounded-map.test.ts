import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedMap, LruCache } from '@chain/core';

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

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new BoundedMap(0), /capacity must be a positive integer, got 0/);
    assert.throws(() => new BoundedMap(1.5), RangeError);
  });
});
