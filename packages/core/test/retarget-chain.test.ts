import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ChainState,
  MemoryBlockStore,
  createClassicTransaction,
  createTemplate,
  hashMeetsTarget,
  medianTimePast,
  metaOf,
  nextTarget,
  powHash,
  retargetFacts,
  sealBlock,
  targetFromDifficulty,
  targetFromHex,
  txId,
  workOfTarget,
  type Block,
  type BlockMeta,
  type ChainView,
  type NetworkParams,
} from '@chain/core';
import { EASY_CLASSIC, easyNetwork, mineToTarget } from '@chain/testkit';

/** Classic transactions, the bound rule, a target that moves fast: blocks cost about 256 hashes. */
const RETARGETING: NetworkParams = easyNetwork(EASY_CLASSIC, {
  name: 'test-retarget',
  pow: 'bound',
  retarget: { targetBlockMs: 1000, halfLifeMs: 4000, initialTarget: '00ff' + 'f'.repeat(60) },
});
const T0 = RETARGETING.genesisTime;
const NOW = T0 + 10_000_000;

let counter = 0;
/** A block on `parent` at `timestamp` holding one new transaction, sealed under `target`. */
function blockOn(chain: ChainState, parent: BlockMeta, timestamp: number, target: bigint): Block {
  const tx = createClassicTransaction('abcd1234', { content: `tx ${++counter}`, timestamp });
  const template = createTemplate(parent, [tx], [txId(chain.genesisHash, tx)], timestamp, 'classic');
  return mineToTarget(chain.params, template, target);
}

const open = (store = new MemoryBlockStore()) => ChainState.open({ params: RETARGETING, store });

/** The reference: every block's chain walked from the genesis with maps, as the specification reads. */
class Reference {
  readonly metas = new Map<string, BlockMeta>();
  readonly work = new Map<string, bigint>();
  best: BlockMeta;

  constructor(genesis: BlockMeta) {
    this.metas.set(genesis.hash, genesis);
    this.work.set(genesis.hash, 0n);
    this.best = genesis;
  }

  chainOf(m: BlockMeta): BlockMeta[] {
    const out = [m];
    while ((out[out.length - 1] as BlockMeta).index > 1)
      out.push(this.metas.get((out[out.length - 1] as BlockMeta).previousHash) as BlockMeta);
    return out;
  }

  targetAfter(parent: BlockMeta): bigint {
    const chain = this.chainOf(parent);
    const anchor = chain.find((m) => m.index === 2) ?? parent;
    return nextTarget(RETARGETING, { parentIndex: parent.index, parentTimestamp: parent.timestamp, anchorTimestamp: anchor.timestamp });
  }

  medianAfter(parent: BlockMeta): number {
    return medianTimePast(
      this.chainOf(parent)
        .slice(0, 11)
        .map((m) => m.timestamp),
    );
  }

  add(m: BlockMeta): void {
    const parent = this.metas.get(m.previousHash) as BlockMeta;
    this.metas.set(m.hash, m);
    const w = (this.work.get(parent.hash) as bigint) + workOfTarget(this.targetAfter(parent));
    this.work.set(m.hash, w);
    // Strictly more: at equal work the chain seen first stays.
    if (w > (this.work.get(this.best.hash) as bigint)) this.best = m;
  }
}

