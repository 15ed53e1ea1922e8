import assert from 'node:assert/strict';
import { ChainState, type Block } from '@chain/core';
import { ProtocolError, type GbReply, type GhReply } from '@chain/protocol';
import { tmpDir } from '@chain/testkit';
import { DiskBlockStore } from '../src/storage/block-log';
import { askedWithin, headersWithin, registerHeaderHandlers } from '../src/headers/handlers';
import { headerReader, txRootFor } from '../src/headers/stored-headers';
import { UploadBudget } from '../src/upload-budget';
import { NET } from './helpers';
import { chainOn } from './forks';
import { fakeServer } from './fake-server';
import { headersOf } from './headers-fixtures';

const BIG = 16 * 1024 * 1024;

/** A block log holding `blocks` (written with `txRoot` or without), reopened cold, its reads counted. */
async function storedChain(blocks: readonly Block[], withRoots = true) {
  const dir = tmpDir();
  const first = await DiskBlockStore.open(dir, withRoots ? { txRoot: txRootFor(NET) } : {});
  const chain = await ChainState.open({ params: NET, store: first });
  assert.ok((await chain.addBlocks(blocks, Date.now())).every((r) => r.ok));
  await first.close();
  const store = await DiskBlockStore.open(dir, { txRoot: txRootFor(NET) });
  const reads = { blocks: 0, roots: 0 };
  const get = store.get.bind(store);
  const txRootOf = store.txRootOf.bind(store);
  store.get = (hash) => (reads.blocks++, get(hash));
  store.txRootOf = (hash) => (reads.roots++, txRootOf(hash));
  const reopened = await ChainState.open({ params: NET, store });
  reads.blocks = 0; // opening reads the blocks of the transaction window; serving is counted from here
  return { chain: reopened, store, reads, reader: headerReader(reopened, store) };
}

describe('serving headers and blocks (gh, gb)', () => {
  const blocks = chainOn(NET, null, 300, () => 3);

  it('headers come from the block log’s record metas: no block is read, only the roots of the headers sent', async () => {
    const { chain, store, reads, reader } = await storedChain(blocks);
    const all = await headersWithin(chain, reader, 2, 100, BIG);
    assert.deepEqual(all.headers, headersOf(blocks.slice(0, 100)));
    assert.deepEqual(reads, { blocks: 0, roots: 100 });
    const one = Buffer.byteLength(JSON.stringify(all.headers[0])) + 1;
    reads.roots = 0;
    const few = await headersWithin(chain, reader, 2, 2000, 10 * one + 5);
    assert.equal(few.headers.length, 10);
    assert.ok(few.bytes <= 10 * one + 5);
    assert.deepEqual(reads, { blocks: 0, roots: 10 }, 'the eleventh, which does not fit, is not read');
    await store.close();
  });

  it('blocks are sized from the log before they are read: only those sent are read, in the order asked', async () => {
    const { chain, store, reads, reader } = await storedChain(blocks);
    const asked = blocks.slice(100, 150).map((b) => b.currentHash);
    const room = asked.slice(0, 10).reduce((sum, h) => sum + (store.jsonBytesOf(h) as number) + 1, 0);
    const r = await askedWithin(chain, reader, ['ab'.repeat(32), ...asked], room);
    assert.deepEqual(
      r.blocks.map((b) => b.currentHash),
      asked.slice(0, 10),
      'an unknown hash is left out',
    );
    assert.equal(reads.blocks, 10, 'the block that does not fit is not read');
    for (const h of asked) assert.ok((store.jsonBytesOf(h) as number) >= Buffer.byteLength(JSON.stringify(await chain.getBlock(h))));
    await store.close();
  });

  it('an older log (records without the txRoot) is read as before; its headers are computed from its blocks', async () => {
    const { chain, store, reader } = await storedChain(blocks.slice(0, 50), false);
    assert.equal(await store.txRootOf(blocks[10]?.currentHash as string), null);
    assert.ok((await chain.addBlocks(blocks.slice(50, 60), Date.now())).every((r) => r.ok));
    const newer = blocks[55] as Block;
    assert.equal(await store.txRootOf(newer.currentHash), headersOf([newer])[0]?.txRoot, 'new records keep their root');
    assert.deepEqual((await headersWithin(chain, reader, 2, 100, BIG)).headers, headersOf(blocks.slice(0, 60)));
    await store.close();
  });

  it('gh and gb answer within the connection’s upload budget; a locator off this chain is wrong-network', async () => {
    const chain = await ChainState.open({ params: NET });
    assert.ok((await chain.addBlocks(blocks, Date.now())).every((r) => r.ok));
    const { server, call } = fakeServer();
    const upload = new UploadBudget({ bytesPerSecond: 1, burstBytes: 20_000, now: () => 0 });
    registerHeaderHandlers(server, { chain, maxFrame: BIG, upload, reader: headerReader(chain, chain.store) });
    const gh = await call<GhReply>('gh', { locator: [chain.genesisHash], limit: 2000 });
    assert.equal(gh.height, 301);
    assert.ok(gh.headers.length > 10 && gh.headers.length < 300, `${gh.headers.length} headers in 20,000 bytes`);
    assert.deepEqual(gh.headers, headersOf(blocks.slice(0, gh.headers.length)));
    assert.equal((await call<GbReply>('gb', { hashes: [blocks[0]?.currentHash] })).blocks.length, 0, 'the budget is spent');
    const other = await call<GbReply>('gb', { hashes: blocks.slice(0, 5).map((b) => b.currentHash) }, 2);
    assert.equal(other.blocks.length, 5, 'another connection has its own budget');
    await assert.rejects(
      call('gh', { locator: ['ab'.repeat(32)], limit: 10 }, 3),
      (err: unknown) => err instanceof ProtocolError && err.code === 'wrong-network',
    );
  });
});
