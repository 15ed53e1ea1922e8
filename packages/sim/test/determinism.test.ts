import assert from 'node:assert/strict';
import { World } from '../src/world';
import { HonestMiner, Mining } from '../src/mining';
import { Traffic } from '../src/traffic';

async function run(seed: number, wire: 'object' | 'json' = 'object') {
  const w = await World.create({
    seed,
    peers: 12,
    topology: { kind: 'regular', k: 4 },
    latency: { kind: 'uniform', minMs: 10, maxMs: 120 },
    bandwidthBps: 10_000_000,
    wire,
  });
  const agents = w.nodes.map((n) => new HonestMiner(w, n.index));
  const mining = new Mining(
    w,
    agents,
    agents.map(() => 1),
    2000,
  );
  const traffic = new Traffic(w, 4);
  traffic.start();
  mining.start(15);
  await w.scheduler.run({ stopWhen: () => !mining.running });
  traffic.stop();
  await w.runFor(20_000);
  const result = {
    hash: w.trace.digest(),
    messages: w.trace.messages,
    height: w.nodes[0]!.peer.chain.height,
    converged: w.converged(),
    errors: w.logger.errors,
  };
  await w.stop();
  return result;
}

describe('determinism', function () {
  this.timeout(60_000);

  it('gives the same trace for the same seed and another for another seed', async () => {
    const a = await run(1);
    const b = await run(1);
    const c = await run(2);
    assert.equal(a.hash, b.hash);
    assert.equal(a.messages, b.messages);
    assert.notEqual(a.hash, c.hash);
    assert.ok(a.converged && c.converged, 'every peer ends on one tip');
    assert.ok(a.height >= 10, `height ${a.height}`);
    assert.equal(a.errors, 0);
  });

  it('delivers the same through JSON as by reference (no peer depends on sharing objects)', async () => {
    const a = await run(3);
    const b = await run(3, 'json');
    assert.equal(b.hash, a.hash);
  });
});
