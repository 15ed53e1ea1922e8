import assert from 'node:assert/strict';
import {
  PRESETS,
  createGenesis,
  networkHash,
  txId,
  txLeaf,
  txRoot,
  templateHash,
  blockHash,
  powDecimal,
  powHash,
  findProof,
  checkTxFormat,
  verifyTxSignature,
  signTransaction,
  validateBlock,
  metaOf,
  nobleEd25519,
  sha256hexOfText,
  hexToBytes,
  bytesToHex,
  type Block,
  type SignedTransaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { vectors } from './helpers';

describe('the vectors of the specification', () => {
  for (const name of ['default', 'comp3221'] as const) {
    describe(`network ${name}`, () => {
      const v = vectors.networks[name];
      const params = PRESETS[name];

      it('preset equals the vector parameters', () => {
        assert.deepEqual({ ...params }, v.params);
      });

      it('network hash and genesis', () => {
        assert.equal(networkHash(params), v.networkHash);
        assert.deepEqual(createGenesis(params), v.genesis);
      });

      it('transaction ids and leaves', () => {
        for (const t of v.transactions) {
          const id = txId(v.genesis.currentHash, t.tx);
          assert.equal(id, t.id);
          assert.equal(txLeaf(params.txFormat, id, t.tx), t.leaf);
          const checked = checkTxFormat(params.txFormat, v.genesis.currentHash, t.tx);
          assert.ok(checked.ok);
          assert.equal(checked.ok && checked.id, t.id);
        }
      });

      if (params.txFormat === 'signed') {
        it('signatures: deterministic signing and both verifiers', () => {
          const seed = hexToBytes(v.key.secretSeed);
          assert.equal(bytesToHex(nobleEd25519.publicKey(seed)), v.key.publicKey);
          assert.equal(bytesToHex(nodeEd25519.publicKey(seed)), v.key.publicKey);
          for (const t of v.transactions) {
            const tx = t.tx as SignedTransaction;
            const signed = signTransaction({
              genesisHash: v.genesis.currentHash,
              secretKey: seed,
              content: tx.content,
              timestamp: tx.timestamp,
              ed25519: nobleEd25519,
            });
            assert.deepEqual(signed, tx);
            assert.deepEqual(
              signTransaction({
                genesisHash: v.genesis.currentHash,
                secretKey: seed,
                content: tx.content,
                timestamp: tx.timestamp,
                ed25519: nodeEd25519,
              }),
              tx,
            );
            assert.ok(verifyTxSignature(tx, t.id, nobleEd25519));
            assert.ok(verifyTxSignature(tx, t.id, nodeEd25519));
            const other = { ...tx, content: tx.content + '!' };
            assert.ok(!verifyTxSignature(other, txId(v.genesis.currentHash, other), nodeEd25519));
          }
        });
      }

      it('mined blocks: every intermediate hash, the smallest proof, validation', () => {
        let parent: Block = v.genesis;
        for (const b of v.blocks) {
          const block = b.block as Block;
          assert.equal(txRoot(params.txFormat, v.genesis.currentHash, block.transactions), b.txRoot);
          assert.equal(templateHash(block.index, block.timestamp, block.previousHash, b.txRoot), b.templateHash);
          assert.equal(
            powHash({ rule: params.pow, templateHash: b.templateHash, proof: block.proof, previousProof: b.previousProof }),
            b.powHash,
          );
          assert.equal(blockHash(block.index, block.timestamp, block.previousHash, b.txRoot, block.proof), block.currentHash);
          assert.equal(b.previousProof, parent.proof);
          const job = { rule: params.pow, templateHash: b.templateHash, previousProof: b.previousProof, difficulty: params.difficulty };
          assert.equal(findProof(job), block.proof);
          const checked = validateBlock(block, metaOf(parent), {
            params,
            genesisHash: v.genesis.currentHash,
            now: block.timestamp,
            inAncestors: () => false,
          });
          assert.ok(checked.ok, checked.ok ? '' : checked.message);
          parent = block;
        }
      });
    });
  }

  it('proof-of-work arithmetic beyond 2^53', () => {
    for (const p of vectors.pow) {
      assert.equal(powDecimal({ proof: p.proof, previousProof: p.previousProof }), p.d);
      assert.equal(powHash({ rule: 'seed', proof: p.proof, previousProof: p.previousProof }), p.seedHash);
      assert.equal(sha256hexOfText(p.d), p.seedHash);
    }
  });

  it('the first seed proof after the genesis proof 100 is 5 at difficulty 2, as in the original system', () => {
    assert.equal(findProof({ rule: 'seed', templateHash: '', previousProof: 100, difficulty: 2 }), 5);
  });
});
