import assert from 'node:assert/strict';
import { targetFromDifficulty, targetToHex, type Block } from '@chain/core';
import { easyNetwork, until } from '@chain/testkit';
import type { Peer } from '../src/index';
import { NET, addr, startPeer, tx, stoppedAfterEach } from './helpers';

/**
 * A retargeting network run faster than the clock: 150 ms a block, a half-life of 0.6 s, and an
 * initial target of 4,096 expected hashes, which the miners of the test meet in a few
 * milliseconds: blocks come far too fast at first, and ASERT must slow them down.
 */
const TARGET_BLOCK_MS = 150;
const INITIAL = targetFromDifficulty(3);
const FAST = easyNetwork(NET, {
  name: 'test-retarget-miners',
  retarget: { targetBlockMs: TARGET_BLOCK_MS, halfLifeMs: 600, initialTarget: targetToHex(INITIAL) },
});

/** The blocks of a peer's best chain, block 2 first. */
async function bestChain(peer: Peer): Promise<Block[]> {
  const out: Block[] = [];
  for (let h = 2; h <= peer.chain.height; h++) out.push((await peer.chain.blockAt(h)) as Block);
  return out;
}

/** The mean time between consecutive blocks of `blocks` (ms). */
function meanInterval(blocks: readonly Block[]): number {
  return ((blocks[blocks.length - 1] as Block).timestamp - (blocks[0] as Block).timestamp) / (blocks.length - 1);
}

describe('peers mining a retargeting network', function () {
  this.timeout(90_000);
  const stopped = stoppedAfterEach();

  it('the block interval moves towards the target and the target falls with it', async () => {
    const opts = { network: FAST, mine: true, workers: 1, minerGraceMs: 0 };
    const a = await startPeer(opts);
    const b = await startPeer({ ...opts, neighbours: [addr(a)] });
    stopped.push(a, b);
    // Every block needs a transaction: each peer is given one whenever its pool runs dry.
    for (const p of [a, b]) {
      const feed = (): void => {
        if (p.chain.pool.size === 0) void p.submitTransaction(tx());
      };
      p.on('block', feed);
      feed();
    }
    const HEIGHT = 80;
    await until(() => a.chain.height >= HEIGHT && b.chain.height >= HEIGHT, `both peers at height ${HEIGHT}`, 80_000);

    const chain = await bestChain(a);
    const first = chain.slice(1, 21);
    const last = chain.slice(-20);
    const early = meanInterval(first);
    const late = meanInterval(last);
    assert.ok(early < TARGET_BLOCK_MS / 2, `blocks came too fast at first: ${early.toFixed(1)} ms apart`);
    assert.ok(
      Math.abs(late - TARGET_BLOCK_MS) < Math.abs(early - TARGET_BLOCK_MS) / 2,
      `the last 20 blocks are ${late.toFixed(1)} ms apart, the first ${early.toFixed(1)} ms, the target ${TARGET_BLOCK_MS} ms`,
    );
    // The targets the chain set: the initial one for block 3, then lower as the chain ran ahead.
    const targets = chain.map((blk) => a.chain.targetAfter(blk.previousHash));
    assert.equal(targets[1], INITIAL);
    const tipTarget = a.chain.targetAfter(a.chain.tip.hash);
    assert.ok(tipTarget < INITIAL / 4n, `target at the tip ${targetToHex(tipTarget)}`);
    assert.ok(
      targets.slice(-20).every((t) => t < INITIAL),
      'the last 20 blocks were mined to targets below the initial one',
    );
  });
});
