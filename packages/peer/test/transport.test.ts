import assert from 'node:assert/strict';
import { until } from '@chain/testkit';
import { transportCompliance } from '../../net/test/compliance';
import { addr, mineOnce, startPeer, tx, stoppedAfterEach } from './helpers';
import { MemoryNetwork } from './memory-transport';

// The in-memory transport of these tests behaves as a transport must (limits aside).
transportCompliance('memory', () => new MemoryNetwork().transport);

const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

describe('peer: over an injected transport', function () {
  this.timeout(20_000);
  const peers = stoppedAfterEach();

  it('two peers in memory, no socket: a transaction is gossiped and a block relayed', async () => {
    const net = new MemoryNetwork();
    const sockets = tcpHandles();
    // A heartbeat far away: what arrives, arrives by push (tx, nb), not by the heartbeat's sync.
    const options = { transport: net.transport, heartbeatMs: 600_000, dialIntervalMs: 0, minerGraceMs: 0 };
    const a = await startPeer(options);
    const b = await startPeer({ ...options, neighbours: [addr(a)] });
    peers.push(a, b);
    assert.ok(net.servers.has(addr(a)) && net.servers.has(addr(b)), 'both listen on the transport');
    // b dials a; a learns b from b's hb and dials it back: each is the other's open neighbour.
    await until(() => a.neighbours.get(addr(b))?.state === 'open' && b.neighbours.get(addr(a))?.state === 'open', 'linked both ways', 5000);

    const gossiped = new Promise<{ source: unknown }>((resolve) => a.once('tx', resolve));
    const r = await b.submitTransaction(tx('in memory'));
    assert.ok(r.ok);
    assert.deepEqual((await gossiped).source, { kind: 'neighbour', address: addr(b) });
    assert.ok(a.chain.pool.has(r.id));

    await mineOnce(a);
    await until(() => b.chain.tip.hash === a.chain.tip.hash, 'block relayed', 5000);
    assert.equal(b.chain.height, 2);
    assert.equal(b.chain.txHeight(r.id), 2);
    assert.equal(b.chain.pool.size, 0);

    assert.ok(
      net.sent.some((s) => s.op === 'ia' && s.to === addr(a)) && net.sent.some((s) => s.op === 'tb' && s.to === addr(a)),
      'b announced the transaction to a and sent the body asked for (both speak 1.2)',
    );
    assert.ok(!net.sent.some((s) => s.op === 'tx'), 'no tx push between 1.2 peers');
    assert.ok(
      net.sent.some((s) => s.op === 'cb' && s.to === addr(b)),
      'a sent b the block as a compact block (both speak 1.2)',
    );
    assert.equal(tcpHandles(), sockets, 'no TCP socket or server was opened');
  });
});
