import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createClient } from '@chain/net';
import { Miner, tcpWorkSource } from '@chain/miner';
import { until } from '@chain/testkit';
import { addr, startPeer, tx, stoppedAfterEach } from './helpers';

describe('peer: mining', function () {
  this.timeout(30_000);
  const peers = stoppedAfterEach();

  it('in-process miners: a transaction submitted to A is mined and on all three', async () => {
    const a = await startPeer({ mine: true, workers: 1 });
    const b = await startPeer({ mine: true, workers: 1, neighbours: [addr(a)] });
    const c = await startPeer({ mine: true, workers: 1, neighbours: [addr(a), addr(b)] });
    peers.push(a, b, c);
    await until(() => peers.every((p) => p.neighbours.list().filter((n) => n.state === 'open').length >= 1), 'links', 5000);
    const r = await a.submitTransaction(tx('mined'));
    assert.ok(r.ok);
    await until(() => peers.every((p) => p.chain.height >= 2 && p.chain.txHeight(r.id) !== undefined), 'mined everywhere', 10_000);
    await until(() => new Set(peers.map((p) => p.chain.tip.hash)).size === 1, 'one tip', 10_000);
    assert.ok(peers.every((p) => p.chain.pool.size === 0));
  });

  it('a miner in another place mines real blocks over TCP with gp long polls and up', async () => {
    const peer = await startPeer();
    peers.push(peer);
    const client = createClient({ host: '127.0.0.1', port: peer.address.port });
    const miner = new Miner({ source: tcpWorkSource(client), workers: 1, pollMs: 5000 });
    const works: (string | null)[] = [];
    miner.on('work', (w) => works.push(w.templateHash));
    miner.start();
    try {
      await once(miner, 'work'); // idle: nothing to mine
      assert.equal(works[0], null);
      for (let i = 0; i < 3; i++) {
        const mined = once(miner, 'block');
        const started = Date.now();
        assert.ok((await peer.submitTransaction(tx(`tcp${i}`))).ok);
        const [block] = await mined;
        assert.equal(block.index, i + 2);
        assert.ok(Date.now() - started < 5000, 'work arrived through the long poll, not a timeout');
      }
      assert.equal(peer.chain.height, 4);
      assert.equal(miner.blocks, 3);
    } finally {
      await miner.stop();
      await client.close();
    }
  });
});
