import assert from 'node:assert/strict';
import { txId, type SignedTransaction } from '@chain/core';
import type { Transport } from '@chain/net';
import { EASY_SIGNED, until } from '@chain/testkit';
import type { Peer, PeerOptions } from '@chain/peer';
import { addr, mineOnce, startPeer, stoppedAfterEach } from './helpers';
import { MemoryNetwork } from './memory-transport';
import { signedTxs } from './compact-fixtures';

/** Bytes of a frame carrying `payload` (length, opcode, JSON). */
const frameBytes = (payload: unknown) => 6 + (payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(payload)));

/** A peer's transport that counts the bytes of every frame the peer receives: requests to its server, replies to its client. */
function counted(inner: Transport) {
  let bytes = 0;
  const ops = new Map<string, number>();
  const add = (op: string, payload: unknown) => {
    bytes += frameBytes(payload);
    ops.set(op, (ops.get(op) ?? 0) + 1);
  };
  const transport: Transport = {
    name: 'counted',
    createServer: (o) => {
      const s = inner.createServer(o) as any;
      const handle = s.handle.bind(s);
      s.handle = (op: string, h: (p: unknown, rc: unknown) => unknown) =>
        handle(op, (p: unknown, rc: unknown) => {
          add(op, p);
          return h(p, rc);
        });
      return s;
    },
    createClient: (o) => {
      const c = inner.createClient(o) as any;
      const request = c.request.bind(c);
      c.request = async (op: string, p: unknown, ro: unknown) => {
        const reply = await request(op, p, ro);
        add(`${op} reply`, reply);
        return reply;
      };
      return c;
    },
  };
  return {
    transport,
    bytes: () => bytes,
    count: (op: string) => ops.get(op) ?? 0,
    reset: () => {
      bytes = 0;
      ops.clear();
    },
  };
}

/** Each of `peers` has an open 1.2 (or 1.1) link to each of the others' addresses given, with no sync running. */
async function linked(pairs: [Peer, Peer, string][]): Promise<void> {
  await until(
    () =>
      pairs.every(([p, q, version]) => {
        const n = p.neighbours.get(addr(q));
        return n?.state === 'open' && n.version === version && n.syncing === null && n.tip !== null;
      }),
    'every link open, its version agreed and its first sync over',
    10_000,
  );
}

const OPTIONS: PeerOptions = { network: EASY_SIGNED, heartbeatMs: 600_000, dialIntervalMs: 0, minerGraceMs: 0, verifyThreads: 0 };

