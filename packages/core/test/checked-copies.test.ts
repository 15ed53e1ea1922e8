import assert from 'node:assert/strict';
import { checkTxFormat, createGenesis, identifyBlock, txId, type Block, type NetworkParams, type Transaction } from '@chain/core';
import { TEST_CLASSIC, TEST_SIGNED, buildOn, makeTx, openChain } from './helpers';

const NOW = 1767225600000 + 100_000;

describe('checked copies: what passed once is not hashed again', () => {
  for (const params of [TEST_CLASSIC, TEST_SIGNED] as NetworkParams[]) {
    describe(`${params.txFormat} transactions`, () => {
      it('checkTxFormat returns a frozen copy; checking that copy again gives the same check', async () => {
        const chain = await openChain(params);
        const input = { ...makeTx(chain, NOW) } as Transaction;
        const first = checkTxFormat(params.txFormat, chain.genesisHash, input);
        assert.ok(first.ok);
        assert.notEqual(first.tx, input, 'the caller keeps its object');
        assert.ok(Object.isFrozen(first.tx));
        assert.throws(() => {
          (first.tx as { content: string }).content = 'changed';
        }, TypeError);
        assert.equal(first.id, txId(chain.genesisHash, input));
        const again = checkTxFormat(params.txFormat, chain.genesisHash, first.tx);
        assert.equal(again, first);
        // The caller's object is not remembered: a change to it is seen.
        (input as { content: string }).content = 'changed';
        const changed = checkTxFormat(params.txFormat, chain.genesisHash, input);
        assert.ok(changed.ok);
        assert.notEqual(changed.id, first.id);
      });

      it('a copy checked for one network is checked afresh for another', async () => {
        const chain = await openChain(params);
        const first = checkTxFormat(params.txFormat, chain.genesisHash, makeTx(chain, NOW));
        assert.ok(first.ok);
        const other = createGenesis({ ...params, name: `${params.name}-other` }).currentHash;
        const there = checkTxFormat(params.txFormat, other, first.tx);
        assert.ok(there.ok);
        assert.notEqual(there.id, first.id);
        assert.equal(there.id, txId(other, first.tx));
      });
    });

    it(`identifyBlock (${params.txFormat}) returns a frozen block whose identity is remembered; a tampered copy of it is not`, async () => {
      const chain = await openChain(params);
      const block = buildOn(chain, chain.genesisHash, [makeTx(chain, NOW - 100), makeTx(chain, NOW - 99)], NOW - 50);
      const first = identifyBlock(structuredClone(block), params, chain.genesisHash);
      assert.ok(first.ok);
      assert.ok(Object.isFrozen(first.block) && Object.isFrozen(first.block.transactions));
      assert.ok(first.block.transactions.every((tx) => Object.isFrozen(tx)));
      assert.equal(identifyBlock(first.block, params, chain.genesisHash), first);
      const tampered: Block = { ...first.block, proof: first.block.proof + 1 };
      const refused = identifyBlock(tampered, params, chain.genesisHash);
      assert.equal(refused.ok, false);
      assert.equal((refused as { reason: string }).reason, 'bad-hash');
      const fewer = identifyBlock(first.block, { ...params, maxTxPerBlock: 1 }, chain.genesisHash);
      assert.equal((fewer as { reason: string }).reason, 'too-many-transactions');
    });
  }
});
