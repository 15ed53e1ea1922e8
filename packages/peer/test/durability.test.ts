import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { txId, type Block } from '@chain/core';
import { request } from '@chain/net';
import { Peer } from '@chain/peer';
import { TestProcess, proofFor, tmpDir } from '@chain/testkit';
import { NET, tx } from './helpers';

const script = fileURLToPath(new URL('./fixtures/peer-process.ts', import.meta.url));

async function spawnPeer(dir: string, port = 0): Promise<{ child: TestProcess; port: number }> {
  const child = TestProcess.source(script, [dir, String(port)], { stdin: 'ignore' });
  const m = await child.waitFor(/ready (\d+)/);
  return { child, port: Number(m[1]) };
}

describe('peer: durability', function () {
  this.timeout(60_000);

  it('SIGKILL mid-work loses no acknowledged block or transaction', async () => {
    const dir = tmpDir();
    const { child, port } = await spawnPeer(dir);
    const ackedTx = new Set<string>();
    const ackedBlocks: Block[] = [];
    // Work flows: transactions and mined blocks, pipelined, while we kill the process.
    let stop = false;
    const flow = (async () => {
      let i = 0;
      while (!stop) {
        try {
          const t = tx(`k${i++}`);
          const r = await request('127.0.0.1', port, 'tx', t, { timeoutMs: 2000 });
          if (r.status === 'Accepted') ackedTx.add(r.id);
          if (i % 3 === 0) {
            const work = await request('127.0.0.1', port, 'gp', undefined, { timeoutMs: 2000 });
            if (!work.templateHash) continue;
            const proof = proofFor(work);
            const up = await request('127.0.0.1', port, 'up', { proof, templateHash: work.templateHash }, { timeoutMs: 2000 });
            if (up.status === 'Reward') ackedBlocks.push(up.block);
          }
        } catch {
          return; // the process died under us
        }
      }
    })();
    while (ackedBlocks.length < 10) await new Promise((r) => setImmediate(r));
    await child.kill('SIGKILL');
    stop = true;
    await flow;
    assert.ok(ackedTx.size >= 10);
    // Restart on the same data directory, in this process this time.
    const peer = await Peer.start({ network: NET, dataDir: dir, port: 0, mine: false });
    try {
      for (const b of ackedBlocks) assert.ok(peer.chain.meta(b.currentHash), `block ${b.index} lost`);
      const inChain = new Set<string>();
      for (const b of await peer.chain.blocksFrom(1, peer.chain.height))
        for (const t of b.transactions) inChain.add(txId(peer.chain.genesisHash, t));
      for (const id of ackedTx) assert.ok(inChain.has(id) || peer.chain.pool.has(id), `transaction ${id} lost`);
    } finally {
      await peer.stop();
    }
  });

  it('restarts on its data directory with chain and pool', async () => {
    const dir = tmpDir();
    const { child, port } = await spawnPeer(dir);
    for (let i = 0; i < 7; i++) assert.equal((await request('127.0.0.1', port, 'tx', tx(`p${i}`))).status, 'Accepted');
    const pb = await request('127.0.0.1', port, 'pb');
    await child.kill('SIGTERM');
    const peer = await Peer.start({ network: NET, dataDir: dir, port: 0, mine: false });
    try {
      assert.equal(peer.chain.pool.size, 7);
      assert.equal(peer.chain.height, pb.height);
    } finally {
      await peer.stop();
    }
  });

  it('stopping while a block is being written finishes the write first', async () => {
    const dir = tmpDir();
    const peer = await Peer.start({ network: NET, dataDir: dir, port: 0, mine: false });
    assert.ok((await peer.submitTransaction(tx('last words'))).ok);
    const work = peer.work.describe();
    const proof = proofFor(work);
    const submitted = peer.work.submit(proof, work.templateHash!);
    await peer.stop();
    const r = await submitted;
    assert.equal(r.status, 'Reward');
    const again = await Peer.start({ network: NET, dataDir: dir, port: 0, mine: false });
    try {
      assert.equal(again.chain.height, 2);
    } finally {
      await again.stop();
    }
  });
});
