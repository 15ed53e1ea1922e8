import assert from 'node:assert/strict';
import { createGenesis, identifyHeader, shortTxId, txId, type Block } from '@chain/core';
import type { CompactReply } from '@chain/protocol';
import { EASY_SIGNED, blockOn, until } from '@chain/testkit';
import { CompactSender, QUEUED_PER_NEIGHBOUR, WHOLE_BLOCK_BYTES, type CompactLink } from '../src/compact/sender';
import { countingShortId, signedTxs } from './compact-fixtures';

const P = EASY_SIGNED;
const G = createGenesis(P);
const NOW = P.genesisTime + 100_000;

interface Request {
  readonly op: string;
  readonly payload: any;
  answer(reply: unknown): void;
}

/** A neighbour's connection whose replies the test gives, request by request. */
function fakeLink(address = '127.0.0.1:7001', version: '1.1' | '1.2' = '1.2') {
  const requests: Request[] = [];
  const link: CompactLink = {
    address,
    state: 'open',
    version,
    client: {
      request: ((op: string, payload: unknown) =>
        new Promise((resolve) => requests.push({ op, payload, answer: resolve }))) as CompactLink['client']['request'],
    },
  };
  /** Wait for request number `n` (from 0), check its opcode, answer it. */
  const answer = async (n: number, op: string, reply: CompactReply | Record<string, unknown>): Promise<Request> => {
    await until(() => requests.length > n, `request ${n} (${op})`, 2000);
    const r = requests[n] as Request;
    assert.equal(r.op, op);
    r.answer(reply);
    return r;
  };
  return { link, requests, answer };
}

const block = (n = 5, parent: Block = G) => blockOn(P, G.currentHash, parent, signedTxs(G.currentHash, n, NOW - 1000), NOW);

