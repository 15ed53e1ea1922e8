import assert from 'node:assert/strict';
import { until } from '@chain/testkit';
import { addr, startPeer, stoppedAfterEach, NET } from './helpers';
import { MemoryNetwork } from './memory-transport';
import { chainOn } from './forks';

const SYNCED = { kind: 'remote' } as const;

describe('peer: forks deeper than one hb reply heal', function () {
  this.timeout(120_000);
  const peers = stoppedAfterEach();

  it('B with 700 blocks and A with 800, forked at genesis: B moves to A', async () => {
    const net = new MemoryNetwork();
    const options = { transport: net.transport, dialIntervalMs: 0, heartbeatMs: 200 };
    const a = await startPeer(options);
    const b = await startPeer(options);
    peers.push(a, b);
    const ra = await a.acceptBlocks(chainOn(NET, null, 799), SYNCED);
    const rb = await b.acceptBlocks(chainOn(NET, null, 699), SYNCED);
    assert.ok(ra.every((r) => r.ok) && rb.every((r) => r.ok));
    assert.equal(a.chain.height, 800);
    assert.equal(b.chain.height, 700);
    b.neighbours.configure(addr(a));
    await until(() => b.chain.tip.hash === a.chain.tip.hash, "B on A's chain", 60_000);
    assert.equal(b.chain.height, 800);
  });
});
