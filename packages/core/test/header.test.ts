import assert from 'node:assert/strict';
import { checkHeader, headerOf, identifyHeader, metaOf, shortTxId, txId } from '@chain/core';
import { TEST_SIGNED, buildOn, makeTx, openChain } from './helpers';

describe('block headers (protocol 1.2)', () => {
  it('a header hashes to its block, and its proof of work is checked from the header alone', async () => {
    const chain = await openChain(TEST_SIGNED);
    const now = chain.genesis.timestamp + 10_000;
    const block = buildOn(chain, chain.genesis, [makeTx(chain, now), makeTx(chain, now)], now);
    const ids = block.transactions.map((tx) => txId(chain.genesisHash, tx));
    const h = headerOf(block, ids, 'signed');
    assert.equal(h.txCount, 2);
    const id = identifyHeader(h, TEST_SIGNED.maxTxPerBlock);
    assert.ok(id.ok);
    assert.equal(id.hash, block.currentHash);
    assert.deepEqual(checkHeader(id, metaOf(chain.genesis), { params: TEST_SIGNED, now }), { ok: true });
    // Any hashed field changed with the claimed hash kept: bad-hash.
    for (const f of ['index', 'timestamp', 'proof', 'txCount'] as const) {
      const r = identifyHeader({ ...h, [f]: h[f] + 1 }, TEST_SIGNED.maxTxPerBlock);
      if (f === 'txCount') assert.ok(r.ok, 'the count is not hashed: the short ids must match it');
      else assert.equal(!r.ok && r.reason, 'bad-hash', f);
    }
    assert.equal((identifyHeader({ ...h, txRoot: 'ab'.repeat(32) }, 50) as { reason?: string }).reason, 'bad-hash');
    assert.equal((identifyHeader({ ...h, txCount: 0 }, 50) as { reason?: string }).reason, 'empty-block');
    assert.equal((identifyHeader({ ...h, txCount: 51 }, 50) as { reason?: string }).reason, 'too-many-transactions');
  });

  it('short ids are keyed by the block hash: the same transaction has another short id in another block', () => {
    const tx = 'cd'.repeat(32);
    const a = shortTxId('ab'.repeat(32), tx);
    assert.match(a, /^[0-9a-f]{12}$/);
    assert.notEqual(a, shortTxId('ac'.repeat(32), tx));
    assert.equal(a, shortTxId('ab'.repeat(32), tx));
  });
});