describe('compact blocks between peers', function () {
  this.timeout(60_000);
  const peers = stoppedAfterEach();

  it('a block of 500 signed transactions already in the pools costs each receiver under 25 KB', async () => {
    const net = new MemoryNetwork();
    const [ca, cb, cc] = [counted(net.transport), counted(net.transport), counted(net.transport)];
    const a = await startPeer({ ...OPTIONS, transport: ca.transport });
    const b = await startPeer({ ...OPTIONS, transport: cb.transport });
    const c = await startPeer({ ...OPTIONS, transport: cc.transport });
    peers.push(a, b, c);
    const txs = signedTxs(a.chain.genesisHash, 500, Date.now() - 1000);
    for (const p of [a, b, c]) for (const r of await Promise.all(txs.map((t) => p.submitTransaction(t)))) assert.ok(r.ok);
    b.neighbours.configure(addr(a));
    c.neighbours.configure(addr(a));
    c.neighbours.configure(addr(b));
    await linked([
      [a, b, '1.2'],
      [a, c, '1.2'],
      [b, a, '1.2'],
      [b, c, '1.2'],
      [c, a, '1.2'],
      [c, b, '1.2'],
    ]);
    for (const k of [ca, cb, cc]) k.reset();

    await mineOnce(a);
    const block = (await a.chain.blockAt(2)) as NonNullable<Awaited<ReturnType<typeof a.chain.blockAt>>>;
    assert.equal(block.transactions.length, 500);
    await until(() => b.chain.tip.hash === block.currentHash && c.chain.tip.hash === block.currentHash, 'the block at b and c', 10_000);
    // Each peer announces its new tip to every neighbour but the one it came from: a to b and c, b and c one each.
    await until(() => ca.count('cb reply') + cb.count('cb reply') + cc.count('cb reply') === 4, 'every cb answered', 5000);
    const full = frameBytes({ block });
    for (const [name, k] of [
      ['b', cb],
      ['c', cc],
    ] as const) {
      assert.ok(k.bytes() <= 25_000, `${name} received ${k.bytes()} bytes; the block by nb is ${full}`);
      assert.equal(k.count('nb') + k.count('bt'), 0, `${name} was sent neither the block nor transactions`);
    }
    assert.ok(full > 100_000, `the whole block is ${full} bytes`);
  });

  it('a mixed network: 1.2 peers exchange compact blocks, the 1.1-only peer gets every block by nb', async () => {
    const net = new MemoryNetwork();
    const options = { ...OPTIONS, transport: net.transport };
    const a = await startPeer(options);
    const b = await startPeer({ ...options, neighbours: [addr(a)] });
    const old = await startPeer({ ...options, protocol: '1.1', neighbours: [addr(a)] });
    peers.push(a, b, old);
    await linked([
      [a, b, '1.2'],
      [b, a, '1.2'],
      [a, old, '1.1'],
      [old, a, '1.1'],
    ]);
    const sent = () => net.sent.filter((s) => ['cb', 'bt', 'nb'].includes(s.op)).map((s) => `${s.op}>${s.to}`);
    for (const [miner, content] of [
      [a, 'at a'],
      [b, 'at b'],
      [old, 'at the old one'],
    ] as const) {
      const [t] = signedTxs(a.chain.genesisHash, 1, Date.now() - 1000);
      assert.ok((await miner.submitTransaction(t)).ok);
      // Relayed everywhere first: a block of transactions a neighbour is not known to hold goes whole.
      const id = txId(a.chain.genesisHash, t as SignedTransaction);
      await until(() => [a, b, old].every((p) => p.chain.pool.has(id)), `the transaction ${content} in every pool`, 10_000);
      await mineOnce(miner);
      await until(
        () => [a, b, old].every((p) => p.chain.tip.hash === miner.chain.tip.hash),
        `the block mined ${content} everywhere`,
        10_000,
      );
    }
    assert.equal(old.chain.height, 4);
    const log = sent();
    assert.ok(!log.some((s) => s.startsWith('cb>') && s.endsWith(addr(old))), 'no cb to the 1.1 peer');
    assert.ok(log.filter((s) => s === `nb>${addr(old)}`).length >= 2, 'the blocks mined at a and b reached it by nb');
    assert.ok(log.includes(`nb>${addr(a)}`), 'its own block reached a by nb');
    assert.ok(!log.some((s) => s.startsWith('nb>') && s.endsWith(addr(b))), 'no nb to b: only cb');
    assert.ok(log.filter((s) => s === `cb>${addr(b)}`).length >= 2, 'the blocks mined at a and at the old peer reached b by cb');
  });

  it('a block of a transaction just submitted at a reaches b by one frame, nb, before a announced it', async () => {
    // Every flush gap 0.69 × 60 s: the transaction waits in a's queue for b while the block goes.
    const { a, b, net } = await pair(0, { announceMs: 60_000, random: () => 0.5 });
    const [t] = signedTxs(a.chain.genesisHash, 1, Date.now() - 1000);
    assert.ok((await a.submitTransaction(t)).ok);
    const before = net.sent.length;
    await mineOnce(a);
    await until(() => b.chain.tip.hash === a.chain.tip.hash, 'the block at b', 10_000);
    assert.deepEqual(blockOps(net, before, addr(b)), ['nb'], 'not cb, Missing and bt');
    assert.equal(b.chain.txHeight(txId(a.chain.genesisHash, t as SignedTransaction)), 2);
    assert.ok(!net.sent.slice(before).some((s) => s.op === 'ia'), 'the announcement had not gone yet');
  });

  it('a block of transactions b announced to a goes to b as cb alone', async () => {
    const { a, b, net } = await pair(0);
    const txs = signedTxs(a.chain.genesisHash, 3, Date.now() - 1000);
    for (const t of txs) assert.ok((await b.submitTransaction(t)).ok);
    await until(() => a.chain.pool.size === 3, 'the transactions fetched by a from b', 10_000);
    const before = net.sent.length;
    await mineOnce(a);
    await until(() => b.chain.tip.hash === a.chain.tip.hash, 'the block at b', 10_000);
    assert.deepEqual(blockOps(net, before, addr(b)), ['cb']);
    assert.equal((await a.chain.blockAt(2))?.transactions.length, 3);
  });

  it('Missing, then bt with the one transaction the receiver lacks', async () => {
    const { a, b, net, txs } = await pair(5);
    const lacking = txId(a.chain.genesisHash, txs[3] as SignedTransaction);
    assert.ok(b.chain.dropTransaction(lacking));
    const before = net.sent.length;
    await mineOnce(a);
    await until(() => b.chain.tip.hash === a.chain.tip.hash, 'the block at b', 10_000);
    assert.deepEqual(blockOps(net, before, addr(b)), ['cb', 'bt']);
    assert.equal(b.chain.txHeight(lacking), 2);
  });

  it('a pool copy with the same id and another signature: Full, then the whole block by nb', async () => {
    const { a, b, net, txs } = await pair(5);
    const t = txs[2] as SignedTransaction;
    const id = txId(a.chain.genesisHash, t);
    // A second signature of the same transaction (Ed25519 signs deterministically, so one is put in by hand).
    assert.ok(b.chain.pool.delete(id));
    assert.ok(b.chain.pool.add({ id, tx: Object.freeze({ ...t, signature: 'ab'.repeat(64) }) }));
    const before = net.sent.length;
    await mineOnce(a);
    await until(() => b.chain.tip.hash === a.chain.tip.hash, 'the block at b', 10_000);
    assert.deepEqual(blockOps(net, before, addr(b)), ['cb', 'nb']);
    assert.equal(((await b.chain.blockAt(2))?.transactions[2] as SignedTransaction).signature, t.signature);
  });

  /** Two linked 1.2 peers in memory, `n` transactions submitted at a in both pools. */
  async function pair(n: number, options: PeerOptions = {}) {
    const net = new MemoryNetwork();
    const a = await startPeer({ ...OPTIONS, ...options, transport: net.transport });
    const b = await startPeer({ ...OPTIONS, ...options, transport: net.transport, neighbours: [addr(a)] });
    peers.push(a, b);
    await linked([
      [a, b, '1.2'],
      [b, a, '1.2'],
    ]);
    const txs = signedTxs(a.chain.genesisHash, n, Date.now() - 1000);
    for (const t of txs) assert.ok((await a.submitTransaction(t)).ok);
    await until(() => b.chain.pool.size === n, 'the transactions at b', 10_000);
    return { a, b, net, txs };
  }

  /** The block frames sent to `to` since request number `from`. */
  function blockOps(net: MemoryNetwork, from: number, to: string): string[] {
    return net.sent
      .slice(from)
      .filter((s) => s.to === to && ['cb', 'bt', 'nb'].includes(s.op))
      .map((s) => s.op);
  }
});
