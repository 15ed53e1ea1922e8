import assert from 'node:assert/strict';
import { ChainState, blockHash, meetsDifficulty, powHash, templateHash, txId, type SignedTransaction, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { ProtocolError, silentLogger } from '@chain/net';
import type { CompactReply } from '@chain/protocol';
import { EASY_SIGNED, blockOn } from '@chain/testkit';
import { registerCompactHandlers } from '../src/compact/handlers';
import type { Source } from '../src/source';
import { fakeServer } from './fake-server';
import { compactOf, signedTxs } from './compact-fixtures';

const P = EASY_SIGNED;
const NOW = P.genesisTime + 100_000;
const A = '127.0.0.1:7001';

/** The handlers on a real chain; connection 1 is neighbour A, any other a stranger. */
async function setup() {
  const chain = await ChainState.open({ params: P, ed25519: nodeEd25519 });
  const { server, call, disconnected, emit } = fakeServer();
  const distrusted: string[] = [];
  const unknown: Source[] = [];
  registerCompactHandlers(server, {
    chain,
    logger: silentLogger,
    now: () => NOW,
    sourceOf: (id) => (id === 1 ? { kind: 'neighbour', address: A } : { kind: 'remote' }),
    accept: (blocks, _source, o) => chain.addBlocks(blocks, NOW, o),
    unknownParent: (source) => void unknown.push(source),
    distrust: async (address) => void distrusted.push(address),
  });
  const g = chain.genesisHash;
  return { chain, call, disconnected, emit, distrusted, unknown, g };
}

describe('compact blocks: the handlers', () => {
  it('an invalid block distrusts the neighbour that sent it and closes a stranger’s connection, as nb does', async () => {
    const s = await setup();
    const txs = signedTxs(s.g, 2, NOW - 1000);
    const good = blockOn(P, s.g, s.chain.genesis, txs, NOW);
    const req = compactOf(P, s.g, good);
    // A proof that fails, under a hash recomputed for it (identity holds; the proof of work does not).
    const h = req.header;
    const template = templateHash(h.index, h.timestamp, h.previousHash, h.txRoot);
    let proof = good.proof + 1;
    while (meetsDifficulty(powHash({ rule: P.pow, templateHash: template, proof, previousProof: 100 }), P.difficulty)) proof++;
    const badPow = { ...req, header: { ...h, proof, currentHash: blockHash(h.index, h.timestamp, h.previousHash, h.txRoot, proof) } };
    assert.deepEqual(await s.call<CompactReply>('cb', badPow, 1), { status: 'Rejected', reason: 'bad-pow' });
    assert.deepEqual(s.distrusted, [A]);
    await s.call('cb', badPow, 2);
    assert.deepEqual(s.disconnected, [2]);
  });

  it('a forged transaction brought by bt makes the block invalid: the neighbour is distrusted', async () => {
    const s = await setup();
    const txs = signedTxs(s.g, 2, NOW - 1000);
    const forged = { ...(txs[1] as SignedTransaction), signature: 'ef'.repeat(64) };
    const bad = blockOn(P, s.g, s.chain.genesis, [txs[0] as Transaction, forged], NOW);
    assert.deepEqual(await s.call('cb', compactOf(P, s.g, bad), 1), { status: 'Missing', missing: [0, 1] });
    assert.deepEqual(await s.call('bt', { hash: bad.currentHash, txs: bad.transactions }, 1), {
      status: 'Rejected',
      reason: 'bad-transactions',
    });
    assert.deepEqual(s.distrusted, [A]);
    assert.equal(s.chain.invalidReason(bad.currentHash)?.reason, 'bad-transactions', 'remembered under its computed hash');
  });

  it('an unknown parent starts a sync from the sender; stale and future cost nothing', async () => {
    const s = await setup();
    const parent = blockOn(P, s.g, s.chain.genesis, signedTxs(s.g, 1, NOW - 1000), NOW);
    const orphan = blockOn(P, s.g, parent, signedTxs(s.g, 1, NOW - 1000), NOW);
    assert.deepEqual(await s.call('cb', compactOf(P, s.g, orphan), 1), { status: 'Rejected', reason: 'unknown-parent' });
    assert.deepEqual(s.unknown, [{ kind: 'neighbour', address: A }]);
    const ahead = blockOn(P, s.g, s.chain.genesis, signedTxs(s.g, 1, NOW - 1000), NOW + 200_000);
    assert.deepEqual(await s.call('cb', compactOf(P, s.g, ahead), 2), { status: 'Rejected', reason: 'future' });
    assert.deepEqual(s.distrusted, []);
    assert.deepEqual(s.disconnected, []);
  });

  it('a closed connection’s partial blocks go; a header without one short id a transaction is malformed', async () => {
    const s = await setup();
    const txs = signedTxs(s.g, 2, NOW - 1000);
    const b = blockOn(P, s.g, s.chain.genesis, txs, NOW);
    const req = compactOf(P, s.g, b);
    assert.deepEqual(await s.call('cb', req, 1), { status: 'Missing', missing: [0, 1] });
    s.emit('disconnect', { id: 1 });
    assert.deepEqual(await s.call('bt', { hash: b.currentHash, txs }, 1), { status: 'Full' });
    await assert.rejects(
      s.call('cb', { ...req, short: req.short.slice(1) }, 1),
      (err: unknown) => err instanceof ProtocolError && err.code === 'malformed',
    );
    for (const t of txs) assert.equal(s.chain.addTransaction(t, NOW).ok, true);
    assert.deepEqual(await s.call('cb', req, 1), { status: 'Accepted' });
    assert.equal(s.chain.txHeight(txId(s.g, txs[0] as Transaction)), 2);
  });
});
