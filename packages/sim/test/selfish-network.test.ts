import assert from 'node:assert/strict';
import { World } from '../src/world';
import { HonestMiner } from '../src/mining';
import { SelfishMiner } from '../src/strategies/selfish';
import { selfish } from '../src/scenarios/selfish';

/** Three honest miners 100 ms apart and a selfish pool 1 ms from each; in a race the pool tells miner 1 only. */
async function setup() {
  const world = await World.create({
    seed: 'hand-built',
    peers: 4,
    topology: { kind: 'mesh' },
    latency: { kind: 'constant', ms: 100 },
    latencyOverride: (a, b) => (a === 3 || b === 3 ? 1 : undefined),
    peer: { heartbeatMs: 600_000 },
  });
  const pool = new SelfishMiner(world, 3, [0, 1, 2], [1]);
  const honest = [0, 1, 2].map((i) => new HonestMiner(world, i));
  await world.runFor(2000);
  const tip = (i: number) => world.nodes[i]!.peer.chain.tip;
  return { world, pool, honest, tip };
}

describe('selfish mining on the network, step by step', function () {
  this.timeout(30_000);

  it('a private block stays private; matched in a race, it reaches the race target first, which mines on it', async () => {
    const { world, pool, honest, tip } = await setup();
    await pool.found();
    await world.runFor(1000);
    assert.deepEqual(
      [0, 1, 2].map((i) => tip(i).index),
      [1, 1, 1],
      'nobody heard of the private block',
    );
    const poolBlock = pool.branch.blocks[0]!.currentHash;

    await honest[0]!.found();
    await world.runFor(1000);
    const honestBlock = tip(0).hash;
    assert.notEqual(honestBlock, poolBlock);
    assert.equal(tip(1).hash, poolBlock, 'the race target heard the pool first (2 ms against 100 ms)');
    assert.equal(tip(2).hash, honestBlock, 'the others heard the honest block first');
    assert.ok(pool.machine.racing);

    await honest[1]!.found(); // on the pool's block
    await world.runFor(1000);
    assert.ok(world.converged());
    assert.equal(tip(0).index, 3);
    assert.equal(world.nodes[0]!.peer.chain.hashAt(2), poolBlock, 'the pool block is on the main chain');
    assert.equal(pool.races, 1);
    assert.equal(pool.racesWon, 1);
    await pool.branch.close();
    await world.stop();
  });

  it('two blocks ahead when the others find one, the pool publishes both and everyone takes its branch', async () => {
    const { world, pool, honest, tip } = await setup();
    await pool.found();
    await pool.found();
    await world.runFor(1000);
    assert.equal(tip(0).index, 1);
    await honest[2]!.found();
    await world.runFor(1000);
    assert.ok(world.converged());
    assert.equal(tip(0).index, 3);
    assert.equal(tip(0).hash, pool.branch.fork.hash, 'the tip is the last block of the pool');
    assert.equal(world.tracker.reorgs > 0, true, 'the honest block was dropped by a reorganisation');
    await pool.branch.close();
    await world.stop();
  });
});

describe('selfish mining at a reduced size', function () {
  this.timeout(60_000);

  it('earns within 0.04 of R(α, γ) at the γ the network made (α 0.35, 1500 blocks)', async () => {
    const r = await selfish({ seed: 3, alpha: 0.35, gamma: 0.5, blocks: 1500, honest: 4 });
    assert.ok(r.gammaMeasured !== null && r.gammaMeasured > 0.3 && r.gammaMeasured < 0.8, `γ measured ${r.gammaMeasured}`);
    assert.ok(r.theory !== null && Math.abs(r.revenueShare - r.theory) < 0.04, `share ${r.revenueShare} against R = ${r.theory}`);
    assert.ok(r.revenueShare > r.alpha, 'above the threshold, selfish mining pays');
    assert.equal(r.peerErrors, 0);
  });
});
