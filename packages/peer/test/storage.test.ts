import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChainState,
  COMP3221_NETWORK,
  createClassicTransaction,
  createTemplate,
  findProof,
  metaOf,
  sealBlock,
  txId,
  type Block,
} from '@chain/core';
import { tmpDir } from '@chain/testkit';
import { DiskBlockStore } from '../src/storage/block-log';
import { PoolJournal } from '../src/storage/pool-journal';
import { RecordFile, StorageCorruptionError } from '../src/storage/record-file';
import { crc32 } from '../src/storage/crc32';

const T = 1767225600000 + 5000;

/** A block log in a new directory holding `n` mined blocks, closed; and the chain that wrote it. */
async function storedChain(n: number): Promise<{ readonly dir: string; readonly chain: ChainState }> {
  const dir = tmpDir();
  const store = await DiskBlockStore.open(dir);
  const chain = await ChainState.open({ params: COMP3221_NETWORK, store });
  for (let i = 0; i < n; i++) {
    const r = chain.addTransaction(createClassicTransaction('abcd1234', { content: `t${chain.height}-${i}`, timestamp: T + i }), T + i);
    assert.ok(r.ok);
    const t = chain.template(T + i)!;
    const proof = findProof({ rule: 'seed', templateHash: t.templateHash, previousProof: t.previousProof, difficulty: 2 })!;
    const added = await chain.addBlock(sealBlock(t, proof), T + i);
    assert.ok(added.ok);
  }
  await store.close();
  return { dir, chain };
}

