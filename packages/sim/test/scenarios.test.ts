import assert from 'node:assert/strict';
import { propagation } from '../src/scenarios/propagation';
import { partition } from '../src/scenarios/partition';
import { eclipse } from '../src/scenarios/eclipse';
import { parseDuration, runScenario } from '../src/run';

describe('scenarios at a reduced size', function () {
  this.timeout(60_000);

  it('propagation: every block reaches every peer; the JSON has the documented fields', async () => {
    const r = await propagation({ seed: 1, peers: 20, blocks: 12, intervalMs: 20_000, latency: 'constant:40', topology: 'regular:4' });
    for (const k of ['scenario', 'seed', 'peers', 'blocks', 'wallMs', 'traceHash', 'intervalMs', 'staleRate', 'propagationMs'])
      assert.ok(k in r, k);
    assert.equal(r.blocks, 12);
    // 20 peers of degree 4 at 40 ms a hop: at least one hop to reach 90 %, and the diameter is small.
    assert.ok(r.propagationMs.p50 !== null && r.propagationMs.p50 >= 40 && r.propagationMs.p50 < 400, `p50 ${r.propagationMs.p50}`);
    assert.ok(r.reachMs['100'].p50 !== null, 'blocks reach all peers');
    assert.equal(r.peerErrors, 0);
  });

  it('partition: both sides mine while split; after the heal every peer converges on one chain', async () => {
    const r = await partition({
      seed: 4,
      peers: 12,
      topology: 'regular:4',
      latency: 'constant:50',
      intervalMs: 30_000,
      splitAtMs: 120_000,
      healAtMs: 900_000,
    });
    assert.ok(r.foundWhileSplit[0] > 0 && r.foundWhileSplit[1] > 0, `found ${r.foundWhileSplit}`);
    assert.notEqual(r.convergeMs, null, 'converged');
    assert.ok(r.convergeMs! < 120_000, `converged after ${r.convergeMs} ms`);
    assert.ok(r.orphaned > 0 && r.reorgs > 0);
    assert.ok(r.returnedDistinct > 0, 'the losing side’s transactions went back to pools');
  });

  it('eclipse: the fully surrounded victim follows the attacker; the one with an honest neighbour does not', async () => {
    const r = await eclipse({ seed: 5, honest: 8, attackers: 10, alpha: 0.3, poison: 12, durationMs: 3_600_000, intervalMs: 60_000 });
    const [surrounded, defended] = r.victims;
    assert.ok(surrounded.foreignBlocks > 0 && surrounded.onHonestChain < 0.5, `victim 1 ${JSON.stringify(surrounded)}`);
    assert.equal(defended.foreignBlocks, 0);
    assert.equal(defended.onHonestChain, 1);
    assert.ok(defended.honestNeighbours >= 1, 'the configured neighbour stays');
    assert.ok(defended.learnedFromPoisoner <= 8, `one host contributes 8 learned addresses at most, got ${defended.learnedFromPoisoner}`);
  });

  it('the runner refuses what it does not know, naming it', async () => {
    await assert.rejects(runScenario('nosuch', {}), /unknown scenario "nosuch"; choose one of propagation, selfish/);
    await assert.rejects(runScenario('selfish', {}), /needs --alpha/);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.throws(() => parseDuration('ten'), /is not a duration/);
    assert.throws(() => parseDuration('600000'), /needs a unit/);
  });
});
