import assert from 'node:assert/strict';
import {
  ChainState,
  MemoryBlockStore,
  blockHash,
  meetsDifficulty,
  powHash,
  templateHash,
  txRoot,
  type Block,
  type Ed25519,
  type NetworkParams,
  UNREQUESTED_DEPTH,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { easyNetwork } from '@chain/testkit';
import { TEST_CLASSIC, TEST_SIGNED, buildOn, makeTx } from './helpers';

const T0 = 1767225600000;
/** Two minutes between blocks: 40 blocks span more than the hour's TTL. */
const STEP = 120_000;

/** A memory store that counts the blocks read from it. */
class CountingStore extends MemoryBlockStore {
  reads = 0;
  override async get(hash: string): Promise<Block | undefined> {
    this.reads++;
    return super.get(hash);
  }
}

/** node:crypto's Ed25519, counting verifications. */
function countingEd25519(): Ed25519 & { calls: number } {
  const ed = { calls: 0, sign: nodeEd25519.sign, publicKey: nodeEd25519.publicKey } as Ed25519 & { calls: number };
  ed.verify = (s, m, k) => {
    ed.calls++;
    return nodeEd25519.verify(s, m, k);
  };
  return ed;
}

/** `b` with another proof that fails and its hash made right again: only the proof of work is wrong. */
function withBadProof(params: NetworkParams, genesisHash: string, b: Block, previousProof: number): Block {
  const root = txRoot(params.txFormat, genesisHash, b.transactions);
  const th = templateHash(b.index, b.timestamp, b.previousHash, root);
  let proof = b.proof + 1;
  while (meetsDifficulty(powHash({ rule: params.pow, templateHash: th, proof, previousProof }), params.difficulty)) proof++;
  return { ...b, proof, currentHash: blockHash(b.index, b.timestamp, b.previousHash, root, proof) };
}

async function longChain(params: NetworkParams, n: number, ed25519: Ed25519 = nodeEd25519) {
  const store = new CountingStore();
  const chain = await ChainState.open({ params, store, ed25519 });
  const blocks: Block[] = [];
  let parent: Block = chain.genesis;
  for (let i = 0; i < n; i++) {
    const ts = T0 + (i + 1) * STEP;
    parent = buildOn(chain, parent, [makeTx(chain, ts, `long ${i}`)], ts);
    blocks.push(parent);
  }
  const r = await chain.addBlocks(blocks, T0 + (n + 1) * STEP);
  assert.ok(r.every((x) => x.ok));
  return { chain, store, blocks, now: T0 + (n + 1) * STEP };
}

describe('block checks: cheap first', () => {
  it('a bad proof on an hour-old parent is refused without reading one ancestor; a good one on it reads them', async () => {
    const { chain, store, blocks, now } = await longChain(TEST_CLASSIC, 40);
    const old = blocks[4] as Block;
    const ts = old.timestamp + 1;
    const good = buildOn(chain, old, [makeTx(chain, ts, 'on an old parent')], ts);
    const bad = withBadProof(chain.params, chain.genesisHash, good, old.proof);
    store.reads = 0;
    const r = await chain.addBlock(bad, now);
    assert.equal(!r.ok && r.reason, 'bad-pow');
    assert.equal(store.reads, 0, 'no ancestor read before the proof of work');
    const ok = await chain.addBlock(good, now);
    assert.equal(ok.ok && ok.status, 'side');
    assert.ok(store.reads > 0, 'the valid block on it does read its ancestors (the counter counts)');
  });

  it('signatures are checked only after the parent and the proof: an unknown parent or a bad proof costs none', async () => {
    const ed = countingEd25519();
    const params = easyNetwork(TEST_SIGNED, { name: 'check-order', maxTxPerBlock: 500 });
    const { chain, blocks, now } = await longChain(params, 3, ed);
    const tip = blocks[2] as Block;
    const ts = tip.timestamp + 1;
    const forged = Array.from({ length: 500 }, (_, i) => ({ ...makeTx(chain, ts, `forged ${i}`), signature: 'ab'.repeat(64) }));
    const block = buildOn(chain, tip, forged, ts);
    const orphan = { ...block, previousHash: 'cd'.repeat(32) };
    ed.calls = 0;
    const r1 = await chain.addBlock(orphan, now);
    assert.equal(!r1.ok && r1.reason, 'unknown-parent');
    const r2 = await chain.addBlock(withBadProof(params, chain.genesisHash, block, tip.proof), now);
    assert.equal(!r2.ok && r2.reason, 'bad-pow');
    assert.equal(ed.calls, 0, 'no signature verified');
    const r3 = await chain.addBlock(block, now);
    assert.equal(!r3.ok && r3.reason, 'bad-transactions');
    assert.equal(ed.calls, 1, 'the first forged signature ends it');
  });

  it('an announced block deep below the tip is refused stale, not stored and not remembered; fetched, it joins a side branch', async () => {
    const { chain, store, blocks, now } = await longChain(TEST_CLASSIC, UNREQUESTED_DEPTH + 5);
    const parent = blocks[2] as Block; // the block on it would be at height 5, the tip is at UNREQUESTED_DEPTH + 6
    const ts = parent.timestamp + 1;
    const side = buildOn(chain, parent, [makeTx(chain, ts, 'late')], ts);
    const before = store.size;
    const r = await chain.addBlock(side, now, { unrequested: true });
    assert.equal(!r.ok && r.reason, 'stale');
    assert.equal(store.size, before, 'not stored');
    assert.equal(chain.invalidReason(side.currentHash), undefined, 'not remembered as invalid');
    assert.equal(chain.sideBlockCount, 0);
    // Within UNREQUESTED_DEPTH of the tip it may be a branch being published: announced, it is kept.
    const near = blocks[6] as Block; // the block on it at height 9: UNREQUESTED_DEPTH - 3 below the tip
    const rival = buildOn(chain, near, [makeTx(chain, now, 'rival')], now);
    assert.equal(((await chain.addBlock(rival, now, { unrequested: true })) as { status?: string }).status, 'side');
    // The same late block fetched by a sync is stored.
    const fetched = await chain.addBlocks([side], now);
    assert.equal(fetched[0]?.ok && fetched[0].status, 'side');
    // Known blocks are answered known, announced or not.
    const again = await chain.addBlock(side, now, { unrequested: true });
    assert.equal(again.ok && again.status, 'known');
  });

  it('locatorFrom walks a side branch down to the best chain, then the best chain by height', async () => {
    const { chain, blocks, now } = await longChain(TEST_CLASSIC, 40);
    let parent = blocks[29] as Block; // height 31
    const side: Block[] = [];
    for (let i = 0; i < 9; i++) {
      const ts = parent.timestamp + 1;
      parent = buildOn(chain, parent, [makeTx(chain, ts, `side ${i}`)], ts);
      side.push(parent);
    }
    assert.ok((await chain.addBlocks(side, now)).every((r) => r.ok));
    assert.equal(chain.height, 41);
    const top = side[8] as Block; // height 40, below the tip
    const locator = chain.locatorFrom(top.currentHash) as string[];
    const height = new Map([...side, ...blocks].map((b) => [b.currentHash, b.index]));
    assert.deepEqual(
      locator.map((h) => (h === chain.genesisHash ? 1 : height.get(h))),
      [40, 39, 38, 36, 32, 24, 8, 1],
    );
    assert.ok(
      locator.slice(0, 5).every((h) => side.some((b) => b.currentHash === h)),
      'the branch itself',
    );
    assert.deepEqual(locator.slice(5), [chain.hashAt(24), chain.hashAt(8), chain.genesisHash], 'then the best chain');
    assert.equal(chain.locatorFrom('ef'.repeat(32)), undefined);
    assert.deepEqual(chain.locatorFrom(chain.tip.hash), chain.locator());
  });
});
