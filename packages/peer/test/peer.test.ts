import assert from 'node:assert/strict';
import { request } from '@chain/net';
import type { Peer } from '@chain/peer';
import { until } from '@chain/testkit';
import { addr, mineOnce, startPeer, tx, stoppedAfterEach } from './helpers';

describe('peer: three peers on loopback', function () {
  this.timeout(30_000);
  const peers = stoppedAfterEach();

  it('a transaction submitted to A is in a block on all three', async () => {
    const a = await startPeer();
    const b = await startPeer({ neighbours: [addr(a)] });
    const c = await startPeer({ neighbours: [addr(a), addr(b)] });
    peers.push(a, b, c);
    const reply = await request('127.0.0.1', a.address.port, 'tx', tx('hello'));
    assert.equal(reply.status, 'Accepted');
    await until(() => peers.every((p) => p.chain.pool.size === 1), 'pool gossip', 5000);
    await mineOnce(a);
    await until(() => peers.every((p) => p.chain.height === 2), 'block gossip', 5000);
    const tips = new Set(peers.map((p) => p.chain.tip.hash));
    assert.equal(tips.size, 1);
    assert.ok(peers.every((p) => p.chain.pool.size === 0));
    const pb = await request('127.0.0.1', c.address.port, 'pb');
    assert.equal(pb.height, 2);
    assert.equal(pb.blocks[1]?.transactions[0]?.content, 'hello');
  });

  it('a late joiner syncs by heartbeat from one known address', async () => {
    const a = await startPeer();
    peers.push(a);
    for (let i = 0; i < 30; i++) {
      await a.submitTransaction(tx());
      await mineOnce(a);
    }
    const b = await startPeer({ neighbours: [addr(a)] });
    peers.push(b);
    await until(() => b.chain.height === 31, 'sync', 10_000);
    assert.equal(b.chain.tip.hash, a.chain.tip.hash);
    // a learned b from b's heartbeat
    await until(() => a.neighbours.get(addr(b)) !== undefined, 'a learns b', 5000);
  });

  it('wrong network gets er wrong-network', async () => {
    const a = await startPeer();
    peers.push(a);
    await assert.rejects(
      request('127.0.0.1', a.address.port, 'hb', { genesis: 'ab'.repeat(32), locator: ['ab'.repeat(32)], listen: null }),
      (err: { code?: string }) => err.code === 'wrong-network',
    );
  });

  for (const order of [
    ['A', 'B', 'C'],
    ['C', 'B', 'A'],
  ]) {
    it(`start order ${order.join(',')} converges`, async () => {
      // Fixed ports so that each peer can name the others before they exist.
      const probe = await Promise.all([0, 1, 2].map(() => startPeer()));
      const ports = probe.map((p) => p.address.port);
      await Promise.all(probe.map((p) => p.stop()));
      const names = ['A', 'B', 'C'];
      const byName = new Map<string, Peer>();
      for (const name of order) {
        const i = names.indexOf(name);
        const others = ports.filter((_, j) => j !== i).map((port) => `127.0.0.1:${port}`);
        const p = await startPeer({ port: ports[i], neighbours: others });
        byName.set(name, p);
        peers.push(p);
      }
      const a = byName.get('A')!;
      await until(() => peers.every((p) => p.status().neighbours.filter((n) => n.state === 'open').length === 2), 'all connected', 10_000);
      for (let i = 0; i < 5; i++) assert.ok((await a.submitTransaction(tx())).ok);
      await mineOnce(a);
      await until(() => peers.every((p) => p.chain.tip.hash === a.chain.tip.hash), 'same tip', 5000);
      assert.equal(a.chain.height, 2);
      assert.equal((await a.chain.blockAt(2))!.transactions.length, 5);
    });
  }

  it('a partition heals to one chain with the pool consistent', async () => {
    const a = await startPeer();
    const c = await startPeer({ neighbours: [addr(a)] });
    let b = await startPeer({ neighbours: [addr(a), addr(c)] });
    peers.push(a, c);
    const bPort = b.address.port;
    await until(() => a.neighbours.size === 2 && c.neighbours.size === 2, 'mesh', 5000);
    await b.stop();
    // A and C mine while B is away; a transaction waits in the pool.
    for (let i = 0; i < 3; i++) {
      await a.submitTransaction(tx());
      await mineOnce(a);
      await c.submitTransaction(tx());
      await until(() => a.chain.pool.size === 1, 'gossip to a', 5000);
      await mineOnce(c);
    }
    const pending = await a.submitTransaction(tx('pending'));
    assert.ok(pending.ok);
    b = await startPeer({ port: bPort, neighbours: [addr(a), addr(c)] });
    peers.push(b);
    await until(() => peers.every((p) => p.chain.tip.hash === a.chain.tip.hash), 'one chain', 10_000);
    await until(() => peers.every((p) => p.chain.pool.has(pending.ok ? pending.id : '')), 'pending everywhere', 5000);
    // Transactions the fork returned to a pool reach B by announcement, a flush later than the tip.
    await until(() => peers.every((p) => a.chain.pool.list().every((e) => p.chain.pool.has(e.id))), 'pool consistent', 5000);
    assert.equal(b.chain.height, a.chain.height);
    assert.ok(b.chain.height >= 4, `height ${b.chain.height}`);
    // Every transaction of the partition is exactly once in B's chain or pool.
    const contents = [
      ...(await b.chain.blocksFrom(2, 100)).flatMap((blk) => blk.transactions),
      ...b.chain.pool.list().map((e) => e.tx),
    ].map((t) => t.content);
    assert.equal(new Set(contents).size, contents.length);
    assert.equal(contents.length, 7);
  });

  it('two miners finding the same height at once end in one chain', async () => {
    const a = await startPeer();
    const b = await startPeer({ neighbours: [addr(a)] });
    peers.push(a, b);
    await until(() => a.neighbours.size === 1 && b.neighbours.size === 1, 'linked', 5000);
    await a.submitTransaction(tx('x'));
    await b.submitTransaction(tx('y'));
    await until(() => a.chain.pool.size === 2 && b.chain.pool.size === 2, 'pools', 5000);
    // Both mine height 2 at once, each on its own template.
    await Promise.all([mineOnce(a), mineOnce(b)]);
    // Equal height: each keeps its own; the next block decides.
    await a.submitTransaction(tx('z'));
    await until(() => b.chain.pool.size >= 1, 'z gossiped', 5000);
    await mineOnce(a);
    await until(() => a.chain.tip.hash === b.chain.tip.hash, 'one chain', 10_000);
    assert.equal(b.chain.height, 3);
    const onChain = (await a.chain.blocksFrom(2, 10)).flatMap((blk) => blk.transactions.map((t) => t.content));
    const pool = a.chain.pool.list().map((e) => e.tx.content);
    assert.deepEqual([...onChain, ...pool].sort(), ['x', 'y', 'z']);
    assert.deepEqual([...b.chain.pool.list().map((e) => e.tx.content)].sort(), pool.sort());
  });
});