describe('chain state on a retargeting network (docs/spec.md §9)', () => {
  it('refuses a proof that meets the limit but not the block’s target', async () => {
    const chain = await open();
    const tx = createClassicTransaction('abcd1234', { content: 'limit only', timestamp: T0 + 1 });
    const t = createTemplate(metaOf(chain.genesis), [tx], [txId(chain.genesisHash, tx)], T0 + 1, 'classic');
    const target = chain.targetAfter();
    assert.equal(target, targetFromHex(RETARGETING.retarget!.initialTarget));
    let proof = 0;
    for (; ; proof++) {
      const h = powHash({ rule: 'bound', templateHash: t.templateHash, proof, previousProof: t.previousProof });
      if (hashMeetsTarget(h, targetFromDifficulty(1)) && !hashMeetsTarget(h, target)) break;
    }
    const r = await chain.addBlock(sealBlock(t, proof), NOW);
    assert.ok(!r.ok && r.reason === 'bad-pow', JSON.stringify(r));
    assert.match(r.message, /above the block's target 00ff/);
    const good = await chain.addBlock(mineToTarget(RETARGETING, t, target), NOW);
    assert.ok(good.ok && good.status === 'extended');
  });

  it('refuses a block not after the median time past, and templates step past it', async () => {
    const chain = await open();
    const atGenesis = blockOn(chain, metaOf(chain.genesis), T0, chain.targetAfter());
    const r = await chain.addBlock(atGenesis, NOW);
    assert.ok(!r.ok && r.reason === 'bad-timestamp', JSON.stringify(r));
    assert.match(r.message, /median time past 1767225600000/);
    chain.addTransaction(createClassicTransaction('abcd1234', { content: 'pooled', timestamp: T0 - 5 }), T0);
    assert.equal(chain.template(T0 - 5)?.timestamp, T0 + 1);
  });

  it('a fixed network keeps its difficulty’s target and its templates’ times', async () => {
    const chain = await ChainState.open({ params: EASY_CLASSIC });
    assert.equal(chain.targetAfter(), targetFromDifficulty(1));
    chain.addTransaction(createClassicTransaction('abcd1234', { content: 'pooled', timestamp: T0 - 5 }), T0);
    assert.equal(chain.template(T0 - 5)?.timestamp, T0);
    assert.throws(() => chain.targetAfter('00'.repeat(32)), /not known/);
  });

  it('follows the most work, the first seen at equal work, singly, in runs and after a restart', async () => {
    const step = fc.record({ parent: fc.nat(), dt: fc.integer({ min: 0, max: 2500 }), run: fc.integer({ min: 1, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const store = new MemoryBlockStore();
        const chain = await open(store);
        const ref = new Reference(metaOf(chain.genesis));
        const known: BlockMeta[] = [metaOf(chain.genesis)];
        for (const s of steps) {
          let parent = known[s.parent % known.length] as BlockMeta;
          const run: Block[] = [];
          for (let k = 0; k < s.run; k++) {
            const timestamp = Math.max(parent.timestamp + s.dt, ref.medianAfter(parent) + 1);
            const block = blockOn(chain, parent, timestamp, ref.targetAfter(parent));
            run.push(block);
            parent = metaOf(block);
            ref.metas.set(parent.hash, parent); // the next block of the run is built on it
          }
          const results = await chain.addBlocks(run, NOW);
          for (const r of results) assert.ok(r.ok, JSON.stringify(r));
          for (const b of run) {
            ref.metas.delete(b.currentHash);
            ref.add(metaOf(b));
            known.push(metaOf(b));
          }
          assert.equal(chain.tip.hash, ref.best.hash, 'tip after a step');
          assert.equal(chain.targetAfter(), ref.targetAfter(ref.best));
        }
        const reopened = await open(store);
        assert.equal(ref.work.get(reopened.tip.hash), ref.work.get(ref.best.hash), 'most work after a restart');
      }),
      { numRuns: 40 },
    );
  });

  it('retargetFacts reads headers not yet held as the chain would after taking them', async () => {
    const chain = await open();
    const headers = new Map<string, BlockMeta>();
    const view: ChainView = {
      get: (hash) => headers.get(hash) ?? chain.meta(hash),
      onBest: (hash) => !headers.has(hash) && chain.onBestChain(hash),
      hashAt: (height) => chain.hashAt(height),
    };
    let parent = metaOf(chain.genesis);
    const blocks: Block[] = [];
    for (let i = 0; i < 14; i++) {
      const facts = retargetFacts(RETARGETING, view, parent)!;
      // 400 to 1600 ms apart around the 1000 aimed at: the target moves both ways.
      const block = blockOn(chain, parent, parent.timestamp + 400 * (1 + (i % 4)), facts.target);
      blocks.push(block);
      parent = metaOf(block);
      headers.set(parent.hash, parent);
    }
    const expected = retargetFacts(RETARGETING, view, parent)!;
    for (const b of blocks) assert.ok((await chain.addBlock(b, NOW)).ok);
    headers.clear();
    assert.deepEqual(retargetFacts(RETARGETING, view, chain.tip), expected);
    assert.equal(chain.targetAfter(), expected.target);
    assert.equal(retargetFacts(EASY_CLASSIC, view, chain.tip), undefined);
  });
});
