import assert from 'node:assert/strict';
import { createClassicTransaction, type Block } from '@chain/core';
import { Peer } from '@chain/peer';
import { startExplorer, type Explorer } from '@chain/explorer';
import { until } from '@chain/testkit';
import { EASY_CLASSIC, getJson, mineOn, nextEvent } from './helpers';

const tx = (content: string) => createClassicTransaction('abcd1234', { content, timestamp: Date.now() });

/** Peer `b` joins `a`; resolves once each has the other as an open neighbour. */
async function joined(a: Peer, b: Peer): Promise<void> {
  const open = (p: Peer, q: Peer) => p.status().neighbours.some((n) => n.address === q.listenAddress && n.state === 'open');
  await until(() => open(a, b) && open(b, a), 'the two peers to be open neighbours of each other');
}

/** Mine `peer`'s pool into a block by hand and add it there. */
async function mineAt(peer: Peer): Promise<Block> {
  const template = peer.chain.template(peer.now());
  assert.ok(template, 'something to mine');
  const block = mineOn(peer, peer.chain.tip, template.transactions, template.timestamp);
  assert.ok((await peer.acceptBlock(block, { kind: 'local' })).ok);
  return block;
}

describe('explorer: what a running network shows', function () {
  this.timeout(30_000);
  const peers: Peer[] = [];
  const explorers: Explorer[] = [];
  afterEach(async () => {
    await Promise.all(explorers.splice(0).map((e) => e.close()));
    await Promise.all(peers.splice(0).map((p) => p.stop()));
  });
  const start = async (opts: { mine: boolean; neighbours?: readonly Peer[]; heartbeatMs?: number }) => {
    const peer = await Peer.start({
      network: EASY_CLASSIC,
      port: 0,
      dataDir: null,
      workers: 1,
      mine: opts.mine,
      minerGraceMs: 0,
      heartbeatMs: opts.heartbeatMs ?? 200,
      neighbours: (opts.neighbours ?? []).map((p) => p.listenAddress),
    });
    peers.push(peer);
    return peer;
  };
  const serve = async (served: Peer | Peer[]) => {
    const explorer = await startExplorer({ peers: served, sampleMs: 100 });
    explorers.push(explorer);
    return `${explorer.url}api`;
  };

  it('a mining peer: a hash rate above 0 in the status and the samples, and its miner mining', async () => {
    const miner = await start({ mine: true });
    const idle = await start({ mine: false });
    const api = await serve([miner, idle]);
    for (let i = 0; i < 5; i++) {
      const mined = nextEvent(miner, 'block', ({ source }) => source.kind === 'local');
      assert.ok((await miner.submitTransaction(tx(`to mine ${i}`))).ok);
      await mined;
    }
    const { body } = await getJson(`${api}/status`);
    assert.ok(body.hashrate > 0, `hash rate ${body.hashrate} after 5 blocks mined`);
    assert.equal(body.miner.state, 'mining');
    assert.ok(body.miner.blocks >= 5, `${body.miner.blocks} blocks mined`);
    await until(
      async () => (await getJson(`${api}/stats`)).body.samples.some((s: { hashrate: number }) => s.hashrate > 0),
      'a sample above 0 H/s',
    );
    const other = await getJson(`${api}/status?peer=B`);
    assert.deepEqual([other.body.hashrate, other.body.miner], [0, { state: 'none', blocks: 0 }]);
  });

  it("a neighbour's height follows the blocks it sends, between heartbeats", async () => {
    // An hour between heartbeats: after the first, only the blocks B sends tell A of its height.
    const a = await start({ mine: false, heartbeatMs: 3_600_000 });
    const b = await start({ mine: false, heartbeatMs: 3_600_000, neighbours: [a] });
    await joined(a, b);
    const api = await serve(a); // B is not served here: its height is known only from what A hears
    const heightOfB = async () =>
      ((await getJson(`${api}/peers`)).body.neighbours as { address: string; height: number }[]).find((n) => n.address === b.listenAddress)
        ?.height;
    for (let i = 0; i < 3; i++) {
      assert.ok((await b.submitTransaction(tx(`from B ${i}`))).ok);
      const arrived = nextEvent(a, 'block', ({ source }) => source.kind === 'neighbour' && source.address === b.listenAddress);
      await mineAt(b);
      await arrived;
      assert.equal(await heightOfB(), b.chain.height);
    }
    assert.equal(
      (await getJson(`${api}/status`)).body.neighbours.find((n: { address: string }) => n.address === b.listenAddress).height,
      4,
    );
  });

  it('a neighbour this explorer serves too shows its height as it is now', async () => {
    const a = await start({ mine: false, heartbeatMs: 3_600_000 });
    const b = await start({ mine: false, heartbeatMs: 3_600_000, neighbours: [a] });
    await joined(a, b);
    const api = await serve([a, b]);
    assert.ok((await b.submitTransaction(tx('from B'))).ok);
    await mineAt(b);
    const seen = (await getJson(`${api}/peers?peer=A`)).body.neighbours.find((n: { address: string }) => n.address === b.listenAddress);
    assert.equal(seen.height, b.chain.height);
  });
});
