import assert from 'node:assert/strict';
import { createClassicTransaction, createGenesis, createTemplate, metaOf, txId, type Block, type Transaction } from '@chain/core';
import { createClient, type Client } from '@chain/net';
import { EASY_CLASSIC, PEER_FIXTURE, TestProcess, easyNetwork, killAll, mineTemplate, sourceArgs, tmpDir } from '@chain/testkit';

/**
 * A one-minute TTL: the window is the TTL and the 120 s a tip may run ahead, three minutes of
 * block time. Block time runs at a block a second from the genesis time, as fast as the peer
 * takes blocks, so hours of window reach their steady state in seconds.
 */
const NET = easyNetwork(EASY_CLASSIC, { name: 'long-haul-window', maxTxPerBlock: 2000, txTtlMs: 60_000 });
const PER_BLOCK = 2000;
const STEP_MS = 1000;
const WINDOW_BLOCKS = (NET.txTtlMs + 120_000) / STEP_MS;
const BLOCKS = 3 * WINDOW_BLOCKS;
/** `nb` requests in flight at once: the feeder keeps the peer busy. */
const IN_FLIGHT = 4;

interface Memory {
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  readonly windowIds: number;
  readonly height: number;
}

/** The blocks of a chain of `n` full blocks a second apart in block time, made lazily. */
function* blocks(n: number): Generator<Block> {
  const genesis = createGenesis(NET);
  let parent: Block = genesis;
  for (let i = 0; i < n; i++) {
    const ts = genesis.timestamp + (i + 1) * STEP_MS;
    const txs: Transaction[] = Array.from({ length: PER_BLOCK }, (_, k) =>
      createClassicTransaction('abcd1234', { content: `window ${i}-${k}`, timestamp: ts - 1 }),
    );
    const ids = txs.map((tx) => txId(genesis.currentHash, tx));
    parent = mineTemplate(NET, createTemplate(metaOf(parent), txs, ids, ts, NET.txFormat));
    yield parent;
  }
}

const MiB = 1024 * 1024;

describe('long haul: the replay window at its steady state', function () {
  afterEach(killAll);

  it(`a peer fed ${BLOCKS} full blocks (three windows) as fast as it takes them: window, heap and RSS flat once full`, async function () {
    this.timeout(240_000);
    const dir = tmpDir();
    const peer = new TestProcess(process.execPath, [
      '--expose-gc',
      ...sourceArgs(PEER_FIXTURE, [JSON.stringify({ network: NET, port: 0, dataDir: dir, heartbeatMs: 60_000 })]),
    ]);
    const port = await peer.listening();
    const memory = async (): Promise<Memory> => JSON.parse((await peer.command('memory', /^memory (.*)$/m, 30_000))[1] as string) as Memory;
    const client: Client = createClient({ host: '127.0.0.1', port, requestTimeoutMs: 60_000 });
    const samples: Memory[] = [];
    try {
      const inFlight = new Set<Promise<void>>();
      let sent = 0;
      for (const block of blocks(BLOCKS)) {
        const p: Promise<void> = client.request('nb', { block }).then((r) => {
          assert.deepEqual(r, { status: 'Accepted' }, `block ${block.index}`);
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p)).catch(() => undefined);
        if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        sent++;
        if (sent >= WINDOW_BLOCKS && sent % 30 === 0) {
          await Promise.all(inFlight);
          samples.push(await memory());
        }
      }
      await Promise.all(inFlight);
      samples.push(await memory());
    } finally {
      await client.close();
    }
    const last = samples[samples.length - 1] as Memory;
    assert.equal(last.height, BLOCKS + 1);
    // The window holds about WINDOW_BLOCKS blocks' ids, whatever was fed before.
    for (const s of samples) {
      assert.ok(Math.abs(s.windowIds - WINDOW_BLOCKS * PER_BLOCK) <= 2 * PER_BLOCK, `window of ${s.windowIds} ids at height ${s.height}`);
    }
    // Memory once the window is full: no growth from the first full sample to the last.
    const held = (s: Memory) => s.heapUsed + s.arrayBuffers;
    const first = samples[0] as Memory;
    const report = samples.map((s) => `${s.height}: ${(held(s) / MiB).toFixed(1)} / ${(s.rss / MiB).toFixed(0)} MiB`).join(', ');
    assert.ok(held(last) <= held(first) * 1.15 + 4 * MiB, `heap and buffers grew: ${report}`);
    assert.ok(Math.max(...samples.map(held)) <= held(first) * 1.3 + 8 * MiB, `heap and buffers peaked: ${report}`);
    assert.ok(last.rss <= first.rss * 1.25 + 32 * MiB, `RSS grew: ${report}`);
    // Ids as bytes (the 360,000 take ~14 MiB; the peer holds ~46 MiB in all), where a Map of hex ids alone took ~43 MiB more.
    assert.ok(held(last) < 80 * MiB, report);
  });
});
