import assert from 'node:assert/strict';
import { ChainState, MemoryBlockStore, UNREQUESTED_DEPTH, type Block } from '@chain/core';
import { silentLogger } from '@chain/net';
import type { HbReply, PbReply } from '@chain/protocol';
import { easyNetwork, EASY_CLASSIC } from '@chain/testkit';
import { registerHandlers, type HandlerContext } from '../src/handlers';
import { Inbound } from '../src/inbound';
import { Intake } from '../src/intake';
import { UploadBudget } from '../src/upload-budget';
import type { Source } from '../src/source';
import { fakeServer } from './fake-server';
import { chainOn } from './forks';

const NET = easyNetwork(EASY_CLASSIC, { name: 'handlers-test', maxTxPerBlock: 40 });
const MAX_FRAME = 32 * 1024;

/** A memory store that counts the blocks read from it. */
class CountingStore extends MemoryBlockStore {
  reads = 0;
  override async get(hash: string): Promise<Block | undefined> {
    this.reads++;
    return super.get(hash);
  }
}

async function fixture(blocks: number, upload = { bytesPerSecond: 1 << 30, burstBytes: 1 << 30 }) {
  const store = new CountingStore();
  const chain = await ChainState.open({ params: NET, store });
  const built = chainOn(NET, null, blocks, () => 40);
  assert.ok((await chain.addBlocks(built, Date.now())).every((r) => r.ok));
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
  const calls = { unknownParent: [] as Source[], distrusted: [] as string[] };
  const { server, call, disconnected } = fakeServer();
  const ctx: HandlerContext = {
    chain,
    maxFrame: MAX_FRAME,
    logger: silentLogger,
    inbound: new Inbound({ disconnect: () => undefined, isNeighbour: () => false, learn: () => 'known' }),
    upload: new UploadBudget({ ...upload, now: () => now }),
    listenAddress: () => '127.0.0.1:7000',
    admitReceived: (tx, source) => intake.admit(tx, source),
    knows: () => false,
    accept: (b, source, o) => intake.accept(b, source, o),
    poll: () => Promise.reject(new Error('no work here')),
    submit: () => Promise.reject(new Error('no work here')),
    unknownParent: (source) => void calls.unknownParent.push(source),
    distrust: async (address) => void calls.distrusted.push(address),
  };
  registerHandlers(server, ctx);
  const hb = (id = 1) => call<HbReply>('hb', { genesis: chain.genesisHash, locator: [chain.genesisHash], listen: null }, id);
  return { chain, store, built, call, hb, clock, calls, disconnected };
}

describe('handlers', () => {
  it('hb and pb read only what fits in the reply: the blocks sent and one more', async () => {
    const { store, hb, call, built } = await fixture(60);
    const size = JSON.stringify(built[0]).length;
    store.reads = 0;
    const reply = await hb();
    assert.equal(reply.height, 61);
    assert.ok(reply.blocks.length > 0 && reply.blocks.length < 10, `${reply.blocks.length} blocks of ${size} bytes`);
    assert.ok(store.reads <= reply.blocks.length + 1, `${store.reads} blocks read to send ${reply.blocks.length}`);
    store.reads = 0;
    const pb = await call<PbReply>('pb', { from: 2, limit: 500 });
    assert.ok(pb.blocks.length > reply.blocks.length, 'pb has the whole frame, hb half');
    assert.ok(store.reads <= pb.blocks.length + 1);
  });

  it('a connection gets blocks within its upload budget, then none until it earns more; others have their own', async () => {
    const { hb, clock, built } = await fixture(60, { bytesPerSecond: 4096, burstBytes: 8 * 1024 });
    const first = await hb(1);
    assert.ok(first.blocks.length > 0);
    const spent = first.blocks.reduce((n, b) => n + JSON.stringify(b).length + 1, 0);
    assert.ok(spent <= 8 * 1024);
    const dry = await hb(1);
    assert.equal(dry.blocks.length, 0, 'budget spent: no blocks');
    assert.equal(dry.height, 61, 'the heartbeat itself is still answered');
    assert.ok((await hb(2)).blocks.length > 0, 'another connection has its own budget');
    clock.advance((1000 * (JSON.stringify(built[0]).length + 1)) / 4096 + 1);
    assert.equal((await hb(1)).blocks.length, 1, 'earned back one block');
  });

  it('nb: a block deep below the tip is refused stale, not stored, and its sender not distrusted', async () => {
    const { chain, call, calls, built, disconnected } = await fixture(UNREQUESTED_DEPTH + 5);
    const late = chainOn(NET, built[2] as Block, 1)[0] as Block;
    const reply = await call<{ status: string; reason?: string }>('nb', { block: late });
    assert.deepEqual(reply, { status: 'Rejected', reason: 'stale' });
    assert.equal(chain.meta(late.currentHash), undefined);
    assert.deepEqual(calls.distrusted, []);
    assert.deepEqual(disconnected, []);
  });

  it('nb: an unknown parent from a stranger asks for one sync; an invalid block closes its connection', async () => {
    const { call, calls, built, disconnected } = await fixture(3);
    const orphan = { ...(chainOn(NET, built[2] as Block, 1)[0] as Block), previousHash: 'ab'.repeat(32) };
    assert.equal((await call<{ reason?: string }>('nb', { block: orphan }, 7)).reason, 'unknown-parent');
    assert.deepEqual(calls.unknownParent, [{ kind: 'remote' }]);
    const next = chainOn(NET, built[2] as Block, 1)[0] as Block;
    const tampered = { ...next, index: 9 };
    assert.equal((await call<{ reason?: string }>('nb', { block: tampered }, 8)).reason, 'bad-hash');
    assert.deepEqual(disconnected, [8]);
  });
});
