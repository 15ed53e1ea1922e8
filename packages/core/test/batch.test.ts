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
    const b = buildOn(
      source,
      parent,
      Array.from({ length: txs }, (_, k) => makeTx(source, ts, `${tag} ${i} ${k}`)),
      ts,
    );
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
    const calls: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = chain.addTransaction(bad, now);
      assert.equal(!r.ok && r.reason, 'bad-signature');
      calls.push(ed.calls);
    }
    assert.equal(calls[1], 2 * (calls[0] as number), 'the second attempt verifies again, as the first did');
  });

  it('addBlocks stores a run that extends the tip together, with the same result as one by one', async () => {
    const helper = await ChainState.open({ params: TEST_SIGNED, ed25519: nodeEd25519 });
    const blocks = chainOf(helper, 20);
    const store = new CountingStore();
    const ed = counting();
    const chain = await ChainState.open({ params: TEST_SIGNED, store, ed25519: ed });
    const results = await chain.addBlocks(blocks, now);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.ok && r.status === 'extended'));
    assert.equal(chain.height, 21);
    assert.equal(chain.tip.hash, blocks[19]!.currentHash);
    assert.equal(store.maxInFlight, 20, 'all puts were waiting together');
    assert.equal(ed.calls, 40);
    const one = await ChainState.open({ params: TEST_SIGNED, ed25519: nodeEd25519 });
    for (const b of blocks) assert.ok((await one.addBlock(b, now)).ok);
    assert.deepEqual(one.locator(), chain.locator());
    // Known blocks are skipped, then the run goes on.
    const more = chainOf(helper, 23).slice(20);
    const again = await chain.addBlocks([...blocks.slice(15), ...more], now);
    assert.deepEqual(
      again.map((r) => r.ok && r.status),
      ['known', 'known', 'known', 'known', 'known', 'extended', 'extended', 'extended'],
    );
    assert.equal(chain.height, 24);
  });

  it('addBlocks stops at the first invalid block and keeps the ones before it', async () => {
    const helper = await ChainState.open({ params: TEST_SIGNED, ed25519: nodeEd25519 });
    const blocks = chainOf(helper, 6);
    // Block 4 repeats a transaction of block 2: invalid, and so is everything after it.
    const ts = now - 50_000 + 3;
    const dup = buildOn(helper, blocks[2]!, [blocks[1]!.transactions[0]!], ts);
    const after = buildOn(helper, dup, [makeTx(helper, ts, 'after')], ts);
    const chain = await ChainState.open({ params: TEST_SIGNED, ed25519: nodeEd25519 });
    const results = await chain.addBlocks([...blocks.slice(0, 3), dup, after], now);
    assert.equal(results.length, 4);
    assert.ok(results.slice(0, 3).every((r) => r.ok && r.status === 'extended'));
    const last = results[3]!;
    assert.equal(!last.ok && last.reason, 'bad-transactions');
    assert.equal(chain.height, 4);
    assert.equal(chain.invalidReason(dup.currentHash)?.reason, 'bad-transactions');
  });
});
