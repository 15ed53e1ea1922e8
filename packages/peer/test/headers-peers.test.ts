import assert from 'node:assert/strict';
import type { Block } from '@chain/core';
import type { Transport } from '@chain/net';
import { ProtocolError, type GbReply, type GhReply, type HiReply } from '@chain/protocol';
import { until } from '@chain/testkit';
import type { Peer } from '@chain/peer';
import { addr, startPeer, stoppedAfterEach, NET } from './helpers';
import { MemoryNetwork } from './memory-transport';
import { chainOn } from './forks';
import { badProofOn, headersOf } from './headers-fixtures';

const REMOTE = { kind: 'remote' } as const;

/** What one peer's server was asked for and sent by `gb`; `hang` makes its `gb` never answer. */
interface Counter {
  gb: number;
  blocks: number;
  hang: boolean;
}

/** The network's transport for one peer, counting what its server sends in `gb` replies. */
function counting(net: MemoryNetwork, counter: Counter): Transport {
  return {
    ...net.transport,
    createServer: (o) => {
      const server = net.transport.createServer(o);
      const handle = server.handle.bind(server) as (op: string, h: (req: unknown, rc: unknown) => Promise<unknown>) => unknown;
      (server as { handle: unknown }).handle = (op: string, h: (req: unknown, rc: unknown) => Promise<unknown>) =>
        handle(op, async (req, rc) => {
          if (op !== 'gb') return h(req, rc);
          counter.gb++;
          // Never answered while the connection lasts (the server ends it on stop).
          if (counter.hang)
            return new Promise((_, reject) =>
              (rc as { signal: AbortSignal }).signal.addEventListener('abort', () => reject(new Error('closed'))),
            );
          const reply = (await h(req, rc)) as GbReply;
          counter.blocks += reply.blocks.length;
          return reply;
        });
      return server;
    },
  };
}

describe('peer: headers-first sync between 1.2 peers', function () {
  this.timeout(120_000);
  const peers = stoppedAfterEach();
  const options = (transport: Transport) => ({ transport, heartbeatMs: 100, dialIntervalMs: 0 });

  async function holding(net: MemoryNetwork, blocks: readonly Block[], counter: Counter): Promise<Peer> {
    const p = await startPeer(options(counting(net, counter)));
    peers.push(p);
    assert.ok((await p.acceptBlocks(blocks, REMOTE)).every((r) => r.ok));
    return p;
  }

  it('a fresh peer behind three neighbours fetches each block once, from more than one of them, with no hb', async () => {
    const net = new MemoryNetwork();
    const blocks = chainOn(NET, null, 3000, () => 5);
    const counters = [0, 1, 2].map(() => ({ gb: 0, blocks: 0, hang: false }));
    const sources = [];
    for (const c of counters) sources.push(await holding(net, blocks, c));
    const fresh = await startPeer(options(net.transport));
    peers.push(fresh);
    for (const p of sources) fresh.neighbours.configure(addr(p));
    await until(() => fresh.chain.height === blocks.length + 1, 'synced', 60_000);
    const served = counters.map((c) => c.blocks);
    assert.equal(
      served.reduce((a, b) => a + b, 0),
      blocks.length,
      `each block once (${served.join(', ')})`,
    );
    assert.ok(served.filter((s) => s > 0).length >= 2, `from more than one neighbour (${served.join(', ')})`);
    assert.equal(net.sent.filter((s) => s.op === 'hb').length, 0, 'heartbeats between 1.2 peers are hi');
    assert.ok(net.sent.some((s) => s.op === 'hi'));
  });

  it('a neighbour that stops answering gb loses its ranges to another, long before its requests time out', async () => {
    const net = new MemoryNetwork();
    const blocks = chainOn(NET, null, 2000, () => 5);
    const hung = { gb: 0, blocks: 0, hang: true };
    const honest = { gb: 0, blocks: 0, hang: false };
    const stuck = await holding(net, blocks, hung);
    const good = await holding(net, blocks, honest);
    const fresh = await startPeer(options(net.transport));
    peers.push(fresh);
    fresh.neighbours.configure(addr(stuck));
    await until(() => hung.gb > 0, 'the first neighbour asked for bodies', 10_000);
    const t0 = Date.now();
    fresh.neighbours.configure(addr(good));
    await until(() => fresh.chain.height === blocks.length + 1, 'synced', 14_000);
    assert.ok(Date.now() - t0 < 14_000, 'within the request timeout (15 s)');
    assert.equal(hung.blocks, 0);
    assert.equal(honest.blocks, blocks.length, 'every block once, from the neighbour that answers');
  });

  it('a header chain with a bad proof in the middle is refused and its sender distrusted; the honest chain is adopted', async () => {
    const net = new MemoryNetwork();
    const honestBlocks = chainOn(NET, null, 300);
    const honest = await holding(net, honestBlocks, { gb: 0, blocks: 0, hang: false });
    // A liar higher than the honest chain: its first 100 blocks, a block whose proof fails, 400 more on it.
    const bad = badProofOn(honestBlocks[99] as Block);
    const forged = [...honestBlocks.slice(0, 100), bad, ...chainOn(NET, bad, 400)];
    const liarAsked: string[] = [];
    const liar = net.transport.createServer({ maxFrame: 16 * 1024 * 1024 });
    const liarHeaders = headersOf(forged);
    const height = forged.length + 1;
    liar.handle('vs', async () => ({ version: '1.2' }));
    liar.handle('hi', async (): Promise<HiReply> => ({ height, hash: (forged[forged.length - 1] as Block).currentHash, pool: [] }));
    liar.handle('gh', async (req): Promise<GhReply> => {
      liarAsked.push('gh');
      const at = req.locator.map((h) => forged.findIndex((b) => b.currentHash === h)).find((i) => i >= 0) ?? -1;
      return { height, headers: liarHeaders.slice(at + 1, at + 1 + req.limit) };
    });
    liar.handle('gb', async (req): Promise<GbReply> => {
      liarAsked.push('gb');
      return { blocks: forged.filter((b) => req.hashes.includes(b.currentHash)) };
    });
    liar.handle('hb', async () => {
      throw new ProtocolError('unknown-opcode', 'a 1.2 liar');
    });
    const liarAddress = `127.0.0.1:${(await liar.listen(0, '127.0.0.1')).port}`;
    const fresh = await startPeer(options(net.transport));
    peers.push(fresh);
    let distrusted = false;
    fresh.on('peer', (e) => (distrusted ||= e.address === liarAddress && e.state === 'distrusted'));
    fresh.neighbours.configure(liarAddress);
    fresh.neighbours.configure(addr(honest));
    await until(() => distrusted, 'the liar distrusted', 30_000);
    await until(() => fresh.chain.tip.hash === honest.chain.tip.hash, 'on the honest chain', 30_000);
    assert.equal(fresh.chain.meta(bad.currentHash), undefined);
    assert.ok(liarAsked.includes('gh'));
    await liar.close();
  });
});
