import assert from 'node:assert/strict';
import { createClassicTransaction, type Block } from '@chain/core';
import { tmpDir } from '@chain/testkit';
import { BlockCache } from '../src/storage/block-cache';
import { DEFAULT_CACHE_BYTES, DiskBlockStore } from '../src/storage/block-log';

const hex = (n: number): string => n.toString(16).padStart(64, '0');

/** A block record of `txs` transactions (the store checks nothing: only validated blocks reach it). */
function block(n: number, txs: number): Block {
  return {
    index: n + 1,
    timestamp: 1767225600000 + n,
    previousHash: hex(n),
    currentHash: hex(n + 1),
    proof: n,
    transactions: Array.from({ length: txs }, (_, i) =>
      createClassicTransaction('abcd1234', { content: `b${n}t${i}`, timestamp: 1767225600000 + n }),
    ),
  } as Block;
}

const jsonBytes = (b: Block): number => Buffer.byteLength(JSON.stringify(b));

describe('block read cache, bounded by bytes', () => {
  it('keeps the most recently used blocks within its budget of JSON bytes; a block larger than the budget is not cached', () => {
    const cache = new BlockCache(1000);
    const b = [block(0, 1), block(1, 1), block(2, 1), block(3, 40)];
    cache.set('a', b[0]!, 400);
    cache.set('b', b[1]!, 400);
    assert.equal(cache.get('a'), b[0]); // now the most recent
    cache.set('c', b[2]!, 400); // 1200 > 1000: b goes
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.bytes, 800);
    cache.set('a', b[0]!, 100); // again, with its size: replaced
    assert.equal(cache.bytes, 500);
    cache.set('d', b[3]!, 1001);
    assert.equal(cache.get('d'), undefined);
    assert.equal(cache.bytes, 500);
    assert.equal(cache.size, 2);
    assert.throws(() => new BlockCache(-1), RangeError);
  });

  it('the disk store caches by JSON bytes (4 MiB by default, set by open), reads back what it dropped, and caches no block larger than the budget', async () => {
    const dir = tmpDir();
    const blocks = Array.from({ length: 12 }, (_, n) => block(n, 30));
    const size = jsonBytes(blocks[11]!);
    const store = await DiskBlockStore.open(dir, { cacheBytes: 3 * size + 10 });
    for (const b of blocks) await store.put(b);
    assert.deepEqual(store.cached, { blocks: 3, bytes: blocks.slice(9).reduce((sum, b) => sum + jsonBytes(b), 0) });
    // The three newest are the very objects stored; an older one is parsed from disk again.
    for (const b of blocks.slice(9)) assert.equal(await store.get(b.currentHash), b);
    const old = (await store.get(blocks[0]!.currentHash)) as Block;
    assert.notEqual(old, blocks[0]);
    assert.deepEqual(old, blocks[0]);
    assert.equal(await store.get(blocks[0]!.currentHash), old, 'cached once read');
    assert.ok(store.cached.bytes <= 3 * size + 10);
    const big = block(20, 200);
    await store.put(big);
    assert.ok(store.cached.blocks <= 3);
    assert.notEqual(await store.get(big.currentHash), big, 'a block above the budget is never cached');
    await store.close();

    const none = await DiskBlockStore.open(dir, { cacheBytes: 0 });
    await none.get(blocks[5]!.currentHash);
    assert.deepEqual(none.cached, { blocks: 0, bytes: 0 });
    await none.close();
    const fresh = await DiskBlockStore.open(dir);
    for (const b of blocks) await fresh.get(b.currentHash);
    assert.equal(fresh.cached.blocks, 12, `12 small blocks fit in ${DEFAULT_CACHE_BYTES} bytes`);
    await fresh.close();
    await assert.rejects(DiskBlockStore.open(dir, { cacheBytes: 1.5 }), RangeError);
  });
});
