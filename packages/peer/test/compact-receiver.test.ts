import assert from 'node:assert/strict';
import {
  ChainState,
  blockHash,
  createTemplate,
  meetsDifficulty,
  metaOf,
  powHash,
  txId,
  type Block,
  type PoolEntry,
  type SignedTransaction,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import type { CbRequest, CompactReply } from '@chain/protocol';
import { EASY_SIGNED, blockOn } from '@chain/testkit';
import { CompactReceiver, type From } from '../src/compact/receiver';
import { factsAfterStored } from '../src/retarget-view';
import { PARTIALS_IN_ALL, PARTIAL_LIFETIME_MS } from '../src/compact/partials';
import { chainOn } from './forks';
import { NET } from './helpers';
import { compactOf, countingShortId, signedTxs } from './compact-fixtures';

const P = EASY_SIGNED;
const NOW = P.genesisTime + 100_000;
const TX_TIME = P.genesisTime + 50_000;
const FROM: From = { connectionId: 1, source: { kind: 'neighbour', address: '127.0.0.1:7001' } };

/** A chain and a receiver on it; the pool the receiver sees can be replaced by entries a test chooses. */
async function harness(params = P) {
  const chain = await ChainState.open({ params, ed25519: nodeEd25519 });
  const counter = countingShortId();
  const clock = { now: NOW };
  const view: { pool: (() => Iterable<PoolEntry>) | null } = { pool: null };
  const receiver = new CompactReceiver({
    params: chain.params,
    genesisHash: chain.genesisHash,
    now: () => clock.now,
    tipIndex: () => chain.tip.index,
    meta: (h) => chain.meta(h),
    retarget: (h) => factsAfterStored(chain, h),
    invalidReason: (h) => chain.invalidReason(h),
    pool: () => (view.pool ? view.pool() : chain.pool.values()),
    accept: (blocks, _source, o) => chain.addBlocks(blocks, clock.now, o),
    shortId: counter.shortId,
  });
  const pooled = (txs: readonly Transaction[]) => {
    for (const t of txs) assert.equal(chain.addTransaction(t, NOW).ok, true);
  };
  const block = (txs: readonly Transaction[], parent: Block = chain.genesis) => blockOn(params, chain.genesisHash, parent, txs, NOW);
  const cb = (b: Block, shortId?: (h: string, id: string) => string): CbRequest => compactOf(params, chain.genesisHash, b, shortId);
  const reply = async (p: Promise<{ reply: CompactReply }>) => (await p).reply;
  return { chain, receiver, counter, clock, view, pooled, block, cb, reply, g: chain.genesisHash };
}

describe('compact blocks: the receiver', () => {
  it('rebuilds a block whose transactions are all in the pool: Accepted, nothing kept', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 5, TX_TIME);
    h.pooled(txs);
    const b = h.block(txs);
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Accepted' });
    assert.equal(h.chain.tip.hash, b.currentHash);
    assert.equal(h.chain.pool.size, 0);
    assert.equal(h.receiver.partials.size, 0);
  });

  it('with transactions missing: Missing at their places, then bt completes the block', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 6, TX_TIME);
    h.pooled([txs[0], txs[2], txs[4]] as Transaction[]);
    const b = h.block(txs);
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Missing', missing: [1, 3, 5] });
    assert.equal(h.chain.tip.index, 1, 'nothing added yet');
    const bt = { hash: b.currentHash, txs: [txs[1], txs[3], txs[5]] as Transaction[] };
    assert.deepEqual(await h.reply(h.receiver.missing(bt, FROM)), { status: 'Accepted' });
    assert.equal(h.chain.tip.hash, b.currentHash);
    assert.equal(h.receiver.partials.size, 0);
  });

  it('a pool copy with the same id and another signature: Full, and nothing judged or remembered', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 3, TX_TIME);
    const b = h.block(txs);
    const other = { ...(txs[1] as SignedTransaction), signature: 'ab'.repeat(64) };
    h.view.pool = () => txs.map((t, i) => ({ id: txId(h.g, t), tx: i === 1 ? other : t }));
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Full' });
    assert.equal(h.chain.tip.index, 1);
    assert.equal(h.chain.invalidReason(b.currentHash), undefined, 'a block is its contents: its hash is not blamed');
    // The whole block (as nb brings it) is then judged on its own transactions.
    assert.equal((await h.chain.addBlock(b, NOW, { unrequested: true })).ok, true);
  });

  it('extra pool transactions are passed over: one short id each, the block rebuilt exactly', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 4, TX_TIME);
    const extra = signedTxs(h.g, 40, TX_TIME);
    h.pooled([...extra.slice(0, 20), ...txs.slice().reverse(), ...extra.slice(20)]);
    const b = h.block(txs);
    const req = h.cb(b);
    const before = h.counter.calls();
    assert.deepEqual(await h.reply(h.receiver.compact(req, FROM)), { status: 'Accepted' });
    assert.equal(h.counter.calls() - before, 44, 'one short id per pool transaction');
    assert.deepEqual((await h.chain.getBlock(b.currentHash))?.transactions, b.transactions);
    assert.equal(h.chain.pool.size, 40);
  });

  it('two pool transactions with one short id: that place is missing, and bt fills it', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 4, TX_TIME);
    const [stranger] = signedTxs(h.g, 1, TX_TIME) as [Transaction];
    h.pooled([...txs, stranger]);
    h.counter.collide([txId(h.g, txs[1] as Transaction), txId(h.g, stranger)]);
    const b = h.block(txs);
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b, h.counter.shortId), FROM)), { status: 'Missing', missing: [1] });
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs: [txs[1] as Transaction] }, FROM)), {
      status: 'Accepted',
    });
    assert.equal(h.chain.tip.hash, b.currentHash);
    assert.ok(h.chain.pool.has(txId(h.g, stranger)), 'the other one stays in the pool');
  });

  it('one short id twice in the block: both places are missing, whatever the pool holds', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 5, TX_TIME);
    h.pooled(txs);
    h.counter.collide([txId(h.g, txs[2] as Transaction), txId(h.g, txs[3] as Transaction)]);
    const b = h.block(txs);
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b, h.counter.shortId), FROM)), { status: 'Missing', missing: [2, 3] });
    const bt = { hash: b.currentHash, txs: [txs[2], txs[3]] as Transaction[] };
    assert.deepEqual(await h.reply(h.receiver.missing(bt, FROM)), { status: 'Accepted' });
    assert.equal(h.chain.tip.hash, b.currentHash);
  });

  it('a header with a bad proof is refused before any reconstruction: no short id computed', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 3, TX_TIME);
    h.pooled(txs);
    const ids = txs.map((t) => txId(h.g, t));
    const t = createTemplate(metaOf(h.chain.genesis), txs, ids, NOW, P.txFormat);
    let proof = 0;
    while (meetsDifficulty(powHash({ rule: P.pow, templateHash: t.templateHash, proof, previousProof: 100 }), P.difficulty)) proof++;
    const header = { ...h.cb(h.block(txs)).header, proof, currentHash: blockHash(t.index, t.timestamp, t.previousHash, t.txRoot, proof) };
    const req = { header, short: ids.map(() => 'aaaaaaaaaaaa') };
    const before = h.counter.calls();
    assert.deepEqual(await h.reply(h.receiver.compact(req, FROM)), { status: 'Rejected', reason: 'bad-pow' });
    assert.equal(h.counter.calls(), before, 'no short id was computed');
    assert.equal(h.receiver.partials.size, 0);
  });

  it('a claimed hash that differs is bad-hash and blames nothing: the genuine block still comes in', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 2, TX_TIME);
    h.pooled(txs);
    const b = h.block(txs);
    const genuine = h.cb(b);
    const tampered = { ...genuine, header: { ...genuine.header, timestamp: genuine.header.timestamp + 1 } };
    assert.deepEqual(await h.reply(h.receiver.compact(tampered, FROM)), { status: 'Rejected', reason: 'bad-hash' });
    assert.deepEqual(await h.reply(h.receiver.compact(genuine, FROM)), { status: 'Accepted' });
  });

  it('an unknown parent: Rejected unknown-parent before any reconstruction', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 2, TX_TIME);
    h.pooled(txs);
    const parent = h.block(signedTxs(h.g, 1, TX_TIME));
    const req = h.cb(h.block(txs, parent));
    assert.deepEqual(await h.reply(h.receiver.compact(req, FROM)), { status: 'Rejected', reason: 'unknown-parent' });
    assert.equal(h.counter.calls(), 0);
  });

  it('a block more than 100 below the tip: Rejected stale, not rebuilt; 100 below still comes in', async () => {
    const h = await harness(NET);
    const added = await h.chain.addBlocks(
      chainOn(NET, null, 102, () => 1, NOW - 60_000),
      NOW,
    );
    assert.ok(added.every((r) => r.ok));
    assert.equal(h.chain.tip.index, 103);
    const [deep] = chainOn(NET, null, 1, () => 1, NOW - 30_000) as [Block]; // index 2, on the genesis
    assert.equal(h.chain.addTransaction(deep.transactions[0], NOW).ok, true); // there to be found, were it looked for
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(deep), FROM)), { status: 'Rejected', reason: 'stale' });
    assert.equal(h.counter.calls(), 0);
    const parent = (await h.chain.blockAt(2)) as Block;
    const [near] = chainOn(NET, parent, 1, () => 1, NOW - 30_000) as [Block]; // index 3: 100 below
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(near), FROM)), { status: 'Missing', missing: [0] });
  });

  it('a known block is Accepted and one remembered invalid gets its reason, neither rebuilt', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 2, TX_TIME);
    const b = h.block(txs);
    assert.equal((await h.chain.addBlock(b, NOW)).ok, true);
    h.pooled(signedTxs(h.g, 3, TX_TIME)); // there to be looked through, were it rebuilt
    const forged = { ...(txs[0] as SignedTransaction), signature: 'cd'.repeat(64) };
    const bad = h.block([forged]);
    assert.equal(((await h.chain.addBlock(bad, NOW)) as { reason: string }).reason, 'bad-transactions');
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Accepted' });
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(bad), FROM)), { status: 'Rejected', reason: 'bad-transactions' });
    assert.equal(h.counter.calls(), 0);
  });

  it('bt: a transaction whose short id is not its place’s, or the wrong count, is Full; the partial is gone', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 3, TX_TIME);
    const [other] = signedTxs(h.g, 1, TX_TIME) as [Transaction];
    h.pooled([txs[0] as Transaction]);
    const b = h.block(txs);
    const req = h.cb(b);
    assert.deepEqual(await h.reply(h.receiver.compact(req, FROM)), { status: 'Missing', missing: [1, 2] });
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs: [txs[1], other] as Transaction[] }, FROM)), {
      status: 'Full',
    });
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs: [txs[1], txs[2]] as Transaction[] }, FROM)), {
      status: 'Full',
    });
    await h.receiver.compact(req, FROM);
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs: [txs[1]] as Transaction[] }, FROM)), {
      status: 'Full',
    });
    await h.receiver.compact(req, FROM);
    const malformed = [{ sender: 'x' }, txs[2]] as unknown as Transaction[];
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs: malformed }, FROM)), { status: 'Full' });
    assert.equal(h.chain.tip.index, 1);
    assert.equal(h.chain.invalidReason(b.currentHash), undefined);
  });

  it('partial blocks are kept per connection: another connection’s bt gets Full', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 2, TX_TIME);
    const b = h.block(txs);
    await h.receiver.compact(h.cb(b), FROM);
    const elsewhere = { ...FROM, connectionId: 2 };
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs }, elsewhere)), { status: 'Full' });
    assert.deepEqual(await h.reply(h.receiver.missing({ hash: b.currentHash, txs }, FROM)), { status: 'Accepted' });
  });

  it('partial blocks are bounded: 2 per connection, 16 in all, 10 s each, none after the close', async () => {
    const h = await harness();
    const blocks = Array.from({ length: PARTIALS_IN_ALL + 4 }, () => h.block(signedTxs(h.g, 1, TX_TIME)));
    const bt = (b: Block, from: From) => h.reply(h.receiver.missing({ hash: b.currentHash, txs: b.transactions }, from));
    const on = (connectionId: number): From => ({ ...FROM, connectionId });
    // Three from one connection: the first is forgotten.
    for (const b of blocks.slice(0, 3)) await h.receiver.compact(h.cb(b), on(1));
    assert.equal(h.receiver.partials.size, 2);
    assert.deepEqual(await bt(blocks[0] as Block, on(1)), { status: 'Full' });
    assert.deepEqual(await bt(blocks[2] as Block, on(1)), { status: 'Accepted' });
    // A closed connection's go at once.
    h.receiver.closed(1);
    assert.equal(h.receiver.partials.size, 0);
    // One each from 17 connections: 16 kept, the oldest forgotten.
    for (let i = 0; i < PARTIALS_IN_ALL + 1; i++) await h.receiver.compact(h.cb(blocks[i + 3] as Block), on(10 + i));
    assert.equal(h.receiver.partials.size, PARTIALS_IN_ALL);
    assert.deepEqual(await bt(blocks[3] as Block, on(10)), { status: 'Full' });
    assert.deepEqual(await bt(blocks[4] as Block, on(11)), { status: 'Accepted' });
    // Their lifetime ends.
    h.clock.now += PARTIAL_LIFETIME_MS;
    assert.deepEqual(await bt(blocks[5] as Block, on(12)), { status: 'Full' });
    assert.equal(h.receiver.partials.size, 0);
  });

  it('a block from the future is refused for now, not for ever', async () => {
    const h = await harness();
    const txs = signedTxs(h.g, 1, TX_TIME);
    h.pooled(txs);
    const b = blockOn(P, h.g, h.chain.genesis, txs, NOW + 200_000);
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Rejected', reason: 'future' });
    h.clock.now = NOW + 100_000;
    assert.deepEqual(await h.reply(h.receiver.compact(h.cb(b), FROM)), { status: 'Accepted' });
  });
});
