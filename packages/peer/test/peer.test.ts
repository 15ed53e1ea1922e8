import assert from 'node:assert/strict';
import { request } from '@chain/net';
import type { Peer } from '@chain/peer';
import { addr, mineOnce, startPeer, tx, until } from './helpers';

describe('peer: three peers on loopback', function () {
  this.timeout(30_000);
  let peers: Peer[] = [];
  afterEach(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    peers = [];
  });

  it('a transaction submitted to A is in a block on all three', async () => {
    const a = await startPeer();
    const b = await startPeer({ neighbours: [addr(a)] });
    const c = await startPeer({ neighbours: [addr(a), addr(b)] });
    peers = [a, b, c];
    const reply = await request('127.0.0.1', a.address.port, 'tx', tx('hello'));
    assert.equal(reply.status, 'Accepted');
    await until(() => peers.every((p) => p.chain.pool.size === 1), 5000, 'pool gossip');
    await mineOnce(a);
    await until(() => peers.every((p) => p.chain.height === 2), 5000, 'block gossip');
    const tips = new Set(peers.map((p) => p.chain.tip.hash));
    assert.equal(tips.size, 1);
    assert.ok(peers.every((p) => p.chain.pool.size === 0));
    const pb = await request('127.0.0.1', c.address.port, 'pb');
    assert.equal(pb.height, 2);
    assert.equal(pb.blocks[1]?.transactions[0]?.content, 'hello');
  });

  it('a late joiner syncs by heartbeat from one known address', async () => {
    const a = await startPeer();
    peers = [a];
    for (let i = 0; i < 30; i++) {
      await a.submitTransaction(tx());
      await mineOnce(a);
    }
    const b = await startPeer({ neighbours: [addr(a)] });
    peers.push(b);
    await until(() => b.chain.height === 31, 10_000, 'sync');
    assert.equal(b.chain.tip.hash, a.chain.tip.hash);
    // a learned b from b's heartbeat
    await until(() => a.neighbours.get(addr(b)) !== undefined, 5000, 'a learns b');
  });

  it('wrong network gets er wrong-network', async () => {
    const a = await startPeer();
    peers = [a];
    await assert.rejects(
      request('127.0.0.1', a.address.port, 'hb', { genesis: 'ab'.repeat(32), locator: ['ab'.repeat(32)], listen: null }),
      (err: { code?: string }) => err.code === 'wrong-network',
    );
  });
});
