import assert from 'node:assert/strict';
import type { NeighbourState } from '@chain/peer';
import type { Block, Transaction } from '@chain/core';
import { request } from '@chain/net';
import { killAll, until } from '@chain/testkit';
import { SIGNED, chainOf, makeBlock, signedTx, snapshot, startPeer, type PeerProcess } from '../lib/harness';

/** Flip the first hex digit. */
const flip = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);

/** Copies of `block` that keep its claimed `currentHash` but not its contents. */
function tamperedCopies(block: Block): [string, Block][] {
  const tx = block.transactions[0] as Transaction & { signature: string };
  return [
    ['content', { ...block, transactions: [{ ...tx, content: `${tx.content}!` }] }],
    ['signature', { ...block, transactions: [{ ...tx, signature: flip(tx.signature) }] }],
    ['proof', { ...block, proof: block.proof + 1 }],
    ['timestamp', { ...block, timestamp: block.timestamp + 1 }],
  ];
}

/**
 * docs/spec.md §7, "a block is its contents". Three peers A, B, C, all neighbours of each other. For every
 * new block a hostile client sends B tampered copies that keep the genuine block's `currentHash`
 * before the genuine block exists anywhere else; only then is the genuine block published at A,
 * which announces it to B and C. B must refuse each copy `bad-hash`, remember nothing about the
 * hash, accept the genuine block from A and stay on the chain A and C hold, never distrusting A.
 */
describe('tampered copies raced ahead of a genuine block', function () {
  afterEach(killAll);

  it('never move a peer off the chain its honest neighbours hold', async () => {
    const c = await startPeer({ network: SIGNED });
    const b = await startPeer({ network: SIGNED, neighbours: [`127.0.0.1:${c.port}`] });
    const a = await startPeer({ network: SIGNED, neighbours: [`127.0.0.1:${b.port}`, `127.0.0.1:${c.port}`] });
    const opened = async (p: PeerProcess, n: number) => {
      const s = await p.command<{ neighbours: { state: NeighbourState }[] }>('status', 'status');
      return s.neighbours.filter((x) => x.state === 'open').length >= n;
    };
    await until(async () => (await opened(a, 2)) && (await opened(b, 1)), 'A and B connected to their neighbours');

    for (let round = 1; round <= 6; round++) {
      const tip = (await chainOf(a.port)).at(-1) as Block;
      const genuine = makeBlock(SIGNED, tip, [signedTx(SIGNED, `round ${round}`)]);
      // The race: every tampered copy reaches B before the genuine block is anywhere.
      for (const [what, copy] of tamperedCopies(genuine)) {
        assert.equal(copy.currentHash, genuine.currentHash);
        const reply = await request('127.0.0.1', b.port, 'nb', { block: copy });
        assert.deepEqual(reply, { status: 'Rejected', reason: 'bad-hash' }, `round ${round}, tampered ${what}`);
      }
      assert.equal((await snapshot(b.port, SIGNED)).height, tip.index, 'the copies changed nothing at B');
      assert.deepEqual(await request('127.0.0.1', a.port, 'nb', { block: genuine }), { status: 'Accepted' });
      // A announces the genuine block; B and C take it.
      for (const p of [b, c]) {
        await until(
          async () => (await snapshot(p.port, SIGNED)).hash === genuine.currentHash,
          `round ${round}: the genuine block at ${p === b ? 'B' : 'C'}`,
        );
      }
    }

    const [sa, sb, sc] = await Promise.all([a, b, c].map((p) => snapshot(p.port, SIGNED)));
    assert.equal(sa?.height, 7);
    assert.deepEqual(sb, sa, 'B holds the chain A holds');
    assert.deepEqual(sc, sa, 'C holds the chain A holds');
    assert.doesNotMatch(b.stdout, /"state":"distrusted"/, 'B never distrusted an honest neighbour');
    assert.doesNotMatch(b.stderr, /disconnected neighbour/);
    // Once the genuine block is known, a tampered copy is still refused, never taken for it.
    const last = (await chainOf(b.port)).at(-1) as Block;
    for (const [what, copy] of tamperedCopies(last)) {
      assert.deepEqual(await request('127.0.0.1', b.port, 'nb', { block: copy }), { status: 'Rejected', reason: 'bad-hash' }, what);
    }
  });
});
