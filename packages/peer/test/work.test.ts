import assert from 'node:assert/strict';
import { within } from '@chain/testkit';
import { mineOnce, startPeer, tx, stoppedAfterEach } from './helpers';

describe('work manager', () => {
  const stopped = stoppedAfterEach();

  it('follows the chain by itself: a long poll wakes when a transaction enters the pool, whoever put it there', async () => {
    const peer = await startPeer();
    stopped.push(peer);
    const polled = peer.work.poll(null, 30_000);
    assert.ok(peer.chain.addTransaction(tx('straight into the chain'), Date.now()).ok); // not through the peer
    const work = await within(polled, 5000, 'the long poll');
    assert.ok(work.templateHash);
    assert.equal(work.pending, 1);
  });

  it('a proof goes to the chain through the intake: the block is reported and the long polls get the next template', async () => {
    const peer = await startPeer();
    stopped.push(peer);
    assert.ok((await peer.submitTransaction(tx('one'))).ok);
    const first = peer.work.describe().templateHash;
    assert.ok(first);
    const polled = peer.work.poll(first, 30_000);
    const reported = new Promise<{ status: string; source: unknown }>((resolve) => peer.once('block', resolve));
    await mineOnce(peer);
    const block = await within(reported, 5000, 'the block event');
    assert.equal(block.status, 'extended');
    assert.deepEqual(block.source, { kind: 'local' });
    const next = await within(polled, 5000, 'the long poll');
    assert.equal(next.index, 3);
    assert.equal(next.templateHash, null, 'nothing left to mine');
  });
});
