import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createGenesis, signTransaction, txId, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import type { Transport, TransportClient } from '@chain/net';
import { EASY_SIGNED, ManualClock } from '@chain/testkit';
import type { Peer, PeerOptions } from '@chain/peer';
import { DEFAULT_FETCH_TIMEOUT_MS } from '../src/announce/timing';
import { PER_ANNOUNCER, STRANGERS } from '../src/announce/fetcher';
import { addr, startPeer, stoppedAfterEach } from './helpers';
import { MemoryNetwork } from './memory-transport';

/** A transaction body as some peer received it: how, and at which peer. */
interface Copy {
  readonly to: string;
  readonly op: 'tx' | 'tb' | 'gt' | 'hb';
  readonly id: string;
}

const GENESIS = createGenesis(EASY_SIGNED).currentHash;
const SEED = new Uint8Array(32).fill(7);
const idOf = (t: Transaction): string => txId(GENESIS, t);
let serial = 0;

/**
 * The memory network's transport for one peer, counting every transaction body that reaches a
 * peer: pushed to it (`tx`, `tb`) or brought back to it (`gt` replies, `hb` reply pools). Each
 * request and each reply takes `latencyMs` of virtual time, so that announcements can cross.
 */
function counting(inner: Transport, owner: () => string, copies: Copy[], clock: ManualClock, latencyMs: number): Transport {
  const wire = () => new Promise<void>((resolve) => clock.setTimeout(resolve, latencyMs));
  return {
    name: inner.name,
    createServer: (o) => inner.createServer(o),
    createClient: (o) => {
      const client = inner.createClient(o);
      const to = `${o.host}:${o.port}`;
      const request = client.request.bind(client) as (op: string, payload?: unknown, options?: unknown) => Promise<any>;
      const count = (at: string, op: Copy['op'], txs: readonly Transaction[]) => {
        for (const t of txs) copies.push({ to: at, op, id: idOf(t) });
      };
      (client as { request: unknown }).request = async (op: string, payload?: any, options?: unknown) => {
        if (op === 'tx') count(to, 'tx', [payload]);
        if (op === 'tb') count(to, 'tb', payload.txs);
        await wire();
        const reply = await request(op, payload, options);
        await wire();
        if (op === 'gt') count(owner(), 'gt', reply.txs);
        if (op === 'hb') count(owner(), 'hb', reply.pool);
        return reply;
      };
      return client;
    },
  };
}

/** Move the virtual clock on until `check` holds. */
async function advanceUntil(clock: ManualClock, check: () => boolean, what: string, maxMs = 60_000): Promise<void> {
  const end = clock.now + maxMs;
  while (!check()) {
    if (clock.now >= end) throw new Error(`not within ${maxMs} virtual ms: ${what}`);
    await clock.advance(5);
  }
}

/** Peers on one memory network and one virtual clock, signed transactions, no miner. */
function world(latencyMs = 0) {
  const clock = new ManualClock(EASY_SIGNED.genesisTime + 86_400_000);
  const net = new MemoryNetwork(clock);
  const copies: Copy[] = [];
  const start = async (o: PeerOptions = {}): Promise<Peer> => {
    let self = '';
    const peer = await startPeer({
      network: EASY_SIGNED,
      transport: counting(net.transport, () => self, copies, clock, latencyMs),
      timers: clock,
      now: () => clock.now,
      verifyThreads: 0,
      dialIntervalMs: 0,
      announceMs: 20,
      ...o,
    });
    self = addr(peer);
    return peer;
  };
  const make = (n: number): Transaction[] =>
    Array.from({ length: n }, () =>
      signTransaction({ genesisHash: GENESIS, secretKey: SEED, content: `n${++serial}`, timestamp: clock.now, ed25519: nodeEd25519 }),
    );
  /** Every peer has every other as an open neighbour with the version expected. */
  const linked = (peers: Peer[], version: (a: Peer, b: Peer) => string = () => '1.2') =>
    advanceUntil(
      clock,
      () =>
        peers.every((a) =>
          peers.every(
            (b) => a === b || (a.neighbours.get(addr(b))?.state === 'open' && a.neighbours.get(addr(b))?.version === version(a, b)),
          ),
        ),
      'every peer linked to every other',
    );
  return { clock, net, copies, start, make, linked };
}

