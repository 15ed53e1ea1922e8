import assert from 'node:assert/strict';
import { ChainState, type Block } from '@chain/core';
import { silentLogger } from '@chain/net';
import { ManualClock } from '@chain/testkit';
import { HeadersDownload, type DownloadContext, type DownloadEnd } from '../src/headers/download';
import { STALL } from '../src/headers/sources';
import { HeaderChain } from '../src/headers/header-chain';
import { NEIGHBOUR_REQUEST_TIMEOUT_MS, type Neighbour } from '../src/neighbours';
import { NET } from './helpers';
import { chainOn } from './forks';
import { badBodyOn, badProofOn, fakeNeighbour } from './headers-fixtures';

/** Ranges of 100 one-transaction blocks, 1000 transactions out at most: many ranges for a short chain. */
const LIMITS = { rangeTxs: 100, rangeBlocks: 500, aheadTxs: 1000 };

async function downloader(sources: () => readonly Neighbour[]) {
  const chain = await ChainState.open({ params: NET });
  const clock = new ManualClock(Date.now());
  const distrusted: string[] = [];
  const failed: string[] = [];
  let added = 0;
  const ctx: DownloadContext = {
    chain,
    logger: silentLogger,
    timers: clock,
    now: () => clock.now,
    accept: (blocks) => chain.addBlocks(blocks, clock.now),
    distrust: async (address) => void distrusted.push(address),
    failed: (n) => void failed.push(n.address),
    sources,
    progress: (n) => void (added += n),
  };
  return { chain, clock, ctx, distrusted, failed, added: () => added };
}

/** Run a download to its end, moving the virtual clock on while it waits. */
async function runToEnd(d: HeadersDownload, clock: ManualClock): Promise<DownloadEnd> {
  let end: DownloadEnd | null = null;
  void d.run().then((e) => (end = e));
  for (let i = 0; i < 2000 && end === null; i++) await clock.advance(50);
  assert.ok(end !== null, 'the download ended');
  return end;
}

