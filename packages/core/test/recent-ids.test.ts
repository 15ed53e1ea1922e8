import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedMap, RecentIds } from '@chain/core';
import { VerifiedTransactions } from '../src/chain/verified';
import type { Transaction } from '../src/types';

const idOf = (n: number): string => (n >>> 0).toString(16).padStart(8, '0').repeat(8);
/** Ids that share their first 8 bytes (the hashed ones) when `n` agree modulo 4. */
const collidingId = (n: number): string => idOf(n & 3).slice(0, 16) + idOf(n).slice(16);
const sigOf = (n: number): string => idOf(n).repeat(2);

type Op = { kind: 'add' | 'has' | 'delete'; n: number };
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('add' as const, 'add' as const, 'has' as const, 'delete' as const),
  n: fc.nat(40),
});

describe('recent ids', () => {
  it('answers like a FIFO set of hex ids: add keeps the place, the oldest goes first, deletes free places', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 200, size: 'max' }), (cap, ops) => {
        const set = new RecentIds(cap);
        const model: string[] = []; // oldest first
        for (const o of ops) {
          const id = collidingId(o.n);
          if (o.kind === 'add') {
            const fresh = !model.includes(id);
            assert.equal(set.add(id), fresh);
            if (fresh) {
              model.push(id);
              if (model.length > cap) model.shift();
            }
          } else if (o.kind === 'delete') {
            const i = model.indexOf(id);
            assert.equal(set.delete(id), i >= 0);
            if (i >= 0) model.splice(i, 1);
          }
          assert.equal(set.size, model.length);
          for (let n = 0; n <= 40; n++) assert.equal(set.has(collidingId(n)), model.includes(collidingId(n)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('holds its capacity of ids in typed arrays, however many come and go', () => {
    const set = new RecentIds(16_384);
    assert.equal(set.capacity, 16_384);
    for (let n = 0; n < 200_000; n++) {
      set.add(idOf(n));
      if (n % 3 === 0) set.delete(idOf(n - 1));
    }
    assert.ok(set.size <= 16_384);
    assert.equal(set.has(idOf(199_999)), true);
    assert.equal(set.has(idOf(1)), false);
    // At most twice the capacity of records (dead ones included) and the slots for them.
    assert.ok(set.allocatedBytes < 2 * 16_384 * 32 + 4 * 32_768 + 2 * 1024 * 32, `${set.allocatedBytes} bytes`);
    assert.equal(set.add('not an id'), false);
    assert.equal(set.has('AB'.repeat(32)), false);
    set.clear();
    assert.equal(set.size, 0);
    assert.equal(set.has(idOf(199_999)), false);
    assert.throws(() => new RecentIds(0), RangeError);
  });
});

describe('verified transactions (compact)', () => {
  it('answers like a BoundedMap of id to signature renewed per note', () => {
    type V = { note: boolean; n: number; sig: number };
    const v: fc.Arbitrary<V> = fc.record({ note: fc.boolean(), n: fc.nat(30), sig: fc.nat(2) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(v, { maxLength: 200, size: 'max' }), (cap, ops) => {
        const verified = new VerifiedTransactions(cap);
        const ref = new BoundedMap<string, string>(cap);
        for (const o of ops) {
          const id = collidingId(o.n);
          const tx = { sender: 'a', content: 'b', timestamp: 1, signature: sigOf(o.sig) } as Transaction;
          if (o.note) {
            verified.note(id, tx);
            ref.renew(id, sigOf(o.sig));
          }
          assert.equal(verified.size, ref.size);
          for (let n = 0; n <= 30; n++) assert.equal(verified.has(collidingId(n), tx), ref.get(collidingId(n)) === sigOf(o.sig));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a transaction without a signature (classic) is never remembered', () => {
    const verified = new VerifiedTransactions(4);
    const tx = { sender: 'abcd1234', content: 'c', timestamp: 1 } as Transaction;
    verified.note(idOf(1), tx);
    assert.equal(verified.size, 0);
    assert.equal(verified.has(idOf(1), tx), false);
  });
});
