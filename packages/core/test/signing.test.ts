import assert from 'node:assert/strict';
import {
  ChainState,
  DEFAULT_NETWORK,
  PRESETS,
  createGenesis,
  createKeyPair,
  genesisHash,
  networkHash,
  publicKeyOf,
  signTransaction,
  txId,
  verifyTxSignature,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { SEED, TEST_SIGNED } from './helpers';

const NOW = DEFAULT_NETWORK.genesisTime + 60_000;

describe('signing', () => {
  it('genesisHash(params) is the genesis block hash transaction ids commit to, not the network hash', () => {
    assert.equal(genesisHash(TEST_SIGNED), createGenesis(TEST_SIGNED).currentHash);
    assert.notEqual(genesisHash(TEST_SIGNED), networkHash(TEST_SIGNED));
    const tx = signTransaction({ params: TEST_SIGNED, secretKey: SEED, content: 'x', timestamp: NOW });
    assert.ok(verifyTxSignature(tx, txId(genesisHash(TEST_SIGNED), tx)));
  });

  it('signs the same transaction from params or from the genesis hash, with either implementation', () => {
    const byParams = signTransaction({ params: TEST_SIGNED, secretKey: SEED, content: 'pay', timestamp: NOW });
    const byHash = signTransaction({
      genesisHash: genesisHash(TEST_SIGNED),
      secretKey: SEED,
      content: 'pay',
      timestamp: NOW,
      ed25519: nodeEd25519,
    });
    assert.deepEqual(byParams, byHash);
    assert.equal(byParams.sender, publicKeyOf(SEED));
  });

  it('refuses bad arguments naming the field, with the length expected and got', () => {
    const base = { params: TEST_SIGNED, secretKey: SEED, content: 'x', timestamp: NOW };
    assert.throws(() => signTransaction({ ...base, secretKey: SEED.subarray(0, 31) }), {
      name: 'RangeError',
      message: 'secretKey: expected a 32-byte Ed25519 secret seed, got 31 bytes',
    });
    assert.throws(() => signTransaction({ ...base, secretKey: 'ab' as never }), /secretKey: expected a 32-byte .*got "ab"/);
    assert.throws(() => signTransaction({ ...base, genesisHash: genesisHash(TEST_SIGNED) }), /genesisHash or params, not both/);
    assert.throws(() => signTransaction({ secretKey: SEED, content: 'x', timestamp: NOW }), /genesisHash or params is required/);
    assert.throws(() => signTransaction({ ...base, params: undefined, genesisHash: 'xyz' }), /genesisHash: expected 64 lowercase hex/);
    assert.throws(() => signTransaction({ ...base, sender: 'ab'.repeat(32) }), /sender: .* is not the public key of secretKey/);
    assert.throws(() => publicKeyOf(new Uint8Array(33)), /expected a 32-byte .* got 33 bytes/);
  });

  it('createKeyPair gives a fresh secret key whose public key is the sender', () => {
    const a = createKeyPair();
    const b = createKeyPair(nodeEd25519);
    assert.equal(a.secretKey.length, 32);
    assert.match(a.publicKey, /^[0-9a-f]{64}$/);
    assert.notEqual(a.publicKey, b.publicKey);
    const tx = signTransaction({ params: TEST_SIGNED, secretKey: b.secretKey, sender: b.publicKey, content: 'x', timestamp: NOW });
    assert.equal(tx.sender, b.publicKey);
  });

  describe('a bad-signature refusal', () => {
    const submit = async (tx: unknown) => (await ChainState.open({ params: TEST_SIGNED })).addTransaction(tx, NOW);
    const refusal = async (tx: unknown) => {
      const r = await submit(tx);
      assert.ok(!r.ok && r.reason === 'bad-signature' && r.status === 'Rejected', JSON.stringify(r));
      return r.message;
    };

    it('says when the transaction was signed for the network hash', async () => {
      const tx = signTransaction({ genesisHash: networkHash(TEST_SIGNED), secretKey: SEED, content: 'x', timestamp: NOW });
      assert.match(await refusal(tx), /signed for the network hash; sign for the genesis hash/);
    });

    it("says when it was signed for a preset network's genesis", async () => {
      const tx = signTransaction({ params: PRESETS.default, secretKey: SEED, content: 'x', timestamp: NOW });
      assert.match(await refusal(tx), /signed for the genesis hash of the "default" network/);
    });

    it('says only that it does not verify otherwise', async () => {
      const tx = signTransaction({ params: TEST_SIGNED, secretKey: SEED, content: 'x', timestamp: NOW });
      const forged = { ...tx, content: 'y' };
      assert.match(await refusal(forged), /does not verify$/);
    });

    it('is explained at most 8 times a second, so a flood costs one verification each', async () => {
      const chain = await ChainState.open({ params: TEST_SIGNED });
      const tx = signTransaction({ genesisHash: networkHash(TEST_SIGNED), secretKey: SEED, content: 'x', timestamp: NOW });
      const messages = Array.from({ length: 10 }, () => {
        const r = chain.addTransaction(tx, NOW);
        return !r.ok ? r.message : '';
      });
      assert.equal(messages.filter((m) => m.includes('network hash')).length, 8);
      assert.match(messages[9] as string, /does not verify$/);
      const later = chain.addTransaction(tx, NOW + 1000);
      assert.ok(!later.ok && later.message.includes('network hash'), 'the next second explains again');
    });

    it('an accepted transaction has the status of the wire reply', async () => {
      const r = await submit(signTransaction({ params: TEST_SIGNED, secretKey: SEED, content: 'x', timestamp: NOW }));
      assert.ok(r.ok && r.status === 'Accepted');
    });
  });
});
