import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ChainState,
  checkTxFormat,
  createClassicTransaction,
  isValidContent,
  signTransaction,
  txId,
  verifyTxSignature,
  type SignedTransaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { SEED, TEST_CLASSIC, TEST_SIGNED, openChain, vectors } from './helpers';

const NOW = 1767225600000 + 10_000;
const G = vectors.networks.default.genesis.currentHash as string;

describe('transactions', () => {
  describe('format rules', () => {
    const signed = vectors.networks.default.transactions[0].tx as SignedTransaction;
    const cases: [string, unknown, string][] = [
      ['not an object', 'hello', 'malformed'],
      ['an array', [], 'malformed'],
      ['missing signature', { sender: signed.sender, content: 'x', timestamp: 1 }, 'malformed'],
      ['extra field', { ...signed, fee: 1 }, 'malformed'],
      ['sender not a string', { ...signed, sender: 5 }, 'malformed'],
      ['timestamp fractional', { ...signed, timestamp: 1.5 }, 'malformed'],
      ['timestamp beyond 2^53', { ...signed, timestamp: 2 ** 53 }, 'malformed'],
      ['timestamp negative', { ...signed, timestamp: -1 }, 'malformed'],
      ['timestamp a string', { ...signed, timestamp: '1' }, 'malformed'],
      ['uppercase sender', { ...signed, sender: signed.sender.toUpperCase() }, 'bad-sender'],
      ['short sender', { ...signed, sender: signed.sender.slice(2) }, 'bad-sender'],
      ['empty content', { ...signed, content: '' }, 'bad-content'],
      ['71 characters', { ...signed, content: 'a'.repeat(71) }, 'bad-content'],
      ['a pipe', { ...signed, content: 'a|b' }, 'bad-content'],
      ['a newline', { ...signed, content: 'a\nb' }, 'bad-content'],
      ['non-ASCII', { ...signed, content: 'café' }, 'bad-content'],
      ['short signature', { ...signed, signature: signed.signature.slice(2) }, 'bad-signature'],
      ['signature not a string', { ...signed, signature: null }, 'malformed'],
    ];
    for (const [what, tx, reason] of cases) {
      it(`${what} → ${reason}`, () => {
        const r = checkTxFormat('signed', G, tx);
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, reason);
        assert.ok(!r.ok && r.message.length > 0);
      });
    }

    it('classic sender pattern', () => {
      assert.ok(checkTxFormat('classic', G, { sender: 'Comp3221', content: 'x', timestamp: 1 }).ok);
      for (const sender of ['comp322', 'comp32211', '1234abcd', 'abc_1234', 'abcé1234']) {
        const r = checkTxFormat('classic', G, { sender, content: 'x', timestamp: 1 });
        assert.equal(!r.ok && r.reason, 'bad-sender', sender);
      }
      const r = checkTxFormat('classic', G, { sender: 'abcd1234', content: 'x', timestamp: 1, signature: 'ab' });
      assert.equal(!r.ok && r.reason, 'malformed');
    });

    it('content: exactly printable ASCII without "|", 1 to 70 characters', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
          const expected = s.length >= 1 && s.length <= 70 && [...s].every((c) => c >= ' ' && c <= '~' && c !== '|');
          assert.equal(isValidContent(s), expected);
        }),
      );
    });

    it('creation helpers refuse bad arguments with TypeError/RangeError', () => {
      assert.throws(() => createClassicTransaction('bad', { content: 'x', timestamp: 1 }), RangeError);
      assert.throws(() => createClassicTransaction('abcd1234', { content: 'a|b', timestamp: 1 }), RangeError);
      assert.throws(() => createClassicTransaction('abcd1234', { content: 'x', timestamp: 1.5 }), TypeError);
      assert.throws(() => signTransaction({ genesisHash: 'xyz', secretKey: SEED, content: 'x', timestamp: 1 }), TypeError);
    });
  });

  describe('signatures', () => {
    it('any single-field mutation of a signed transaction breaks it', () => {
      const tx = signTransaction({ genesisHash: G, secretKey: SEED, content: 'pay bob', timestamp: NOW, ed25519: nodeEd25519 });
      fc.assert(
        fc.property(fc.constantFrom('content', 'timestamp', 'signature', 'sender'), fc.nat({ max: 63 }), (field, pos) => {
          let mutated: SignedTransaction;
          if (field === 'timestamp') mutated = { ...tx, timestamp: tx.timestamp + 1 + pos };
          else if (field === 'content') mutated = { ...tx, content: tx.content + String.fromCharCode(97 + (pos % 26)) };
          else {
            const s = tx[field];
            const i = pos % s.length;
            const c = s[i] === '0' ? '1' : '0';
            mutated = { ...tx, [field]: s.slice(0, i) + c + s.slice(i + 1) };
          }
          const checked = checkTxFormat('signed', G, mutated);
          if (!checked.ok) return; // format caught it
          assert.ok(!verifyTxSignature(mutated, checked.id, nodeEd25519));
        }),
        { numRuns: 200 },
      );
    });

    it('a transaction of another network does not verify here', () => {
      const other = vectors.networks.comp3221.genesis.currentHash as string;
      const tx = signTransaction({ genesisHash: other, secretKey: SEED, content: 'x', timestamp: NOW, ed25519: nodeEd25519 });
      assert.ok(!verifyTxSignature(tx, txId(G, tx), nodeEd25519));
    });
  });

  describe('admission to the pool', () => {
    let chain: ChainState;
    beforeEach(async () => {
      chain = await openChain(TEST_SIGNED);
    });
    const sign = (content: string, timestamp: number) =>
      signTransaction({ genesisHash: chain.genesisHash, secretKey: SEED, content, timestamp, ed25519: nodeEd25519 });

    it('accepts a valid transaction once, then duplicate', () => {
      const tx = sign('a', NOW);
      const r = chain.addTransaction(tx, NOW);
      assert.ok(r.ok);
      assert.equal(chain.pool.size, 1);
      const again = chain.addTransaction(tx, NOW);
      assert.equal(!again.ok && again.reason, 'duplicate');
      assert.equal(chain.pool.size, 1);
    });

    it('time window: stale at exactly now - ttl, future beyond now + 120 s', () => {
      const ttl = TEST_SIGNED.txTtlMs;
      const at = (ts: number) => chain.addTransaction(sign('t' + ts, ts), NOW);
      assert.equal((at(NOW - ttl) as { reason: string }).reason, 'stale');
      assert.ok(at(NOW - ttl + 1).ok);
      assert.ok(at(NOW + 120_000).ok);
      assert.equal((at(NOW + 120_001) as { reason: string }).reason, 'future');
    });

    it('bad signature, another network, and the pool cap', async () => {
      const tx = sign('a', NOW);
      const forged = { ...tx, signature: tx.signature.replace(/^./, tx.signature[0] === 'a' ? 'b' : 'a') };
      assert.equal((chain.addTransaction(forged, NOW) as { reason: string }).reason, 'bad-signature');
      const other = signTransaction({
        genesisHash: vectors.networks.default.genesis.currentHash,
        secretKey: SEED,
        content: 'x',
        timestamp: NOW,
        ed25519: nodeEd25519,
      });
      assert.equal((chain.addTransaction(other, NOW) as { reason: string }).reason, 'bad-signature');
      const small = await ChainState.open({ params: TEST_SIGNED, poolCap: 2, ed25519: nodeEd25519 });
      const mk = (c: string) =>
        signTransaction({ genesisHash: small.genesisHash, secretKey: SEED, content: c, timestamp: NOW, ed25519: nodeEd25519 });
      assert.ok(small.addTransaction(mk('1'), NOW).ok);
      assert.ok(small.addTransaction(mk('2'), NOW).ok);
      assert.equal((small.addTransaction(mk('3'), NOW) as { reason: string }).reason, 'pool-full');
      assert.equal(small.pool.size, 2);
    });

    it('classic network: no signature', async () => {
      const c = await openChain(TEST_CLASSIC);
      assert.ok(c.addTransaction({ sender: 'abcd1234', content: 'hi', timestamp: NOW }, NOW).ok);
      assert.equal(
        (c.addTransaction({ sender: 'abcd1234', content: 'hi', timestamp: NOW }, NOW) as { reason: string }).reason,
        'duplicate',
      );
    });

    it('a rejected transaction changes nothing', () => {
      const v = chain.version;
      chain.addTransaction({ nonsense: true }, NOW);
      assert.equal(chain.version, v);
      assert.equal(chain.pool.size, 0);
    });

    it('prunePool drops what turned stale', () => {
      assert.ok(chain.addTransaction(sign('old', NOW - 1000), NOW).ok);
      assert.ok(chain.addTransaction(sign('new', NOW), NOW).ok);
      const dropped = chain.prunePool(NOW - 1000 + TEST_SIGNED.txTtlMs);
      assert.equal(dropped.length, 1);
      assert.equal(chain.pool.size, 1);
    });
  });
});