describe('compact blocks: the sender', () => {
  it('sends cb: the header proves itself and the short ids are the block’s, in order; Accepted ends it', async () => {
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash });
    const f = fakeLink();
    const b = block();
    sender.send(f.link, b);
    const cb = await f.answer(0, 'cb', { status: 'Accepted' });
    const id = identifyHeader(cb.payload.header, P.maxTxPerBlock);
    assert.ok(id.ok && id.hash === b.currentHash, 'the header hashes to the block');
    assert.deepEqual(
      cb.payload.short,
      b.transactions.map((t) => shortTxId(b.currentHash, txId(G.currentHash, t))),
    );
    await until(() => sender.busy === 0, 'exchange over', 2000);
    assert.equal(f.requests.length, 1);
  });

  it('Missing: bt with the transactions at those places, in order; Full after bt: the whole block by nb', async () => {
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash });
    const f = fakeLink();
    const b = block(6);
    sender.send(f.link, b);
    await f.answer(0, 'cb', { status: 'Missing', missing: [0, 2, 5] });
    const bt = await f.answer(1, 'bt', { status: 'Full' });
    assert.deepEqual(bt.payload, { hash: b.currentHash, txs: [b.transactions[0], b.transactions[2], b.transactions[5]] });
    const nb = await f.answer(2, 'nb', { status: 'Accepted' });
    assert.deepEqual(nb.payload, { block: b });
    await until(() => sender.busy === 0, 'exchange over', 2000);
    assert.equal(f.requests.length, 3);
  });

  it('Full: nb at once; Rejected (unknown-parent) and an accepted bt end it; a place beyond the block: nb', async () => {
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash });
    const cases: [CompactReply, string[]][] = [
      [{ status: 'Full' }, ['cb', 'nb']],
      [{ status: 'Rejected', reason: 'unknown-parent' }, ['cb']],
      [{ status: 'Missing', missing: [1] }, ['cb', 'bt']],
      [{ status: 'Missing', missing: [1, 7] }, ['cb', 'nb']],
    ];
    for (const [reply, ops] of cases) {
      const f = fakeLink();
      sender.send(f.link, block(3));
      await f.answer(0, 'cb', reply);
      if (ops[1]) await f.answer(1, ops[1], { status: 'Accepted' });
      await until(() => sender.busy === 0, 'exchange over', 2000);
      assert.deepEqual(
        f.requests.map((r) => r.op),
        ops,
        JSON.stringify(reply),
      );
    }
  });

  it('a neighbour on 1.1 gets nb; a connection that is not open gets nothing; a failure ends the exchange', async () => {
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash });
    const old = fakeLink('127.0.0.1:7002', '1.1');
    sender.send(old.link, block());
    await old.answer(0, 'nb', { status: 'Accepted' });
    const closed = fakeLink('127.0.0.1:7003');
    sender.send({ ...closed.link, state: 'backoff' }, block());
    const failing: CompactLink = { ...closed.link, client: { request: (() => Promise.reject(new Error('timeout'))) as never } };
    sender.send(failing, block());
    await until(() => sender.busy === 0, 'exchanges over', 2000);
    assert.equal(closed.requests.length, 0);
    assert.deepEqual(
      old.requests.map((r) => r.op),
      ['nb'],
    );
  });

  it('one exchange at a time per neighbour, in order, at most 4 waiting; other neighbours are not held up', async () => {
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash });
    const f = fakeLink();
    const other = fakeLink('127.0.0.1:7009');
    const chain: Block[] = [];
    for (let i = 0, p = G; i < 7; i++) chain.push((p = block(1, p)));
    for (const b of chain) sender.send(f.link, b);
    sender.send(other.link, chain[0] as Block);
    await other.answer(0, 'cb', { status: 'Accepted' });
    assert.equal(f.requests.length, 1, 'nothing else goes out while the exchange runs');
    await f.answer(0, 'cb', { status: 'Missing', missing: [0] });
    await f.answer(1, 'bt', { status: 'Accepted' });
    // 6 waited behind the first; the oldest 2 of them were dropped (the neighbour syncs for them).
    for (let k = 0; k < QUEUED_PER_NEIGHBOUR; k++) await f.answer(2 + k, 'cb', { status: 'Accepted' });
    await until(() => sender.busy === 0, 'exchanges over', 2000);
    assert.deepEqual(
      f.requests.slice(2).map((r) => r.payload.header.currentHash),
      chain.slice(7 - QUEUED_PER_NEIGHBOUR).map((b) => b.currentHash),
    );
  });

  it('computes a block’s compact form once for every neighbour', async () => {
    const counter = countingShortId();
    const sender = new CompactSender({ params: P, genesisHash: G.currentHash, shortId: counter.shortId });
    const b = block(5);
    const links = [fakeLink('127.0.0.1:7001'), fakeLink('127.0.0.1:7002'), fakeLink('127.0.0.1:7003')];
    for (const f of links) sender.send(f.link, b);
    for (const f of links) await f.answer(0, 'cb', { status: 'Accepted' });
    assert.equal(counter.calls(), 5);
  });

  describe('a neighbour not known to hold every transaction', () => {
    /** A sender whose neighbour holds every transaction but those of `lacked`; the questions it was asked. */
    const knowing = (lacked: (id: string) => boolean) => {
      const asked: string[] = [];
      const holds = (address: string, id: string) => (asked.push(address), !lacked(id));
      return { sender: new CompactSender({ params: P, genesisHash: G.currentHash, holds }), asked };
    };
    const idOf = (b: Block, i: number) => txId(G.currentHash, b.transactions[i] as Block['transactions'][number]);
    const ops = (f: ReturnType<typeof fakeLink>) => f.requests.map((r) => r.op);

    it('gets a small block whole by nb, one request instead of cb, Missing and bt', async () => {
      const b = block(3);
      const { sender, asked } = knowing((id) => id === idOf(b, 1));
      const f = fakeLink();
      sender.send(f.link, b);
      const nb = await f.answer(0, 'nb', { status: 'Accepted' });
      assert.deepEqual(nb.payload, { block: b });
      await until(() => sender.busy === 0, 'exchange over', 2000);
      assert.deepEqual(ops(f), ['nb']);
      assert.ok(asked.length > 0 && asked.every((a) => a === f.link.address), 'asked about this neighbour');
      assert.ok(Buffer.byteLength(JSON.stringify({ block: b })) <= WHOLE_BLOCK_BYTES);
    });

    it('gets cb when it holds every transaction, and a block above the bound as cb, then bt', async () => {
      const small = block(3);
      const held = knowing(() => false);
      const f = fakeLink();
      held.sender.send(f.link, small);
      await f.answer(0, 'cb', { status: 'Accepted' });
      await until(() => held.sender.busy === 0, 'exchange over', 2000);
      assert.deepEqual(ops(f), ['cb']);

      const big = block(40);
      assert.ok(Buffer.byteLength(JSON.stringify({ block: big })) > WHOLE_BLOCK_BYTES, 'the block is above the bound');
      const { sender } = knowing((id) => id === idOf(big, 7));
      const g = fakeLink();
      sender.send(g.link, big);
      await g.answer(0, 'cb', { status: 'Missing', missing: [7] });
      const bt = await g.answer(1, 'bt', { status: 'Accepted' });
      assert.deepEqual(bt.payload.txs, [big.transactions[7]]);
      await until(() => sender.busy === 0, 'exchange over', 2000);
      assert.deepEqual(ops(g), ['cb', 'bt']);
    });
  });
});
