import assert from 'node:assert/strict';
import { blockHash, txRoot, type Block, type ChainState, type NetworkParams, type SignedTransaction, type Transaction } from '@chain/core';
import { TEST_CLASSIC, TEST_SIGNED, buildOn, makeTx, openChain } from './helpers';

const T0 = 1767225600000;
const NOW = T0 + 100_000;

/**
 * What a tampered copy gets: `bad-hash`, except a changed `previousHash`, which
 * names a parent nobody has (`unknown-parent`, judged before the contents).
 * Neither is remembered.
 */
const refusal = (what: string) => (what === 'previousHash' ? 'unknown-parent' : 'bad-hash');

/** Flip the first hex digit of a hex string. */
const flip = (hex: string) => (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);

/**
 * Every way to change one field of a block while keeping its claimed
 * `currentHash`: the header fields and each part of a transaction.
 */
function tamperings(block: Block, params: NetworkParams): [string, Block][] {
  const tx0 = block.transactions[0] as Transaction;
  const withTx = (what: string, tx: Transaction): [string, Block] => [
    what,
    { ...block, transactions: [tx, ...block.transactions.slice(1)] },
  ];
  const out: [string, Block][] = [
    ['index', { ...block, index: block.index + 1 }],
    ['timestamp', { ...block, timestamp: block.timestamp + 1 }],
    ['proof', { ...block, proof: block.proof + 1 }],
    ['previousHash', { ...block, previousHash: flip(block.previousHash) }],
    ['transaction order', { ...block, transactions: [...block.transactions].reverse() }],
    ['a transaction dropped', { ...block, transactions: block.transactions.slice(1) }],
    ['a transaction added', { ...block, transactions: [...block.transactions, block.transactions[0] as Transaction] }],
    withTx('transaction content', { ...tx0, content: `${tx0.content}!` }),
    withTx('transaction timestamp', { ...tx0, timestamp: tx0.timestamp - 1 }),
  ];
  if (params.txFormat === 'signed') {
    const s = tx0 as SignedTransaction;
    out.push(withTx('transaction signature', { ...s, signature: flip(s.signature) }));
    out.push(withTx('transaction sender', { ...s, sender: flip(s.sender) }));
  } else {
    out.push(withTx('transaction sender', { ...tx0, sender: 'zzzz9999' }));
  }
  return out;
}

async function fixture(params: NetworkParams) {
  const chain = await openChain(params);
  const txs = [0, 1, 2].map((i) => makeTx(chain, NOW - 1000 + i));
  const block = buildOn(chain, chain.genesisHash, txs, NOW - 500);
  const child = buildOn(chain, block, [makeTx(chain, NOW - 400)], NOW - 400);
  return { chain, block, child };
}

function reasonOf(r: { ok: boolean; reason?: string }): string {
  return r.ok ? 'ok' : (r.reason as string);
}

async function tipAfter(chain: ChainState, blocks: Block[]): Promise<string[]> {
  return (await chain.addBlocks(blocks, NOW)).map(reasonOf);
}

describe('a block is its contents (docs/spec.md §7)', () => {
  for (const params of [TEST_CLASSIC, TEST_SIGNED]) {
    describe(`${params.txFormat} transactions, ${params.pow} proof of work`, () => {
      it('a tampered copy that keeps the claimed hash is bad-hash, and the genuine block is accepted after it', async () => {
        const { block, child } = await fixture(params);
        for (const [what, tampered] of tamperings(block, params)) {
          const chain = await openChain(params); // a fresh chain each time: nothing carries over
          const r = await chain.addBlock(tampered, NOW);
          assert.equal(reasonOf(r), refusal(what), what);
          assert.equal(chain.invalidReason(block.currentHash), undefined, `${what}: nothing is remembered about the claimed hash`);
          assert.equal(chain.height, 1, what);
          const genuine = await chain.addBlock(block, NOW);
          assert.equal(reasonOf(genuine), 'ok', `${what}: the genuine block`);
          assert.equal(reasonOf(await chain.addBlock(child, NOW)), 'ok', `${what}: a block built on the genuine one`);
          assert.equal(chain.tip.hash, child.currentHash, what);
        }
      });

      it('the same holds in a sync batch: a tampered copy first, the genuine chain after', async () => {
        const { block, child } = await fixture(params);
        for (const [what, tampered] of tamperings(block, params)) {
          const chain = await openChain(params);
          assert.deepEqual(await tipAfter(chain, [tampered, child]), [refusal(what)], what);
          assert.deepEqual(await tipAfter(chain, [block, child]), ['ok', 'ok'], what);
          assert.equal(chain.height, 3, what);
        }
      });

      it('a tampered copy of a block already held is refused, not reported as known', async () => {
        const { chain, block } = await fixture(params);
        assert.equal(reasonOf(await chain.addBlock(block, NOW)), 'ok');
        for (const [what, tampered] of tamperings(block, params)) {
          assert.equal(reasonOf(await chain.addBlock(tampered, NOW)), refusal(what), what);
        }
        const again = await chain.addBlock(block, NOW);
        assert.ok(again.ok && again.status === 'known');
      });

      it('an invalid block whose hash is its own is remembered, and its children inherit that', async () => {
        const { chain } = await fixture(params);
        // Correctly hashed, but the proof fails: invalid for ever under that (computed) hash.
        const good = buildOn(chain, chain.genesisHash, [makeTx(chain, NOW - 300)], NOW - 300);
        const root = txRoot(params.txFormat, chain.genesisHash, good.transactions);
        let bad: Block | null = null;
        for (let proof = 0; bad === null; proof++) {
          const candidate = { ...good, proof, currentHash: blockHash(good.index, good.timestamp, good.previousHash, root, proof) };
          if (reasonOf(await (await openChain(params)).addBlock(candidate, NOW)) === 'bad-pow') bad = candidate;
        }
        assert.equal(reasonOf(await chain.addBlock(bad, NOW)), 'bad-pow');
        assert.equal(chain.invalidReason(bad.currentHash)?.reason, 'bad-pow');
        const orphan = buildOn(await openChain(params), chain.genesisHash, [makeTx(chain, NOW - 200)], NOW - 200);
        const child = { ...orphan, index: 3, previousHash: bad.currentHash };
        const childRoot = txRoot(params.txFormat, chain.genesisHash, child.transactions);
        const sealed = { ...child, currentHash: blockHash(3, child.timestamp, bad.currentHash, childRoot, child.proof) };
        const r = await chain.addBlock(sealed, NOW);
        assert.equal(reasonOf(r), 'bad-previous-hash');
        assert.equal(chain.invalidReason(sealed.currentHash)?.reason, 'bad-previous-hash');
      });

      it('the genesis block sent again is known', async () => {
        const { chain } = await fixture(params);
        const r = await chain.addBlock(chain.genesis, NOW);
        assert.ok(r.ok && r.status === 'known');
        assert.equal(reasonOf(await chain.addBlock({ ...chain.genesis, proof: 101 }, NOW)), 'unknown-parent');
      });

      it('a child of a tampered copy does not inherit anything: its parent is unknown', async () => {
        const { chain, block, child } = await fixture(params);
        const [, tampered] = tamperings(block, params)[0] as [string, Block];
        assert.equal(reasonOf(await chain.addBlock(tampered, NOW)), 'bad-hash');
        assert.equal(reasonOf(await chain.addBlock(child, NOW)), 'unknown-parent');
        assert.equal(reasonOf(await chain.addBlock(block, NOW)), 'ok');
        assert.equal(reasonOf(await chain.addBlock(child, NOW)), 'ok');
      });
    });
  }
});
