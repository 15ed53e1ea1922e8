import assert from 'node:assert/strict';
import type { Block } from '@chain/core';
import { GatedStore } from '@chain/testkit';
import { TEST_CLASSIC, buildOn, makeTx, openChain } from './helpers';

const NOW = 1767225600000 + 100_000;

describe('addBlock onValid', () => {
  it('hears a valid block before it is stored, with whether it extends the tip; the chain changes only once it is stored', async () => {
    const store = new GatedStore();
    const chain = await openChain(TEST_CLASSIC, store);
    const genesis = chain.tip.hash;
    const block = buildOn(chain, genesis, [makeTx(chain, NOW)], NOW);
    const heard: [string, boolean, number][] = [];
    store.gated = true;
    const adding = chain.addBlock(block, NOW, { onValid: (b, extendsTip) => heard.push([b.currentHash, extendsTip, store.held.length]) });
    while (store.held.length === 0) await new Promise((r) => setImmediate(r));
    // Heard before the store was asked (nothing held at the time); the tip has not moved yet.
    assert.deepEqual(heard, [[block.currentHash, true, 0]]);
    assert.equal(chain.tip.hash, genesis);
    store.held.shift()!();
    const r = await adding;
    assert.ok(r.ok && r.status === 'extended');
    assert.equal(chain.tip.hash, block.currentHash);
  });

  it('says false for a valid block on a side branch, and is not called for a refused or known block', async () => {
    const chain = await openChain(TEST_CLASSIC);
    const genesis = chain.tip.hash;
    const a = buildOn(chain, genesis, [makeTx(chain, NOW, 'a')], NOW);
    const b = buildOn(chain, genesis, [makeTx(chain, NOW, 'b')], NOW + 1);
    const heard: boolean[] = [];
    const onValid = (_: Block, extendsTip: boolean) => heard.push(extendsTip);
    assert.ok((await chain.addBlock(a, NOW, { onValid })).ok);
    const side = await chain.addBlock(b, NOW + 1, { onValid });
    assert.ok(side.ok && side.status === 'side');
    assert.deepEqual(heard, [true, false]);
    const known = await chain.addBlock(a, NOW, { onValid });
    assert.ok(known.ok && known.status === 'known');
    const tampered = { ...b, proof: b.proof + 1 };
    const refused = await chain.addBlock(tampered, NOW + 1, { onValid });
    assert.equal(refused.ok, false);
    assert.deepEqual(heard, [true, false]);
  });
});
