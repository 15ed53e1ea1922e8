import assert from 'node:assert/strict';
import { createClassicTransaction, metaOf, txId } from '@chain/core';
import { Peer } from '@chain/peer';
import { startExplorer } from '@chain/explorer';
import { EASY_CLASSIC, getJson, mineOn } from './helpers';

describe('explorer: finding transactions', () => {
  it('finds a transaction older than the chain index window by scanning older blocks', async () => {
    // A one-second TTL: the chain's index forgets blocks 121 s older than the tip.
    const peer = await Peer.start({ network: { ...EASY_CLASSIC, txTtlMs: 1000 }, port: 0, dataDir: null, mine: false });
    const explorer = await startExplorer({ peers: peer });
    try {
      const now = peer.now();
      const old = createClassicTransaction('abcd1234', { content: 'long ago', timestamp: now - 600_000 });
      const b2 = mineOn(peer, peer.chain.tip, [old], now - 600_000);
      assert.ok((await peer.acceptBlock(b2, { kind: 'local' })).ok);
      const b3 = mineOn(peer, peer.chain.tip, [createClassicTransaction('abcd1234', { content: 'now', timestamp: now })], now);
      assert.ok((await peer.acceptBlock(b3, { kind: 'local' })).ok);
      const id = txId(peer.chain.genesisHash, old);
      assert.equal(peer.chain.txHeight(id), undefined, 'beyond the index');
      const r = await getJson(`${explorer.url}api/transactions/${id}`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { id, tx: old, status: 'confirmed', block: { index: 2, hash: b2.currentHash, confirmations: 2 } });
      const missing = await getJson(`${explorer.url}api/transactions/${'0'.repeat(64)}`);
      assert.equal(missing.status, 404);
      assert.match(missing.body.message, /not in the pool, nor in the chain/);
    } finally {
      await explorer.close();
      await peer.stop();
    }
  });

  it('finds a transaction the index dropped before a reorganisation brought an older tip', async () => {
    const peer = await Peer.start({ network: { ...EASY_CLASSIC, txTtlMs: 1000 }, port: 0, dataDir: null, mine: false });
    try {
      const now = peer.now();
      const tx = (content: string, timestamp: number) => createClassicTransaction('abcd1234', { content, timestamp });
      const b2 = mineOn(peer, peer.chain.tip, [tx('b2', now - 600_000)], now - 600_000);
      const b3 = mineOn(peer, metaOf(b2), [tx('b3', now)], now);
      const inC3 = tx('c3', now - 500_000);
      const c3 = mineOn(peer, metaOf(b2), [inC3], now - 500_000);
      const c4 = mineOn(peer, metaOf(c3), [tx('c4', now - 400_000)], now - 400_000);
      for (const b of [b2, b3, c3, c4]) assert.ok((await peer.acceptBlock(b, { kind: 'local' })).ok);
      assert.equal(peer.chain.tip.hash, c4.currentHash);
      // c3 joined the best chain after the index's horizon had passed its timestamp.
      const id = txId(peer.chain.genesisHash, inC3);
      assert.equal(peer.chain.txHeight(id), undefined);
      assert.ok(c3.timestamp <= peer.chain.indexHorizon);
      // An explorer started now has not seen c3 as a side block: only the scan finds it.
      const explorer = await startExplorer({ peers: peer });
      try {
        const r = await getJson(`${explorer.url}api/transactions/${id}`);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { id, tx: inC3, status: 'confirmed', block: { index: 3, hash: c3.currentHash, confirmations: 2 } });
      } finally {
        await explorer.close();
      }
    } finally {
      await peer.stop();
    }
  });
});
