import assert from 'node:assert/strict';
import { HonestMiner, Mining, Traffic, World } from '@chain/sim';

/** Full blocks (100 transactions of 70 characters, ~14 KB) in replies of 32 KiB: one block a reply, so a partition's fork spans many. */
const BLOCK_TXS = 100;
const MAX_FRAME = 32 * 1024;
const MINUTE = 60_000;

describe('long haul: a partition of minutes with full blocks heals', function () {
  it('four peers split 2/2 for three virtual minutes, full blocks every 1.5 s and 3 s on the sides, converge on one chain', async () => {
    const side = [0, 0, 1, 1];
    const splitAt = MINUTE;
    const healAt = splitAt + 3 * MINUTE;
    const world = await World.create({
      seed: 'long-haul-partition',
      peers: side.length,
      partitions: [{ startMs: splitAt, healMs: healAt, side }],
      network: { maxTxPerBlock: BLOCK_TXS },
      txContentBytes: 70,
      peer: { heartbeatMs: 5000, poolCap: 50_000 },
      peerOverride: () => ({ maxFrame: MAX_FRAME }),
    });
    try {
      const agents = world.nodes.map((n) => new HonestMiner(world, n.index));
      // One side with twice the hash power: its chain must win, whatever arrives first.
      const mining = new Mining(world, agents, [2, 2, 1, 1], 1000);
      const traffic = new Traffic(world, 1.5 * (BLOCK_TXS / 1));
      traffic.start();
      mining.start();
      await world.runFor(healAt - 1);
      const heights = world.nodes.map((n) => n.peer.chain.height);
      const tips = new Set(world.nodes.map((n) => n.peer.chain.tip.hash));
      assert.equal(tips.size, 2, 'split in two');
      mining.stop();
      traffic.stop();
      const full = await world.nodes[0]!.peer.chain.blockAt(heights[0]! - 1);
      assert.ok((full?.transactions.length ?? 0) >= BLOCK_TXS * 0.9, `blocks are full (${full?.transactions.length})`);
      const fork = Math.min(...heights) - 1; // at least this many blocks on each side since the split
      const perReply = Math.floor((MAX_FRAME - 4096) / 2 / JSON.stringify(full).length);
      assert.ok(fork > 10 * Math.max(1, perReply), `the fork (${fork} blocks) spans many replies (${perReply} a reply)`);
      await world.runFor(1);
      await world.scheduler.run({ until: world.scheduler.time + 10 * MINUTE, stopWhen: () => world.converged() });
      assert.ok(
        world.converged(),
        `converged: heights ${world.nodes.map((n) => n.peer.chain.height).join(', ')} (were ${heights.join(', ')})`,
      );
      assert.equal(world.nodes[3]!.peer.chain.height, Math.max(...heights), 'the higher chain won');
    } finally {
      await world.stop();
    }
  });
});
