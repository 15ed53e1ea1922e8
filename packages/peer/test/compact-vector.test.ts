import assert from 'node:assert/strict';
import { ChainState, PRESETS, shortTxId, type Block, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { encodeRequest } from '@chain/protocol';
import { specVectors } from '@chain/testkit';
import { CompactReceiver } from '../src/compact/receiver';
import { factsAfterStored } from '../src/retarget-view';
import { compactOf } from './compact-fixtures';

/** The worked example of docs/spec.md §8.4: block 2 of the `default` vectors. */
const HEADER = {
  index: 2,
  timestamp: 1767225602000,
  previousHash: '10bc5b3f70b754e2cfc9970878a7e533e977f2962958e3e6ef9942b4669d1ffd',
  txRoot: '5080791eef934f4aeb9381b2d0c8a0d1f1cff09241ed2c7352216771215d7dff',
  proof: 20349,
  currentHash: '1f093d6bb144b92cc8e95cda643311c71fae27a908769f077051f3d2a25e6f33',
  txCount: 2,
};
const SHORT_HASHES = [
  '1bdef94df2fa71b0975f356196cddea9770489e5c7762db994028b5924cb96d6',
  '0208f8f22de32f3c782af7696f5e47333528198eb1a3ab8cb0f4589a12a9aa2b',
];
const SHORT = ['1bdef94df2fa', '0208f8f22de3'];
const CB_FRAME_BYTES = 359;

interface Vectors {
  networks: { default: { blocks: { block: Block }[]; transactions: { tx: Transaction; id: string }[] } };
}

describe('compact blocks: the worked example of the specification', () => {
  const v = specVectors<Vectors>().networks.default;
  const block = (v.blocks[0] as { block: Block }).block;
  const genesisHash = HEADER.previousHash; // block 2's parent is the genesis

  it('the header, the short ids and the cb frame of block 2', () => {
    const cb = compactOf(PRESETS.default, genesisHash, block);
    assert.deepEqual(cb, { header: HEADER, short: SHORT });
    const ids = v.transactions.slice(0, 2).map((t) => t.id);
    assert.deepEqual(
      ids.map((id) => shortTxId(block.currentHash, id)),
      SHORT_HASHES.map((h) => h.slice(0, 12)),
    );
    assert.equal(encodeRequest('cb', cb).length, CB_FRAME_BYTES);
  });

  it('a receiver holding the first transaction answers Missing [1], and bt with the second completes the block', async () => {
    const now = block.timestamp + 1000;
    const chain = await ChainState.open({ params: 'default', ed25519: nodeEd25519 });
    const first = (v.transactions[0] as { tx: Transaction }).tx;
    assert.equal(chain.addTransaction(first, now).ok, true);
    const receiver = new CompactReceiver({
      params: chain.params,
      genesisHash: chain.genesisHash,
      now: () => now,
      tipIndex: () => chain.tip.index,
      meta: (h) => chain.meta(h),
      retarget: (h) => factsAfterStored(chain, h),
      invalidReason: (h) => chain.invalidReason(h),
      pool: () => chain.pool.values(),
      accept: (blocks, _s, o) => chain.addBlocks(blocks, now, o),
      shortId: shortTxId,
    });
    const from = { connectionId: 1, source: { kind: 'remote' } as const };
    assert.deepEqual((await receiver.compact({ header: HEADER, short: SHORT }, from)).reply, { status: 'Missing', missing: [1] });
    const second = (v.transactions[1] as { tx: Transaction }).tx;
    assert.deepEqual((await receiver.missing({ hash: HEADER.currentHash, txs: [second] }, from)).reply, { status: 'Accepted' });
    assert.equal(chain.tip.hash, HEADER.currentHash);
  });
});
