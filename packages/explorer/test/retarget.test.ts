import assert from 'node:assert/strict';
import { createClassicTransaction, createTemplate, targetFromDifficulty, targetToHex, txId, type Block } from '@chain/core';
import type { Peer } from '@chain/peer';
import { startExplorer, type Explorer } from '@chain/explorer';
import { easyNetwork, mineToTarget } from '@chain/testkit';
import { EASY_CLASSIC, getJson, startDevnet } from './helpers';

/** 256 expected hashes a block at first; a chain one half-life behind its schedule doubles the target. */
const INITIAL = targetFromDifficulty(2);
const NETWORK = easyNetwork(EASY_CLASSIC, {
  name: 'explorer-retarget',
  difficulty: 1,
  retarget: { targetBlockMs: 1000, halfLifeMs: 2000, initialTarget: targetToHex(INITIAL) },
});

describe('explorer API on a retargeting network', function () {
  this.timeout(30_000);
  let peer: Peer;
  let explorer: Explorer;
  let api: string;

  before(async () => {
    [peer] = (await startDevnet(1, NETWORK)) as [Peer];
    explorer = await startExplorer({ peers: [peer], sampleMs: 100 });
    api = `${explorer.url}api`;
  });
  after(async () => {
    await explorer.close();
    await peer.stop();
  });

  /** Mine a block of one transaction at `timestamp` on the tip, to the target the chain sets, and take it. */
  async function mineAt(timestamp: number): Promise<Block> {
    const tip = peer.chain.tip;
    const tx = createClassicTransaction('abcd1234', { content: `at ${timestamp}`, timestamp });
    const template = createTemplate(tip, [tx], [txId(peer.chain.genesisHash, tx)], timestamp, NETWORK.txFormat);
    const block = mineToTarget(NETWORK, template, peer.chain.targetAfter(tip.hash));
    const r = await peer.acceptBlock(block, { kind: 'local' });
    assert.ok(r.ok && r.status === 'extended', JSON.stringify(r));
    return block;
  }

  it("gives each block's target and work, which follow the intervals", async () => {
    const t2 = Date.now() - 60_000;
    // Block 3 comes 3 s after block 2, a half-life behind the schedule of 1 s: block 4's target doubles.
    for (const t of [t2, t2 + 3000, t2 + 4000, t2 + 4500]) await mineAt(t);
    const initial = { target: targetToHex(INITIAL), work: '256' };
    const doubled = { target: targetToHex(2n * INITIAL), work: '128' };

    const stats = await getJson(`${api}/stats`);
    assert.equal(stats.status, 200);
    assert.deepEqual(stats.body.intervals, [
      { index: 3, ms: 3000, ...initial },
      { index: 4, ms: 1000, ...doubled },
      // The parent, block 4, is 2 s behind for 2 blocks: still one half-life.
      { index: 5, ms: 500, ...doubled },
    ]);

    const detail = await getJson(`${api}/blocks/4`);
    assert.equal(detail.status, 200);
    assert.deepEqual({ target: detail.body.target, work: detail.body.work }, doubled);
    const genesis = await getJson(`${api}/blocks/1`);
    assert.deepEqual({ target: genesis.body.target, work: genesis.body.work }, { target: null, work: '0' });
    const status = await getJson(`${api}/status`);
    assert.deepEqual(status.body.network.retarget, NETWORK.retarget);
  });
});
