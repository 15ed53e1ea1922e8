import assert from 'node:assert/strict';
import type { Block } from '@chain/core';
import { BodyQueue, type BodyLimits } from '../src/headers/bodies';

/** Headers 2..last of 5 transactions each; the queue only reads a block's transaction count. */
const rows = (last: number) => ({ txCount: () => 5, lastHeight: last });
const block = (height: number) => ({ index: height, transactions: Array.from({ length: 5 }) }) as unknown as Block;
const blocksOf = (from: number, to: number) => new Map(Array.from({ length: to - from + 1 }, (_, i) => [from + i, block(from + i)]));
/** Ranges of 20 blocks, 300 transactions (60 blocks) asked or waiting at most. */
const LIMITS: BodyLimits = { rangeTxs: 100, rangeBlocks: 500, aheadTxs: 300 };

/** A queue of headers 2..last whose first range went to `a` and second to `b`, each having up to `has`. */
function takenByTwo(last: number, has: number) {
  const q = new BodyQueue<string>(1, rows(last), LIMITS);
  const a = q.take('a', has, 0);
  const b = q.take('b', has, 0);
  assert.ok(a && b);
  return { q, a, b };
}

describe('body queue (headers first)', () => {
  it('each height is asked of one source at a time, lowest first, in ranges of bounded size', () => {
    const q = new BodyQueue<string>(1, rows(1000), LIMITS);
    const a = q.take('a', 1000, 0);
    const b = q.take('b', 1000, 0);
    const c = q.take('a', 1000, 0);
    assert.deepEqual(
      [a, b, c].map((r) => [r?.from, r?.to, r?.source]),
      [
        [2, 21, 'a'],
        [22, 41, 'b'],
        [42, 61, 'a'],
      ],
    );
    assert.equal(q.take('c', 1000, 0), null, '300 transactions are out: nothing more until some are added');
    assert.equal(q.aheadTxs, 300);
  });

  it('a source gets only heights it has; a range of one block may hold more than the range size', () => {
    const q = new BodyQueue<string>(1, { txCount: (h) => (h === 2 ? 400 : 5), lastHeight: 100 }, LIMITS);
    assert.deepEqual(q.take('a', 100, 0), { source: 'a', from: 2, to: 2, sentAt: 0 });
    assert.equal(q.take('b', 2, 0), null, 'b has nothing beyond height 2');
    assert.equal(q.take('b', 10, 0), null, 'the 400 transactions out are over the bound');
    q.delivered({ source: 'a', from: 2, to: 2, sentAt: 0 }, new Map([[2, block(2)]]));
    q.addedTo(2);
    const r = q.take('b', 10, 0);
    assert.deepEqual([r?.from, r?.to], [3, 10]);
    assert.equal(q.take('c', 10, 0), null, 'everything up to 10 is asked of b');
  });

  it('a range that failed or came back short is free again for anyone; a late copy is not kept twice', () => {
    const { q, a, b } = takenByTwo(1000, 1000);
    assert.equal(q.delivered(b, blocksOf(22, 30)), 9, 'b sent its first 9');
    assert.deepEqual(q.take('c', 1000, 5), { source: 'c', from: 31, to: 50, sentAt: 5 }, 'the rest of b’s range goes first');
    q.release(a);
    assert.equal(q.blocking(), null, 'nobody is asked for the lowest height');
    const again = q.take('c', 1000, 6);
    assert.deepEqual([again?.from, again?.to], [2, 21]);
    assert.equal(q.blocking(), again);
    // a answers after all: its blocks are kept, c's copies of them are not.
    assert.equal(q.delivered(a, blocksOf(2, 21)), 20);
    assert.equal(q.delivered(again as NonNullable<typeof again>, blocksOf(2, 21)), 0);
    assert.equal(q.ready(1000).length, 29);
  });

  it('received blocks are handed over in order from the lowest not added, within a transaction budget', () => {
    const { q, a, b } = takenByTwo(100, 100);
    q.delivered(b, blocksOf(22, 41));
    assert.equal(q.ready(1000).length, 0, 'height 2 is missing');
    q.delivered(a, blocksOf(2, 21));
    const first = q.ready(50);
    assert.deepEqual([first.length, first[0]?.source, first[9]?.block.index], [10, 'a', 11]);
    assert.equal(q.ready(1000).length, 40);
    q.addedTo(41);
    assert.deepEqual([q.added, q.pending, q.aheadTxs], [41, 0, 0]);
    assert.equal(q.take('a', 100, 0)?.from, 42);
  });

  it('a block that could not be added is asked again, with what the same source sent above it', () => {
    const { q, a, b } = takenByTwo(100, 100);
    q.delivered(a, blocksOf(2, 21));
    q.delivered(b, blocksOf(22, 41));
    q.addedTo(9);
    q.drop(10, 'a');
    assert.equal(q.ready(1000).length, 0);
    assert.deepEqual([q.take('b', 100, 0)?.from, q.pending], [10, 32]);
    assert.equal(q.complete, false);
  });
});
