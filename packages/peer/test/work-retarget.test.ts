import assert from 'node:assert/strict';
import { createClient } from '@chain/net';
import { easyNetwork, proofFor } from '@chain/testkit';
import { powHash, targetFromHex, targetToHex, targetFromDifficulty } from '@chain/core';
import { NET, startPeer, tx, stoppedAfterEach } from './helpers';

/** A retargeting network whose initial target is half its limit: no whole number of zero digits. */
const RETARGET = easyNetwork(NET, {
  name: 'test-retarget-work',
  retarget: { targetBlockMs: 1000, halfLifeMs: 10_000, initialTarget: targetToHex(targetFromDifficulty(1) >> 1n) },
});

/** The smallest proof of the work that meets the network's limit but not the work's target. */
function proofBetween(work: { previousProof: number; templateHash: string | null; target?: string }): number {
  const target = targetFromHex(work.target as string);
  const limit = targetFromDifficulty(NET.difficulty);
  for (let proof = 0; ; proof++) {
    const h = targetFromHex(
      powHash({ rule: NET.pow, templateHash: work.templateHash as string, proof, previousProof: work.previousProof }),
    );
    if (h > target && h <= limit) return proof;
  }
}

describe('work on a retargeting network (gp target, up)', function () {
  this.timeout(20_000);
  const stopped = stoppedAfterEach();

  it('gp names the target of the next block, over TCP too; up refuses a proof that meets only the limit', async () => {
    const peer = await startPeer({ network: RETARGET });
    stopped.push(peer);
    assert.ok((await peer.submitTransaction(tx('to mine'))).ok);
    const client = createClient({ host: '127.0.0.1', port: peer.address.port });
    try {
      const work = await client.request('gp');
      assert.equal(work.target, RETARGET.retarget?.initialTarget, 'block 2 has the initial target');
      assert.deepEqual(work, peer.work.describe());
      assert.equal(work.target, targetToHex(peer.chain.targetAfter()));

      const weak = await client.request('up', { proof: proofBetween(work), templateHash: work.templateHash as string });
      assert.deepEqual(weak, { status: 'No reward', reason: 'bad-pow' });
      const local = await peer.work.submit(proofBetween(work), work.templateHash as string);
      assert.ok(local.status === 'No reward' && /does not meet the target 07f{62}$/.test(local.message), JSON.stringify(local));

      const good = await client.request('up', { proof: proofFor(work), templateHash: work.templateHash as string });
      assert.equal(good.status, 'Reward');
      assert.equal(peer.chain.height, 2);
    } finally {
      await client.close();
    }
  });

  it('a fixed network replies with the seven fields of §5.6 only', async () => {
    const peer = await startPeer();
    stopped.push(peer);
    assert.ok((await peer.submitTransaction(tx('fixed'))).ok);
    const client = createClient({ host: '127.0.0.1', port: peer.address.port });
    try {
      const work = await client.request('gp');
      assert.deepEqual(Object.keys(work), ['index', 'previousProof', 'previousHash', 'templateHash', 'difficulty', 'pow', 'pending']);
    } finally {
      await client.close();
    }
  });
});