describe('announcements: peers in memory', function () {
  this.timeout(60_000);
  const peers = stoppedAfterEach();

  it('three 1.2 peers: each body reaches each peer once, and no tx frame goes between them', async () => {
    const w = world(5);
    const a = await w.start();
    const b = await w.start({ neighbours: [addr(a)] });
    const c = await w.start({ neighbours: [addr(a), addr(b)] });
    peers.push(a, b, c);
    await w.linked([a, b, c]);
    const all = [a, b, c];
    const txs = w.make(60);
    for (const [i, t] of txs.entries()) {
      const r = await all[i % 3]!.submitTransaction(t);
      assert.ok(r.ok);
      if (i % 10 === 0) await w.clock.advance(7); // some arrive between flushes, some together
    }
    await advanceUntil(w.clock, () => all.every((p) => txs.every((t) => p.chain.pool.has(idOf(t)))), 'every pool holds every transaction');
    await w.clock.advance(2000); // heartbeats and any late announcement or fetch
    for (const p of all) {
      const got = w.copies.filter((x) => x.to === addr(p));
      assert.equal(got.length, 40, `${addr(p)}: one copy of each of the 40 submitted elsewhere, got ${got.length}`);
      assert.equal(new Set(got.map((x) => x.id)).size, 40);
    }
    assert.deepEqual(
      w.copies.filter((x) => x.op !== 'tb').map((x) => x.op),
      [],
      'bodies travel only in tb, asked for',
    );
    assert.equal(w.net.sent.filter((s) => s.op === 'tx').length, 0, 'no tx frame between 1.2 peers');
    assert.ok(w.net.sent.filter((s) => s.op === 'ia').length < 60 * 2, 'ids batched: fewer ia than announcements');
  });

  it('two 1.2 peers and a 1.1-only one in a line (old, a, b): every transaction reaches everyone, tx only on the 1.1 link', async () => {
    const w = world();
    const a = await w.start();
    const b = await w.start({ neighbours: [addr(a)] });
    const old = await w.start({ protocol: '1.1', neighbours: [addr(a)] });
    peers.push(a, b, old);
    await w.linked([a, b]);
    await w.linked([a, old], () => '1.1');
    const all = [a, b, old];
    const txs = w.make(45);
    for (const [i, t] of txs.entries()) {
      assert.ok((await all[i % 3]!.submitTransaction(t)).ok);
      if (i % 5 === 0) await w.clock.advance(3);
    }
    await advanceUntil(w.clock, () => all.every((p) => txs.every((t) => p.chain.pool.has(idOf(t)))), 'every pool holds every transaction');
    await w.clock.advance(1000);
    // What old sent reached b only through a's announcements, and b's reached old only through a's tx.
    const toB = w.copies.filter((x) => x.to === addr(b));
    assert.equal(toB.length, 30, 'b got one copy of each of the 30 from a and old');
    assert.ok(
      toB.every((x) => x.op === 'tb'),
      'announced, then asked for',
    );
    const toOld = w.copies.filter((x) => x.to === addr(old));
    assert.equal(toOld.length, 30, 'old got one copy of each of the 30 from a and b');
    assert.ok(
      toOld.every((x) => x.op === 'tx' || x.op === 'hb'),
      'by 1.1 means only',
    );
    assert.ok(!w.net.sent.some((s) => s.op === 'tx' && s.to !== addr(old) && s.to !== addr(a)), 'no tx to b');
    assert.ok(!w.net.sent.some((s) => s.op === 'ia' && s.to === addr(old)), 'no ia to old');
  });

  describe('hostile announcers (strangers) while an honest neighbour has the transactions', () => {
    async function pair(w: ReturnType<typeof world>) {
      // A heartbeat far away: the transactions reach R only by announcement and fetch.
      const r = await w.start({ heartbeatMs: 600_000 });
      const h = await w.start({ heartbeatMs: 600_000, neighbours: [addr(r)] });
      peers.push(r, h);
      await w.linked([r, h]);
      const arrived = new Map<string, { at: number; from: string }>();
      r.on('tx', (e) => arrived.set(e.id, { at: w.clock.now, from: e.source.kind === 'neighbour' ? e.source.address : e.source.kind }));
      const hostile = (): TransportClient => w.net.transport.createClient({ host: '127.0.0.1', port: r.address.port });
      return { r, h, arrived, hostile };
    }

    it('one that announces and never delivers delays a transaction by the fetch timeout at most; the honest copy is fetched once', async () => {
      const w = world();
      const { r, h, arrived, hostile } = await pair(w);
      const txs = w.make(30);
      const ids = txs.map(idOf);
      const liar = hostile();
      const t0 = w.clock.now;
      const { want } = await liar.request('ia', { ids });
      assert.equal(want.length, 30, 'the first announcer is asked');
      for (const t of txs) assert.ok((await h.submitTransaction(t)).ok);
      await advanceUntil(w.clock, () => ids.every((id) => arrived.has(id)), 'every transaction at R', 3 * DEFAULT_FETCH_TIMEOUT_MS);
      for (const id of ids) {
        const e = arrived.get(id)!;
        assert.equal(e.from, addr(h));
        assert.ok(e.at - t0 <= DEFAULT_FETCH_TIMEOUT_MS + 10, `arrived ${e.at - t0} ms after the liar's announcement`);
        assert.ok(e.at - t0 >= DEFAULT_FETCH_TIMEOUT_MS, 'the one asked had its full time (one announcer at a time)');
      }
      await w.clock.advance(2 * DEFAULT_FETCH_TIMEOUT_MS);
      const atR = w.copies.filter((x) => x.to === addr(r));
      assert.equal(atR.length, 30, 'each body fetched once');
      assert.ok(atR.every((x) => x.op === 'gt'));
      await liar.close();
    });

    it('one that delivers the wrong bodies (bad signatures under the right ids, other transactions) does not keep the right ones out', async () => {
      const w = world();
      const { r, h, arrived, hostile } = await pair(w);
      const [wanted, others] = [w.make(20), w.make(5)];
      const ids = wanted.map(idOf);
      const liar = hostile();
      const t0 = w.clock.now;
      assert.equal((await liar.request('ia', { ids })).want.length, 20);
      for (const t of wanted) assert.ok((await h.submitTransaction(t)).ok);
      await w.clock.advance(200); // h announces meanwhile: R notes it as the next to ask
      const forged = wanted.map((t) => ({ ...t, signature: 'ab'.repeat(64) }));
      const reply = await liar.request('tb', { txs: [...forged, ...others] });
      assert.equal(reply.accepted, 5, 'bodies nobody asked for are admitted on their own merits');
      assert.ok(reply.rejected.every((x) => x.reason === 'bad-signature' && x.index < 20));
      await advanceUntil(w.clock, () => ids.every((id) => arrived.has(id)), 'every transaction at R', DEFAULT_FETCH_TIMEOUT_MS);
      for (const id of ids) {
        assert.equal(arrived.get(id)!.from, addr(h));
        assert.ok(arrived.get(id)!.at - t0 < DEFAULT_FETCH_TIMEOUT_MS, 'a bad copy from the one asked moves on at once');
        assert.equal(
          (r.chain.pool.get(id)?.tx as { signature: string }).signature,
          (wanted[ids.indexOf(id)] as { signature: string }).signature,
          'the genuine one',
        );
      }
      await liar.close();
    });

    it('a flood of announced random ids from many connections gets a bounded want, and honest transactions still come', async () => {
      const w = world();
      const { h, arrived, hostile } = await pair(w);
      const liars = Array.from({ length: 6 }, () => hostile());
      const random = (n: number) => Array.from({ length: n }, () => createHash('sha256').update(`junk ${++serial}`).digest('hex'));
      const honest = w.make(20);
      const wantedPer = liars.map(() => 0);
      for (let round = 0; round < 10; round++) {
        const replies = await Promise.all(liars.map((l) => l.request('ia', { ids: random(1000) })));
        replies.forEach((x, i) => (wantedPer[i]! += x.want.length));
        if (round === 2) for (const t of honest) assert.ok((await h.submitTransaction(t)).ok);
        await w.clock.advance(DEFAULT_FETCH_TIMEOUT_MS / 20);
      }
      // Ten rounds within one fetch timeout: what was asked cannot have been forgotten yet.
      assert.ok(
        wantedPer.every((x) => x <= PER_ANNOUNCER),
        `each connection got at most ${PER_ANNOUNCER} asked: ${wantedPer}`,
      );
      assert.equal(
        wantedPer.reduce((x, y) => x + y, 0),
        STRANGERS,
        'strangers together at most STRANGERS',
      );
      await advanceUntil(w.clock, () => honest.every((t) => arrived.has(idOf(t))), 'the honest transactions at R', 500);
      // Once their deadlines passed, the asks are forgotten: memory does not grow with the flood.
      await w.clock.advance(DEFAULT_FETCH_TIMEOUT_MS);
      const again = await liars[0]!.request('ia', { ids: random(1000) });
      assert.equal(again.want.length, PER_ANNOUNCER, 'the allowance came back');
      await Promise.all(liars.map((l) => l.close()));
    });
  });
});
