import assert from 'node:assert/strict';
import { VerifyPool } from '../src/verify-pool';
import { startPeer } from './helpers';

/** A job of the right shape (verified false: it is no signature). */
const job = (i: number) => ({ sender: 'ab'.repeat(32), signature: 'cd'.repeat(64), id: i.toString(16).padStart(64, '0') });

describe('verify queue', () => {
  it('counts the signatures the threads owe verdicts for, back to 0 when they answer', async () => {
    const pool = new VerifyPool(2);
    try {
      assert.equal(pool.queued, 0);
      const first = pool.verify(Array.from({ length: 300 }, (_, i) => job(i)));
      const second = pool.verify([job(1000), { sender: 'no', signature: 'no', id: 'no' }]);
      assert.equal(pool.queued, 301, 'the malformed job never goes to a thread');
      await Promise.all([first, second]);
      assert.equal(pool.queued, 0);
    } finally {
      await pool.close();
    }
  });

  it('a peer reports its queue, 0 without threads', async () => {
    const peer = await startPeer({ verifyThreads: 0 });
    try {
      assert.equal(peer.verifyQueue, 0);
    } finally {
      await peer.stop();
    }
  });
});
