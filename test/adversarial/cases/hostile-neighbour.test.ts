import assert from 'node:assert/strict';
import {
  blockHash,
  checkProof,
  templateHash,
  txId,
  txLeaf,
  txRootOfLeaves,
  type Block,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { request } from '@chain/net';
import type { HbReply } from '@chain/protocol';
import { killAll, mineAt, rawFrame, until } from '@chain/testkit';
import { FakePeer } from '../lib/fake-peer';
import {
  CLASSIC,
  RawConn,
  SIGNED,
  assertServed,
  chainOf,
  classicTx,
  genesisOf,
  makeBlock,
  makeChain,
  servedDuring,
  signedTx,
  snapshot,
  startPeer,
  withBadPow,
  type PeerProcess,
} from '../lib/harness';

const G = genesisOf(SIGNED);
const GH = G.currentHash;

function hbReply(blocks: readonly Block[], pool: readonly Transaction[] = []): HbReply {
  const tip = blocks[blocks.length - 1] ?? G;
  return { height: tip.index, hash: tip.currentHash, blocks, pool };
}

/** A chain after `parent` whose block number `badAt` (0-based) fails its proof of work, with valid-looking blocks built on it. */
function chainWithBadBlock(params: NetworkParams, parent: Block, n: number, badAt: number): Block[] {
  const out: Block[] = [];
  let p = parent;
  for (let i = 0; i < n; i++) {
    let b = makeBlock(params, p, [params.txFormat === 'signed' ? signedTx(params, `fake ${i}`) : classicTx(`fake ${i}`)]);
    if (i === badAt) b = withBadPow(params, p, b);
    out.push(b);
    p = b;
  }
  return out;
}

/** The same block with one transaction's content changed and the proof and hash kept. */
function tamperTx(params: NetworkParams, block: Block, content = 'tampered'): Block {
  const [first, ...rest] = block.transactions as Transaction[];
  return { ...block, transactions: [{ ...(first as Transaction), content }, ...rest] };
}

/** Whether a block's proof still meets the difficulty for the contents it now holds. */
function proofHolds(params: NetworkParams, block: Block, previousProof: number): boolean {
  const genesis = genesisOf(params).currentHash;
  const root = txRootOfLeaves((block.transactions as Transaction[]).map((t) => txLeaf(params.txFormat, txId(genesis, t), t)));
  const tHash = templateHash(block.index, block.timestamp, block.previousHash, root);
  return checkProof({ rule: params.pow, templateHash: tHash, previousProof, difficulty: params.difficulty }, block.proof);
}

/**
 * The first variant whose new contents break the old proof. Under `bound` most do (15 in 16 at
 * difficulty 1); a rare one that still meets the difficulty by chance would be a valid block.
 */
function breakingProof(params: NetworkParams, previousProof: number, variant: (i: number) => Block): Block {
  for (let i = 0; i < 64; i++) {
    const b = variant(i);
    if (!proofHolds(params, b, previousProof)) return b;
  }
  throw new Error('no variant broke the proof');
}

/** The same block with one transaction changed and the hash recomputed, keeping the old proof. */
function rewrite(params: NetworkParams, block: Block, txs: readonly Transaction[]): Block {
  const genesis = genesisOf(params).currentHash;
  const root = txRootOfLeaves(txs.map((t) => txLeaf(params.txFormat, txId(genesis, t), t)));
  return { ...block, transactions: txs, currentHash: blockHash(block.index, block.timestamp, block.previousHash, root, block.proof) };
}

async function ownChain(port: number, params: NetworkParams, blocks: number): Promise<void> {
  for (let i = 0; i < blocks; i++) {
    const tx = params.txFormat === 'signed' ? signedTx(params, `own ${i}`) : classicTx(`own ${i}`);
    assert.equal((await request('127.0.0.1', port, 'tx', tx)).status, 'Accepted');
    await until(async () => (await request('127.0.0.1', port, 'gp')).templateHash !== null, 'template');
    await mineAt(port);
  }
}

describe('hostile neighbour: a fake peer that lies in hb and nb', function () {
  const fakes: FakePeer[] = [];
  afterEach(async () => {
    await killAll();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  async function fakePeer(hb: FakePeer['hb']): Promise<FakePeer> {
    const f = await FakePeer.start(hb);
    fakes.push(f);
    return f;
  }

  it('a longer chain with an invalid block deep inside: not adopted, the neighbour is dropped and stays away', async () => {
    const fake = await fakePeer(() => hbReply([]));
    const peer = await startPeer({ network: SIGNED, neighbours: [fake.address] });
    await ownChain(peer.port, SIGNED, 5); // height 6
    const before = await snapshot(peer.port, SIGNED);
    // 12 blocks; the 4th (height 5) fails its proof of work, the 8 after it are built on it.
    fake.hb = () => hbReply(chainWithBadBlock(SIGNED, G, 12, 3));
    const { worst } = await servedDuring(
      peer.port,
      (async () => {
        await peer.waitFor(new RegExp(`"type":"peer","address":"${fake.address}","state":"distrusted"`));
        await fake.when(() => fake.open === 0, 'the peer closes its connection to the fake');
      })(),
    );
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
    assert.match(peer.stderr, /disconnected neighbour 127\.0\.0\.1:\d+: sent invalid block \w+: bad-pow/);
    const opened = fake.opened;
    await new Promise((r) => setTimeout(r, 1500)); // seven heartbeats: none goes to the distrusted fake
    assert.equal(fake.opened, opened, 'no reconnection to a distrusted neighbour');
    const after = await snapshot(peer.port, SIGNED);
    assert.deepEqual(after, before, 'tip and pool unchanged');
    assert.equal(after.height, 6);
  });

  it('a valid longer chain: adopted, and the pool is fixed up (mined ones leave, abandoned ones return)', async () => {
    const fake = await fakePeer(() => hbReply([]));
    const peer = await startPeer({ network: SIGNED, neighbours: [fake.address] });
    await fake.when(() => fake.heartbeats > 0, 'first heartbeat');
    await ownChain(peer.port, SIGNED, 2); // blocks holding own 0 and own 1
    const own = (await chainOf(peer.port)).slice(1).flatMap((b) => b.transactions.map((t) => txId(GH, t)));
    const a = signedTx(SIGNED, 'pool A, mined by the fake');
    const b = signedTx(SIGNED, 'pool B, stays');
    for (const t of [a, b]) assert.equal((await request('127.0.0.1', peer.port, 'tx', t)).status, 'Accepted');
    const longer = makeChain(SIGNED, G, 4, (i) => (i === 0 ? [a] : [signedTx(SIGNED, `fake ${i}`)]));
    fake.hb = () => hbReply(longer);
    // Blocks 2 and 3 go to a side branch, block 4 switches (3 connected, 2 disconnected, their 2 transactions returned), 5 extends.
    await peer.waitFor(/"type":"reorg","connected":3,"disconnected":2,"returnedToPool":2/);
    await peer.waitFor(/"index":5,"hash":"\w+","status":"extended"/);
    const after = await snapshot(peer.port, SIGNED);
    assert.equal(after.height, 5);
    assert.equal(after.hash, longer[3]!.currentHash);
    assert.deepEqual(after.pool, [txId(GH, b), ...own].sort(), 'B stays, A left, the abandoned blocks returned theirs');
    assert.doesNotMatch(peer.stdout, /"state":"distrusted"/);
    await assertServed(peer.port);
  });

  it('gaps and reordered blocks: nothing adopted, nobody distrusted; the same chain in order is adopted', async () => {
    const fake = await fakePeer(() => hbReply([]));
    const peer = await startPeer({ network: SIGNED, neighbours: [fake.address] });
    await ownChain(peer.port, SIGNED, 2); // height 3
    const before = await snapshot(peer.port, SIGNED);
    const longer = makeChain(SIGNED, G, 8); // height 9
    const reordered = [longer[1]!, longer[0]!, ...longer.slice(2)];
    const gap = [...longer.slice(0, 2), ...longer.slice(3)];
    for (const blocks of [reordered, gap, [...longer].reverse()]) {
      const start = fake.heartbeats;
      fake.hb = () => hbReply(blocks);
      await fake.when(() => fake.heartbeats >= start + 3, 'three heartbeats');
      assert.deepEqual(await snapshot(peer.port, SIGNED), before);
    }
    assert.doesNotMatch(peer.stdout, /"state":"distrusted"/);
    fake.hb = () => hbReply(longer);
    await until(async () => (await snapshot(peer.port, SIGNED)).height === 9, 'the ordered chain is adopted');
    assert.equal((await snapshot(peer.port, SIGNED)).hash, longer[7]!.currentHash);
  });

  it('a longer chain from another genesis: never adopted', async () => {
    const other: NetworkParams = { ...SIGNED, name: 'adv-elsewhere' };
    const foreign = makeChain(other, genesisOf(other), 10, (i) => [signedTx(other, `elsewhere ${i}`)]);
    const fake = await fakePeer(() => hbReply(foreign));
    const peer = await startPeer({ network: SIGNED, neighbours: [fake.address] });
    await ownChain(peer.port, SIGNED, 1);
    const before = await snapshot(peer.port, SIGNED);
    const start = fake.heartbeats;
    await servedDuring(
      peer.port,
      fake.when(() => fake.heartbeats >= start + 5, 'five heartbeats'),
    );
    assert.deepEqual(await snapshot(peer.port, SIGNED), before);
    assert.equal(before.height, 2);
  });

  describe('announcements (nb) from a neighbour', () => {
    let peer: PeerProcess;
    /** Identify as a neighbour (hb with listen), then announce `block`; returns the nb reply and the connection. */
    async function announce(block: unknown): Promise<{ reply: { status: string; reason?: string }; conn: RawConn; fake: FakePeer }> {
      const fake = await fakePeer(() => hbReply([]));
      const conn = await RawConn.open(peer.port);
      conn.write(rawFrame('hb', JSON.stringify({ genesis: GH, locator: [GH], listen: fake.address })));
      assert.equal((await conn.frame(0)).op, 'hb');
      await fake.when(() => fake.open > 0, 'the peer connects to its new neighbour');
      // Only a verified neighbour's claim is believed: wait until the fake has answered the peer's hb.
      await peer.waitFor(new RegExp(`"address":"${fake.address}","state":"ready"`));
      conn.write(rawFrame('nb', JSON.stringify({ block })));
      const reply = await conn.frame(1);
      assert.equal(reply.op, 'nb');
      return { reply: reply.payload as { status: string; reason?: string }, conn, fake };
    }

    beforeEach(async () => {
      peer = await startPeer({ network: SIGNED });
      await ownChain(peer.port, SIGNED, 1);
    });

    async function rejectedAndDropped(block: Block, reason: string): Promise<void> {
      const before = await snapshot(peer.port, SIGNED);
      const { result, worst } = await servedDuring(
        peer.port,
        (async () => {
          const r = await announce(block);
          await r.conn.waitClosed();
          await r.fake.when(() => r.fake.open === 0, 'the peer drops its connection to the announcer');
          return r;
        })(),
      );
      assert.deepEqual(result.reply, { status: 'Rejected', reason });
      assert.match(peer.stdout, new RegExp(`"address":"${result.fake.address}","state":"distrusted"`));
      assert.deepEqual(await snapshot(peer.port, SIGNED), before);
      assert.ok(worst < 1000, `honest client waited ${worst} ms`);
      // Remembered as invalid: an anonymous sender of the same block gets the same answer at once.
      const again = await RawConn.open(peer.port);
      again.write(rawFrame('nb', JSON.stringify({ block })));
      assert.deepEqual((await again.frame(0)).payload, { status: 'Rejected', reason });
      await again.waitClosed();
    }

    async function tip(): Promise<Block> {
      const chain = await chainOf(peer.port);
      return chain[chain.length - 1]!;
    }

    it('bad proof of work: Rejected bad-pow, announcer dropped', async () => {
      const parent = await tip();
      await rejectedAndDropped(withBadPow(SIGNED, parent, makeBlock(SIGNED, parent, [signedTx(SIGNED, 'x')])), 'bad-pow');
    });

    it('bad hash: Rejected bad-hash, announcer dropped', async () => {
      const parent = await tip();
      const b = makeBlock(SIGNED, parent, [signedTx(SIGNED, 'x')]);
      await rejectedAndDropped({ ...b, currentHash: 'ab'.repeat(32) }, 'bad-hash');
    });

    it('a tampered transaction under the bound rule, hash kept: Rejected bad-hash (a block is its contents)', async () => {
      const parent = await tip();
      const b = makeBlock(SIGNED, parent, [signedTx(SIGNED, 'original')]);
      await rejectedAndDropped(tamperTx(SIGNED, b), 'bad-hash');
    });

    it('a swapped signature under the bound rule, hash kept: Rejected bad-hash', async () => {
      const parent = await tip();
      const b = makeBlock(SIGNED, parent, [signedTx(SIGNED, 'signed once')]);
      const other = signedTx(
        SIGNED,
        'signed once',
        (b.transactions[0] as Transaction).timestamp,
        new Uint8Array(32).fill(3),
      ) as Transaction & { signature: string };
      await rejectedAndDropped({ ...b, transactions: [{ ...(b.transactions[0] as Transaction), signature: other.signature }] }, 'bad-hash');
    });

    it('a tampered transaction with the hash recomputed under the bound rule: Rejected bad-pow (the proof commits to the contents)', async () => {
      const parent = await tip();
      const b = makeBlock(SIGNED, parent, [signedTx(SIGNED, 'original')]);
      const forge = (i: number) => rewrite(SIGNED, b, [signedTx(SIGNED, `tampered ${i}`, (b.transactions[0] as Transaction).timestamp)]);
      await rejectedAndDropped(breakingProof(SIGNED, parent.proof, forge), 'bad-pow');
    });

    it('a block with a forged signature and a matching proof: Rejected bad-transactions', async () => {
      const parent = await tip();
      const t = signedTx(SIGNED, 'forged') as Transaction & { signature: string };
      const forged = { ...t, signature: `${t.signature.slice(0, 126)}${t.signature.endsWith('00') ? '01' : '00'}` };
      await rejectedAndDropped(makeBlock(SIGNED, parent, [forged]), 'bad-transactions');
    });

    it('a timestamp 10 minutes ahead: Rejected future, not distrusted, the connection stays', async () => {
      const parent = await tip();
      const future = makeBlock(SIGNED, parent, [signedTx(SIGNED, 'from the future', Date.now())], Date.now() + 600_000);
      const before = await snapshot(peer.port, SIGNED);
      const { reply, conn, fake } = await announce(future);
      assert.deepEqual(reply, { status: 'Rejected', reason: 'future' });
      await conn.assertOpen();
      assert.ok(fake.open > 0);
      assert.doesNotMatch(peer.stdout, /"state":"distrusted"/);
      assert.deepEqual(await snapshot(peer.port, SIGNED), before);
      conn.destroy();
    });
  });

  it('a tampered transaction under the seed rule (hash kept): Rejected bad-hash', async () => {
    const peer = await startPeer({ network: CLASSIC });
    await ownChain(peer.port, CLASSIC, 1);
    const chain = await chainOf(peer.port);
    const block = makeBlock(CLASSIC, chain[1]!, [classicTx('original')]);
    const before = await snapshot(peer.port, CLASSIC);
    const reply = await request('127.0.0.1', peer.port, 'nb', { block: tamperTx(CLASSIC, block) });
    assert.deepEqual(reply, { status: 'Rejected', reason: 'bad-hash' });
    assert.deepEqual(await snapshot(peer.port, CLASSIC), before);
  });

  describe('why the bound rule: a proof reused on other contents', () => {
    for (const params of [CLASSIC, SIGNED]) {
      it(`${params.pow}: ${params.pow === 'seed' ? 'the rewritten block is valid (history rewritten for free)' : 'the rewritten block is bad-pow'}`, async () => {
        const peer = await startPeer({ network: params });
        await ownChain(peer.port, params, 1);
        const mined = (await chainOf(peer.port))[1]!;
        const at = mined.timestamp - 1;
        const parentProof = (await chainOf(peer.port))[0]!.proof;
        const forge = (i: number) =>
          rewrite(params, mined, [
            params.txFormat === 'signed' ? signedTx(params, `rewritten history ${i}`, at) : classicTx(`rewritten history ${i}`, at),
          ]);
        // Under seed any rewrite keeps the proof; under bound, one whose contents break it (nearly all do).
        const forged = params.pow === 'seed' ? forge(0) : breakingProof(params, parentProof, forge);
        if (params.pow === 'seed') assert.ok(proofHolds(params, forged, parentProof));
        const reply = await request('127.0.0.1', peer.port, 'nb', { block: forged });
        if (params.pow === 'seed') assert.deepEqual(reply, { status: 'Accepted' });
        else assert.deepEqual(reply, { status: 'Rejected', reason: 'bad-pow' });
        // At equal height the first chain seen stays either way.
        assert.equal((await snapshot(peer.port, params)).hash, mined.currentHash);
      });
    }
  });
});
