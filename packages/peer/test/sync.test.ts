import assert from 'node:assert/strict';
import { ChainState, type Block } from '@chain/core';
import { silentLogger, systemTimers, type TransportClient } from '@chain/net';
import type { HbReply } from '@chain/protocol';
import { Neighbour } from '../src/neighbours';
import { Synchronizer, STALL_MS, type SyncContext } from '../src/sync';
import { NET } from './helpers';
import { chainOn } from './forks';

/** Blocks per fake reply. */
const BATCH = 50;

/** A neighbour whose `hb` is answered from `chain` (or by `answer`), recording every locator it is sent. */
function fakeNeighbour(address: string, chain: ChainState, answer?: (locator: string[]) => Promise<HbReply>) {
  const locators: string[][] = [];
  const sent: number[] = [];
  const client = {
    request: async (op: string, payload: { locator: string[] }) => {
      assert.equal(op, 'hb');
      locators.push(payload.locator);
      await new Promise((r) => setImmediate(r));
      if (answer) return answer(payload.locator);
      const fork = chain.findFork(payload.locator) as number;
      const blocks = await chain.blocksFrom(fork + 1, BATCH);
      sent.push(blocks.length);
      return { height: chain.height, hash: chain.tip.hash, blocks, pool: [] };
    },
  } as unknown as TransportClient;
  const n = new Neighbour(address, true, client);
  n.state = 'open';
  return { n, locators, sent, total: () => sent.reduce((a, b) => a + b, 0) };
}

async function chainWith(blocks: readonly Block[]): Promise<ChainState> {
  const chain = await ChainState.open({ params: NET });
  assert.ok((await chain.addBlocks(blocks, Date.now())).every((r) => r.ok));
  return chain;
}

function synchronizer(chain: ChainState, links: () => Neighbour[], clock = { now: Date.now() }) {
  let accepts = 0;
  const ctx: SyncContext = {
    chain,
    logger: silentLogger,
    now: () => clock.now,
    timers: systemTimers,
    listenAddress: () => '127.0.0.1:7000',
    links,
    accept: (blocks) => (accepts++, chain.addBlocks(blocks, Date.now())),
    admitAll: async () => undefined,
    fetchPool: async () => undefined,
    replied: () => undefined,
    failed: () => undefined,
    distrust: async () => undefined,
  };
  return { sync: new Synchronizer(ctx), accepts: () => accepts };
}

describe('synchroniser', () => {
  const blocks = chainOn(NET, null, 620);

  it('downloads batch after batch with the locator moved on, every reply asked for added', async () => {
    const server = await chainWith(blocks);
    const me = await ChainState.open({ params: NET });
    const a = fakeNeighbour('10.0.0.1:6000', server);
    const { sync, accepts } = synchronizer(me, () => [a.n]);
    await sync.syncFrom(a.n);
    assert.equal(me.tip.hash, server.tip.hash);
    assert.equal(a.total(), 620, 'each block once');
    assert.equal(accepts(), a.locators.length, 'no reply thrown away');
    // After the first, each locator leads with the last block of the batch before.
    for (let i = 1; i < a.locators.length; i++) assert.equal(a.locators[i]?.[0], blocks[BATCH * i - 1]?.currentHash);
  });

  it('a heartbeat to a neighbour that is not ahead carries its last tip: it sends only what is new', async () => {
    const server = await chainWith(blocks.slice(0, 300));
    const me = await chainWith(blocks.slice(0, 310));
    const a = fakeNeighbour('10.0.0.1:6000', server);
    const { sync } = synchronizer(me, () => [a.n]);
    // First contact: the locator's gaps (310, 309, 308, 306, 302, 294, ...) make it send 295-300, which this peer has.
    await sync.syncFrom(a.n);
    assert.equal(a.total(), 6);
    assert.equal(a.n.tip, server.tip.hash);
    // From then on its tip leads the locator at its height: nothing is sent twice.
    for (let i = 0; i < 3; i++) await sync.syncFrom(a.n);
    assert.ok(a.locators[1]?.includes(server.tip.hash));
    assert.equal(a.total(), 6);
  });

  it('one download at a time: a second neighbour on the same chain sends nothing twice meanwhile', async () => {
    const server = await chainWith(blocks);
    const me = await ChainState.open({ params: NET });
    const a = fakeNeighbour('10.0.0.1:6000', server);
    const b = fakeNeighbour('10.0.0.2:6000', server);
    for (const x of [a, b]) [x.n.tip, x.n.height] = [server.tip.hash, server.height]; // both answered before
    const { sync } = synchronizer(me, () => [a.n, b.n]);
    const first = sync.syncFrom(a.n);
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, sync.syncFrom(b.n), sync.syncFrom(b.n)]);
    assert.equal(me.tip.hash, server.tip.hash);
    assert.equal(a.total(), 620);
    assert.equal(b.total(), 0, 'b was asked from the download tip on');
  });

  it('a neighbour that claims more than it sends is left; the next one ahead takes over', async () => {
    const server = await chainWith(blocks.slice(0, 200));
    const me = await ChainState.open({ params: NET });
    const liar = fakeNeighbour('10.0.0.1:6000', server, async () => ({ height: 10_000, hash: 'ab'.repeat(32), blocks: [], pool: [] }));
    const honest = fakeNeighbour('10.0.0.2:6000', server);
    [honest.n.tip, honest.n.height] = [server.tip.hash, server.height];
    const { sync } = synchronizer(me, () => [liar.n, honest.n]);
    await sync.syncFrom(liar.n);
    assert.equal(liar.n.stalledTip, 'ab'.repeat(32));
    assert.ok(liar.locators.length <= 2, 'asked at most once more, from this peer own chain');
    await sync.settled();
    assert.equal(me.tip.hash, server.tip.hash, 'the honest neighbour was downloaded from next');
  });

  it('a download that brings nothing for STALL_MS gives way to another neighbour ahead', async () => {
    const server = await chainWith(blocks.slice(0, 100));
    const me = await ChainState.open({ params: NET });
    const clock = { now: 0 };
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let calls = 0;
    const slow = fakeNeighbour('10.0.0.1:6000', server, async () => {
      // One batch, then nothing: the next reply hangs until released.
      if (++calls > 1) await held;
      return { height: server.height, hash: server.tip.hash, blocks: calls > 1 ? [] : await server.blocksFrom(2, 10), pool: [] };
    });
    const other = fakeNeighbour('10.0.0.2:6000', server);
    [other.n.tip, other.n.height] = [server.tip.hash, server.height];
    const { sync } = synchronizer(me, () => [slow.n, other.n], clock);
    const stuck = sync.syncFrom(slow.n);
    while (me.height < 11) await new Promise((r) => setImmediate(r));
    assert.equal(sync.downloading, slow.n);
    await sync.syncFrom(other.n);
    assert.equal(me.height, 11, 'the download is the slow one while it is not stalled: the other sends nothing');
    assert.equal(other.total(), 0);
    clock.now += STALL_MS + 1;
    await sync.syncFrom(other.n);
    assert.equal(me.tip.hash, server.tip.hash, 'taken over after STALL_MS');
    release();
    await stuck;
  });
});
