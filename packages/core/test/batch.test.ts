import assert from 'node:assert/strict';
import { ChainState, MemoryBlockStore, type Block, type BlockStore, type Ed25519 } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { TEST_SIGNED, buildOn, makeTx } from './helpers';

const T0 = 1767225600000;
const now = T0 + 100_000;

function counting(): Ed25519 & { calls: number } {
  const ed = {
    calls: 0,
    verify(sig: Uint8Array, msg: Uint8Array, key: Uint8Array) {
      ed.calls++;
      return nodeEd25519.verify(sig, msg, key);
    },
    sign: nodeEd25519.sign,
    publicKey: nodeEd25519.publicKey,
  };
  return ed;
}

/** A store that counts how many puts were waiting at once (group commit opportunities). */
class CountingStore extends MemoryBlockStore implements BlockStore {
  inFlight = 0;
  maxInFlight = 0;
  override async put(block: Block): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setImmediate(r));
    await super.put(block);
    this.inFlight--;
  }
}

function chainOf(source: ChainState, n: number, txs = 2, tag = 'c'): Block[] {
  const out: Block[] = [];
  let parent: string | Block = source.genesisHash;
  for (let i = 0; i < n; i++) {
    const ts = now - 50_000 + i;
    const b = buildOn(source, parent, Array.from({ length: txs }, (_, k) => makeTx(source, ts, `${tag} ${i} ${k}`)), ts);
    out.push(b);
    parent = b;
  }
  return out;
}

describe('chain state: signatures verified once, blocks in batches', () => {
  it('a transaction verified in a block is not verified again when it arrives later', async () => {
    const ed = counting();
    const chain = await ChainState.open({ params: TEST_SIGNED, ed25519: ed });
    const helper = await ChainState.open({ params: TEST_SIGNED, ed25519: nodeEd25519 });
    const tx = makeTx(helper, now - 1000, 'late gossip');
    const [b2] = [buildOn(helper, helper.genesisHash, [tx], now - 500)];
    // A competing block at the same height holding the same transaction: the first wins.
    const other = buildOn(helper, helper.genesisHash, [tx, makeTx(helper, now - 900, 'other')], now - 400);
    assert.ok((await chain.addBlock(b2, now)).ok);
    assert.equal(ed.calls, 1);
    const side = await chain.addBlock(other, now);
    assert.ok(side.ok && side.status === 'side');
    assert.equal(ed.calls, 2, 'only the new transaction of the side block is verified');
    const again = chain.addTransaction(tx, now);
    assert.equal(!again.ok && again.reason, 'duplicate');
    assert.equal(ed.calls, 2);
  });

  it('a bad signature is never remembered as verified', async () => {
    const ed = counting();
    const chain = await ChainState.open({ params: TEST_SIGNED, ed25519: ed });
    const tx = makeTx(chain, now, 'tampered') as { signature: string };
    const bad = { ...tx, signature: (tx.signature[0] === '0' ? '1' : '0') + tx.signature.slice(1) };
    for (let i = 0; i < 2; i++) {
      const r = chain.addTransaction(bad, now);
      assert.equal(!r.ok && r.reason, 'bad-signature');
    }
    assert.equal(ed.calls, 2);
  });
});