describe('headers-first download', function () {
  this.timeout(60_000);
  const blocks = chainOn(NET, null, 3000);
  const tip = (blocks[blocks.length - 1] as Block).currentHash;

  it('fetches each block once, in distinct ranges from every source that has the chain', async () => {
    const fakes = ['10.0.0.1:6000', '10.0.0.2:6000', '10.0.0.3:6000'].map((a) => fakeNeighbour(a, blocks));
    const { chain, clock, ctx, added } = await downloader(() => fakes.map((f) => f.n));
    const end = await runToEnd(new HeadersDownload(ctx, (fakes[0] as (typeof fakes)[0]).n, LIMITS), clock);
    assert.equal(end, 'held');
    assert.equal(chain.tip.hash, tip);
    assert.equal(added(), blocks.length);
    const served = fakes.map((f) => f.served.blocks);
    assert.equal(
      served.reduce((a, b) => a + b, 0),
      blocks.length,
      `each block once (${served.join(', ')})`,
    );
    assert.ok(
      served.every((s) => s > 0),
      `from every source (${served.join(', ')})`,
    );
  });

  it('beyond the headers held, a source is asked where its chain leaves them (one header) before it serves', async () => {
    const fakes = ['10.0.0.1:6000', '10.0.0.2:6000'].map((a) => fakeNeighbour(a, blocks));
    const { chain, clock, ctx } = await downloader(() => fakes.map((f) => f.n));
    const end = await runToEnd(new HeadersDownload(ctx, (fakes[0] as (typeof fakes)[0]).n, LIMITS, new HeaderChain(chain, 1000)), clock);
    assert.equal(end, 'held');
    assert.equal(chain.tip.hash, tip);
    const [lead, other] = fakes as [(typeof fakes)[0], (typeof fakes)[0]];
    assert.ok(lead.served.gh >= 3, 'a window of 1000 headers at a time');
    assert.ok(other.served.gh >= 1 && other.served.blocks > 0, 'the other source probed, then served');
    assert.equal(lead.served.blocks + other.served.blocks, blocks.length);
  });

  it('a source that stops answering loses its ranges to the others, long before its requests time out', async () => {
    const hung = fakeNeighbour('10.0.0.2:6000', blocks, { gb: () => new Promise(() => undefined) });
    const fakes = [fakeNeighbour('10.0.0.1:6000', blocks), hung, fakeNeighbour('10.0.0.3:6000', blocks)];
    const { chain, clock, ctx, failed } = await downloader(() => fakes.map((f) => f.n));
    const start = clock.now;
    const end = await runToEnd(new HeadersDownload(ctx, (fakes[0] as (typeof fakes)[0]).n, LIMITS), clock);
    assert.equal(end, 'held');
    assert.equal(chain.tip.hash, tip);
    assert.ok(hung.served.gb >= 1, 'the hung source was asked');
    assert.equal(hung.served.blocks, 0);
    assert.equal((fakes[0]?.served.blocks ?? 0) + (fakes[2]?.served.blocks ?? 0), blocks.length, 'its ranges came once, from the others');
    assert.ok(clock.now - start < NEIGHBOUR_REQUEST_TIMEOUT_MS, `done after ${clock.now - start} ms`);
    assert.ok(clock.now - start >= STALL.initialMs);
    assert.deepEqual(failed, []);
  });

  it('a source that sends a tampered block is distrusted; its range comes from another', async () => {
    const liar = fakeNeighbour('10.0.0.2:6000', blocks, {
      gb: async (hashes) => {
        const bad = blocks.find((b) => b.currentHash === hashes[0]) as Block;
        const tx = bad.transactions[0] as { content: string };
        return { blocks: [{ ...bad, transactions: [{ ...tx, content: `${tx.content}x` }] } as unknown as Block] };
      },
    });
    const honest = fakeNeighbour('10.0.0.1:6000', blocks);
    const { chain, clock, ctx, distrusted } = await downloader(() => [honest.n, liar.n]);
    const end = await runToEnd(new HeadersDownload(ctx, honest.n, LIMITS), clock);
    assert.equal(end, 'held');
    assert.equal(chain.tip.hash, tip);
    assert.deepEqual(distrusted, [liar.n.address]);
    assert.equal(honest.served.blocks, blocks.length);
  });

  it('a header with a bad proof distrusts the lead; nothing after it is fetched', async () => {
    const bad = badProofOn(blocks[99] as Block);
    const forged = [...blocks.slice(0, 100), bad, ...chainOn(NET, bad, 50)];
    const lead = fakeNeighbour('10.0.0.1:6000', forged);
    const { chain, clock, ctx, distrusted } = await downloader(() => [lead.n]);
    assert.equal(await runToEnd(new HeadersDownload(ctx, lead.n, LIMITS), clock), 'invalid');
    assert.deepEqual(distrusted, [lead.n.address]);
    assert.equal(lead.served.gb, 0, 'no body of a refused header chain');
    assert.equal(chain.height, 1);
  });

  it('an invalid body under a valid header ends the download: its sender and the lead are distrusted', async () => {
    const bad = badBodyOn(blocks[48] as Block);
    const chainOfBad = [...blocks.slice(0, 49), bad, ...chainOn(NET, bad, 30)];
    const lead = fakeNeighbour('10.0.0.1:6000', chainOfBad);
    const other = fakeNeighbour('10.0.0.2:6000', chainOfBad);
    const { chain, clock, ctx, distrusted } = await downloader(() => [lead.n, other.n]);
    assert.equal(await runToEnd(new HeadersDownload(ctx, lead.n, { rangeTxs: 10, rangeBlocks: 500, aheadTxs: 1000 }), clock), 'invalid');
    assert.equal(chain.height, 50, 'the blocks before it are kept');
    assert.equal(chain.invalidReason(bad.currentHash)?.reason, 'bad-transactions');
    assert.ok(distrusted.includes(lead.n.address));
    assert.ok(distrusted.length <= 2);
  });

  it('a header whose txCount is not its block’s (the hash does not cover it) distrusts the lead', async () => {
    const lead = fakeNeighbour('10.0.0.1:6000', blocks.slice(0, 300));
    lead.headers[150] = { ...(lead.headers[150] as (typeof lead.headers)[0]), txCount: 4 };
    const { chain, clock, ctx, distrusted } = await downloader(() => [lead.n]);
    assert.equal(await runToEnd(new HeadersDownload(ctx, lead.n, LIMITS), clock), 'invalid');
    assert.deepEqual(distrusted, [lead.n.address]);
    assert.ok(chain.height <= 151, 'nothing from that block on');
  });

  it('a lead that claims more than it sends ends the download short of its tip (stalled)', async () => {
    const lead = fakeNeighbour('10.0.0.1:6000', blocks.slice(0, 300), { height: 5000 });
    lead.n.tip = 'ab'.repeat(32);
    const { chain, clock, ctx } = await downloader(() => [lead.n]);
    assert.equal(await runToEnd(new HeadersDownload(ctx, lead.n, LIMITS), clock), 'stalled');
    assert.equal(chain.height, 301, 'what it sent is kept');
  });
});
