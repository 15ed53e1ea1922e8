import assert from 'node:assert/strict';
import { MemoryBlockStore } from '@chain/core';
import { buildOn, makeTx, openChain } from './helpers';

describe('chain state: side blocks', () => {
  const now = 1767225600000 + 100_000;

  it('lists side-branch blocks, abandoned ones too, and keeps them after a restart', async () => {
    const store = new MemoryBlockStore();
    const chain = await openChain(undefined, store);
    assert.deepEqual(chain.sideBlocks(), []);
    const a1 = buildOn(chain, chain.genesisHash, [makeTx(chain, now, 'a1')], now);
    const b1 = buildOn(chain, chain.genesisHash, [makeTx(chain, now, 'b1')], now);
    const b2 = buildOn(chain, b1, [makeTx(chain, now + 1, 'b2')], now + 1);
    assert.ok((await chain.addBlock(a1, now)).ok);
    assert.ok((await chain.addBlock(b1, now)).ok);
    assert.deepEqual(
      chain.sideBlocks().map((m) => m.hash),
      [b1.currentHash],
    );
    const r = await chain.addBlock(b2, now + 1);
    assert.ok(r.ok && r.status === 'reorg');
    // b1 joined the best chain; a1 was abandoned and is a side block now.
    assert.deepEqual(
      chain.sideBlocks().map((m) => [m.hash, m.index]),
      [[a1.currentHash, 2]],
    );
    const reopened = await openChain(undefined, store);
    assert.deepEqual(
      reopened.sideBlocks().map((m) => m.hash),
      [a1.currentHash],
    );
  });
});