describe('storage', () => {
  it('crc32 matches the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
    const bytes = Buffer.from('xx123456789yy');
    assert.equal(crc32(bytes, 2, 11), 0xcbf43926, 'a range of the bytes');
  });

  it('reads records that straddle read chunks, whatever the chunk size', async () => {
    const dir = tmpDir();
    const path = join(dir, 'records.log');
    const { file } = await RecordFile.open(path, () => undefined);
    const payloads = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1 + ((i * 37) % 300), i));
    await Promise.all(payloads.map((p) => file.append(p).durable));
    await file.close();
    const size = statSync(path).size;
    const offsets = payloads.map((_, i) => payloads.slice(0, i).reduce((sum, p) => sum + 8 + p.length, 0));
    // Chunks smaller and larger than the records, and than the room kept before each chunk for a record's start.
    for (const chunkBytes of [1, 7, 64, 1000, 1 << 20]) {
      const seen: Buffer[] = [];
      const at: number[] = [];
      const { file: again, torn } = await RecordFile.open(
        path,
        (p, offset, fileSize) => {
          seen.push(Buffer.from(p));
          at.push(offset);
          assert.equal(fileSize, size);
        },
        { chunkBytes },
      );
      await again.close();
      assert.equal(torn, null, `chunk ${chunkBytes}`);
      assert.deepEqual(seen, payloads, `chunk ${chunkBytes}`);
      assert.deepEqual(at, offsets, `chunk ${chunkBytes}`);
    }
  });

  it('reads a record back whatever size it is told to expect, and still checks it', async () => {
    const dir = tmpDir();
    const path = join(dir, 'records.log');
    const { file } = await RecordFile.open(path, () => undefined);
    const payloads = [Buffer.alloc(100, 1), Buffer.alloc(3000, 2), Buffer.alloc(10, 3)];
    const at = await Promise.all(
      payloads.map(async (p) => {
        const { offset, durable } = file.append(p);
        await durable;
        return offset;
      }),
    );
    const size = (i: number) => 8 + (payloads[i] as Buffer).length;
    for (const [i, p] of payloads.entries()) {
      const offset = at[i] as number;
      // Exact, larger (into the next record or past the end), smaller, nonsense, none.
      for (const hint of [size(i), size(i) + 500, size(i) - 1, 5, -40, 0, Number.NaN, 1 << 30]) {
        assert.deepEqual(await file.read(offset, hint), p, `record ${i}, hint ${hint}`);
      }
    }
    const bytes = readFileSync(path);
    const flip = (at[1] as number) + 8 + 1500; // a flipped bit inside the second record
    bytes[flip] = (bytes[flip] as number) ^ 1;
    writeFileSync(path, bytes);
    for (const hint of [size(1), size(1) + 500, 0]) await assert.rejects(file.read(at[1] as number, hint), /checksum mismatch/);
    await file.close();
  });

  it('a chain survives a restart, with the same tip and blocks', async () => {
    const { dir, chain } = await storedChain(12);
    const again = await DiskBlockStore.open(dir);
    assert.equal(again.torn, null);
    const reopened = await ChainState.open({ params: COMP3221_NETWORK, store: again });
    assert.equal(reopened.tip.hash, chain.tip.hash);
    assert.deepEqual(await reopened.blocksFrom(1, 100), await chain.blocksFrom(1, 100));
    await again.close();
  });

  it('the metas come back in storage order after a restart, side branches and their parents included', async () => {
    const dir = tmpDir();
    const store = await DiskBlockStore.open(dir);
    const chain = await ChainState.open({ params: COMP3221_NETWORK, store });
    // Two children of the genesis, a branch on each, stored in an interleaved order.
    const on = (parent: Block, tag: string, dt: number): Block => {
      const tx = createClassicTransaction('abcd1234', { content: tag, timestamp: T + dt });
      const t = createTemplate(metaOf(parent), [tx], [txId(chain.genesisHash, tx)], T + dt, 'classic');
      return sealBlock(t, findProof({ rule: 'seed', templateHash: t.templateHash, previousProof: t.previousProof, difficulty: 2 })!);
    };
    const a2 = on(chain.genesis, 'a2', 1);
    const b2 = on(chain.genesis, 'b2', 2);
    const a3 = on(a2, 'a3', 3);
    const b3 = on(b2, 'b3', 4);
    const b4 = on(b3, 'b4', 5);
    const order = [a2, b2, a3, b3, b4];
    for (const block of order) assert.ok((await chain.addBlock(block, T + 10)).ok);
    await store.put(a3); // known: no second record
    await store.close();
    const again = await DiskBlockStore.open(dir);
    const metas = await again.metas();
    assert.equal(metas.length, order.length);
    order.forEach((block, i) => {
      assert.deepEqual(metas.meta(i), metaOf(block));
      assert.equal(metas.rowOf(block.currentHash), i);
    });
    assert.equal(metas.rowOf(chain.genesisHash), -1);
    const reopened = await ChainState.open({ params: COMP3221_NETWORK, store: again });
    assert.equal(reopened.tip.hash, b4.currentHash);
    assert.deepEqual(
      reopened
        .sideBlocks()
        .map((m) => m.hash)
        .sort(),
      [a2.currentHash, a3.currentHash].sort(),
    );
    assert.deepEqual(reopened.meta(a3.currentHash), metaOf(a3));
    await again.close();
  });

  it('group commit: many concurrent puts share few fsyncs and all become durable', async () => {
    const dir = tmpDir();
    const { journal } = await PoolJournal.open(dir);
    const txs = Array.from({ length: 500 }, (_, i) => createClassicTransaction('abcd1234', { content: `c${i}`, timestamp: T }));
    await Promise.all(txs.map((tx) => journal.append(tx)));
    assert.ok(journal.syncs >= 1 && journal.syncs <= 10, `${journal.syncs} fsyncs for 500 appends`);
    await journal.close();
    const reopened = await PoolJournal.open(dir);
    assert.equal(reopened.torn, null);
    assert.deepEqual(reopened.transactions, txs);
    await reopened.journal.close();
  });

  it('a torn last record is truncated and reported', async () => {
    const { dir, chain } = await storedChain(3);
    const file = join(dir, 'blocks.log');
    const full = statSync(file).size;
    truncateSync(file, full - 10);
    const again = await DiskBlockStore.open(dir);
    assert.ok(again.torn);
    assert.equal(again.torn.file, file);
    assert.equal(again.size, 2);
    assert.equal(statSync(file).size, again.torn.offset);
    const reopened = await ChainState.open({ params: COMP3221_NETWORK, store: again });
    assert.equal(reopened.height, 3);
    assert.equal(reopened.hashAt(3), chain.hashAt(3));
    await again.close();
  });

  it('zeros at the end (a file extended but not written) count as a torn tail', async () => {
    const { dir } = await storedChain(2);
    appendFileSync(join(dir, 'blocks.log'), Buffer.alloc(300));
    const again = await DiskBlockStore.open(dir);
    assert.equal(again.torn?.bytes, 300);
    assert.equal(again.size, 2);
    await again.close();
  });

  it('a corrupted middle record stops with an error naming the file and offset', async () => {
    const { dir } = await storedChain(3);
    const file = join(dir, 'blocks.log');
    const bytes = readFileSync(file);
    const secondRecord = 8 + bytes.readUInt32BE(0);
    bytes[secondRecord + 108] = bytes[secondRecord + 108]! ^ 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(DiskBlockStore.open(dir), (err: unknown) => {
      assert.ok(err instanceof StorageCorruptionError);
      assert.equal(err.file, file);
      assert.equal(err.offset, secondRecord);
      assert.match(err.message, new RegExp(`blocks.log: corrupt record at byte offset ${secondRecord}`));
      return true;
    });
  });

  it('the pool journal compacts to the live pool atomically', async () => {
    const dir = tmpDir();
    const { journal } = await PoolJournal.open(dir);
    const txs = Array.from({ length: 20 }, (_, i) => createClassicTransaction('abcd1234', { content: `c${i}`, timestamp: T }));
    for (const tx of txs) await journal.append(tx);
    await journal.compact(txs.slice(15));
    const late = createClassicTransaction('abcd1234', { content: 'late', timestamp: T });
    await journal.append(late);
    assert.equal(journal.records, 6);
    await journal.close();
    const reopened = await PoolJournal.open(dir);
    assert.deepEqual(reopened.transactions, [...txs.slice(15), late]);
    await reopened.journal.close();
  });

  it('blocks read back from disk equal what was stored', async () => {
    const { dir, chain } = await storedChain(4);
    const cold = await DiskBlockStore.open(dir);
    for (let h = 2; h <= 5; h++) {
      const b = (await cold.get(chain.hashAt(h)!)) as Block;
      assert.deepEqual(b, await chain.blockAt(h));
    }
    assert.equal(await cold.get('0'.repeat(64)), undefined);
    await cold.close();
  });
});
