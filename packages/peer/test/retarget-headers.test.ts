import assert from 'node:assert/strict';
import { ChainState, targetFromHex, type Block } from '@chain/core';
import { CompactReceiver, type From } from '../src/compact/receiver';
import { HeaderChain } from '../src/headers/header-chain';
import { preverifyBlocks } from '../src/preverify';
import { factsAfterStored } from '../src/retarget-view';
import { VerifyPool } from '../src/verify-pool';
import { compactOf } from './compact-fixtures';
import { chainWith, headersOf } from './headers-fixtures';
import { RETARGET_NET, RETARGET_SIGNED, nextBlockOn, retargetChain, targetAfter, weakBlockOn } from './retarget-fixtures';

const P = RETARGET_NET;
const now = () => Date.now();
const FROM: From = { connectionId: 1, source: { kind: 'neighbour', address: '127.0.0.1:7001' } };

/** A receiver of compact blocks on `chain`, as the peer's handlers make it. */
function receiverOn(chain: ChainState, accepted: Block[][]): CompactReceiver {
  return new CompactReceiver({
    params: chain.params,
    genesisHash: chain.genesisHash,
    now,
    tipIndex: () => chain.tip.index,
    meta: (h) => chain.meta(h),
    retarget: (h) => factsAfterStored(chain, h),
    invalidReason: (h) => chain.invalidReason(h),
    pool: () => chain.pool.values(),
    accept: (blocks, _source, o) => (accepted.push([...blocks]), chain.addBlocks(blocks, now(), o)),
    shortId: (hash, id) => `${hash.slice(0, 6)}${id.slice(0, 6)}`,
  });
}

describe('header checks before ChainState on a retargeting network', function () {
  this.timeout(30_000);
  // 24 blocks a quarter of the interval apart: the target falls well below the initial one.
  const chain = retargetChain(24);
  const headers = headersOf(chain.slice(1), P);
  const weak = weakBlockOn(chain);

  it('the fixture moves the target: its last blocks have a target below the initial one', () => {
    assert.ok(targetAfter(chain) < targetFromHex(P.retarget?.initialTarget as string) / 4n);
  });

  it('headers-first sync keeps headers that meet their targets and refuses one that meets only the limit', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: P }));
    const r = hc.extend([...headers, ...headersOf([weak], P)], now());
    assert.equal(r.added, 24);
    assert.deepEqual([r.stop?.kind, r.stop?.reason], ['invalid', 'bad-pow']);
    assert.match(r.stop?.message ?? '', /above the block's target/);
  });

  it('reads the facts across stored blocks and headers held, after the headers before are stored', async () => {
    const stored = await chainWith(chain.slice(1, 11), P);
    const hc = new HeaderChain(stored);
    assert.deepEqual(hc.extend(headers.slice(10, 18), now()), { added: 8 });
    const r = hc.extend([...headers.slice(18), ...headersOf([weak], P)], now());
    assert.deepEqual([r.added, r.stop?.reason], [6, 'bad-pow']);
  });

  it('a compact block with the wrong target is refused before any transaction is looked for', async () => {
    const stored = await chainWith(chain.slice(1), P);
    const accepted: Block[][] = [];
    const receiver = receiverOn(stored, accepted);
    const refused = await receiver.compact(compactOf(P, stored.genesisHash, weak), FROM);
    assert.deepEqual(refused.reply, { status: 'Rejected', reason: 'bad-pow' });
    assert.equal(receiver.partials.size, 0, 'nothing kept of it');
    // The right target passes the header rules: the block's transaction is then asked for.
    const good = nextBlockOn(chain);
    assert.equal(good.previousHash, stored.tip.hash);
    assert.equal((await receiver.compact(compactOf(P, stored.genesisHash, good), FROM)).reply.status, 'Missing');
    assert.equal(accepted.length, 0);
  });

  it('the verify pre-filter checks signatures up to a block of a batch with the wrong target, none of it or after it', async () => {
    const signed = retargetChain(12, RETARGET_SIGNED);
    const stored = await chainWith(signed.slice(1, 9), RETARGET_SIGNED);
    const pool = new VerifyPool(1);
    try {
      // Blocks 10 to 13 hold one signed transaction each; block 14 has the wrong target, 15 follows it.
      const bad = weakBlockOn(signed, RETARGET_SIGNED);
      const after = nextBlockOn([...signed, bad], RETARGET_SIGNED);
      assert.equal(await preverifyBlocks(pool, stored, [...signed.slice(9), bad, after], 1), 4);
    } finally {
      await pool.close();
    }
  });
});
