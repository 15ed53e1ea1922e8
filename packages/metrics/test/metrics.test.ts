import assert from 'node:assert/strict';
import { createClassicTransaction } from '@chain/core';
import { observedTcpTransport, silentLogger } from '@chain/net';
import { Peer } from '@chain/peer';
import { EASY_CLASSIC, parseExposition, proofFor, sampleValue, until } from '@chain/testkit';
import { ChainMetrics, NEIGHBOUR_STATES, OPCODE_LABELS, REASON_LABELS } from '@chain/metrics';

const tx = (content: string) => createClassicTransaction('abcd1234', { content, timestamp: Date.now() });

async function mineOnce(peer: Peer): Promise<void> {
  const work = peer.work.describe();
  const r = await peer.work.submit(proofFor(work), work.templateHash as string);
  assert.equal(r.status, 'Reward');
}

describe('ChainMetrics', () => {
  const peers: Peer[] = [];
  let metrics: ChainMetrics;
  beforeEach(() => {
    metrics = new ChainMetrics();
  });
  afterEach(async () => {
    metrics.close();
    await Promise.all(peers.splice(0).map((p) => p.stop()));
  });
  const start = async (name: string, neighbours: string[] = []) => {
    const transport = observedTcpTransport(metrics.frames(name));
    const peer = await Peer.start({
      network: EASY_CLASSIC,
      port: 0,
      mine: false,
      heartbeatMs: 100,
      neighbours,
      transport,
      logger: silentLogger,
    });
    peers.push(peer);
    metrics.watch(peer, name);
    return peer;
  };
  const scrape = async () => parseExposition(await metrics.metrics());

  it('counts what two peers do: transactions, refusals, blocks by source, neighbours, frames', async () => {
    const a = await start('A');
    const b = await start('B', [`127.0.0.1:${a.address.port}`]);
    const t = tx('metrics');
    assert.equal((await a.submitTransaction(t)).ok, true);
    assert.equal((await a.submitTransaction(t)).ok, false);
    await mineOnce(a);
    await until(() => b.chain.height === 2, 'B to have the mined block');
    await until(
      async () => sampleValue(await scrape(), 'chain_neighbours', { peer: 'B', kind: 'configured', state: 'open' }) === 1,
      'B to count A open',
    );

    const f = await scrape();
    assert.equal(sampleValue(f, 'chain_height_blocks', { peer: 'A' }), 2);
    assert.equal(sampleValue(f, 'chain_height_blocks', { peer: 'B' }), 2);
    assert.equal(sampleValue(f, 'chain_transactions_admitted_total', { peer: 'A', source: 'local' }), 1);
    assert.equal(sampleValue(f, 'chain_transactions_refused_total', { peer: 'A', reason: 'duplicate' }), 1);
    assert.equal(sampleValue(f, 'chain_transactions_refused_total', { peer: 'A', reason: 'malformed' }), 0);
    assert.equal(sampleValue(f, 'chain_blocks_total', { peer: 'A', source: 'mined', status: 'extended' }), 1);
    const atB = ['neighbour', 'sync'].map((source) => sampleValue(f, 'chain_blocks_total', { peer: 'B', source, status: 'extended' }));
    assert.equal(atB[0]! + atB[1]!, 1, 'B added the block once, announced or by sync');
    assert.equal(sampleValue(f, 'chain_pool_transactions', { peer: 'A' }), 0, 'the transaction went into the block');
    assert.equal(sampleValue(f, 'chain_neighbours', { peer: 'B', kind: 'configured', state: 'open' }), 1);
    assert.equal(sampleValue(f, 'chain_neighbours', { peer: 'A', kind: 'configured', state: 'open' }), 0);
    assert.ok(sampleValue(f, 'chain_frames_total', { peer: 'A', opcode: 'vs', direction: 'in' }) > 0);
    assert.ok(sampleValue(f, 'chain_frame_bytes_total', { peer: 'B', opcode: 'vs', direction: 'out' }) > 0);
    assert.ok(sampleValue(f, 'chain_inbound_connections', { peer: 'A' }) >= 1);
    const age = sampleValue(f, 'chain_tip_age_seconds', { peer: 'A' });
    assert.ok(age >= 0 && age < 60, `the tip is a fresh block, ${age} s old`);
    assert.equal(f.get('chain_verify_queue_signatures')?.type, 'gauge');
    assert.equal(f.get('chain_reorg_depth_blocks')?.type, 'histogram');
    assert.ok(f.has('process_cpu_seconds_total') && f.has('nodejs_eventloop_lag_seconds'), 'the process metrics');
  });

  it('every metric has help text, the chain_ prefix and only labels from fixed lists', async () => {
    const a = await start('A');
    // A stranger's made-up opcode is counted, under `other`.
    const observer = metrics.frames('X');
    observer.frame('in', '\u0000\u00ff', 10);
    await a.submitTransaction({ nonsense: true });
    const f = await scrape();
    const ours = [...f.values()].filter((m) => m.name.startsWith('chain_'));
    assert.equal(ours.length, 16, `${ours.length} chain_ metrics`);
    const allowed: Record<string, readonly string[]> = {
      peer: ['A', 'X'],
      opcode: OPCODE_LABELS,
      reason: REASON_LABELS,
      state: NEIGHBOUR_STATES,
      direction: ['in', 'out'],
      source: ['local', 'neighbour', 'remote', 'mined', 'sync'],
      status: ['extended', 'reorg', 'side'],
      kind: ['configured', 'neighbour', 'candidate', 'quarantined'],
      le: [],
    };
    for (const m of ours) {
      assert.ok(m.help.length > 10, `${m.name} has help text`);
      for (const s of m.samples)
        for (const [k, v] of Object.entries(s.labels)) {
          assert.ok(k in allowed, `${m.name}: label ${k}`);
          if (k !== 'le') assert.ok(allowed[k]!.includes(v), `${m.name}: ${k}="${v}" is not one of the fixed values`);
        }
    }
    assert.equal(sampleValue(f, 'chain_frames_total', { peer: 'X', opcode: 'other', direction: 'in' }), 1);
    assert.equal(sampleValue(f, 'chain_frame_bytes_total', { peer: 'X', opcode: 'other', direction: 'in' }), 10);
    assert.equal(sampleValue(f, 'chain_transactions_refused_total', { peer: 'A', reason: 'malformed' }), 1);
  });

  it('a reorganisation is counted with its depth', async () => {
    const a = await start('A');
    const block = a.chain.tip as never;
    a.emit('reorg', { connected: [block, block], disconnected: [block, block, block], returnedToPool: [] });
    const f = await scrape();
    assert.equal(sampleValue(f, 'chain_reorgs_total', { peer: 'A' }), 1);
    assert.equal(sampleValue(f, 'chain_reorg_depth_blocks_sum', { peer: 'A' }), 3);
    assert.equal(sampleValue(f, 'chain_reorg_depth_blocks_bucket', { peer: 'A', le: '2' }), 0);
    assert.equal(sampleValue(f, 'chain_reorg_depth_blocks_bucket', { peer: 'A', le: '3' }), 1);
  });

  it('names are checked, once each; a peer no longer watched is no longer counted', async () => {
    const a = await start('A');
    assert.throws(() => metrics.watch(a, 'A'), /a peer named A is already watched/);
    assert.throws(() => metrics.frames('A'), /frames of a peer named A are already counted/);
    assert.throws(() => metrics.watch(a, 'a b'), /peer name "a b" must be 1 to 64 letters/);
    const other = new ChainMetrics({ processMetrics: false });
    const stop = other.watch(a, 'A');
    await a.submitTransaction(tx('one'));
    stop();
    await a.submitTransaction(tx('two'));
    const f = parseExposition(await other.metrics());
    assert.equal(sampleValue(f, 'chain_transactions_admitted_total', { peer: 'A', source: 'local' }), 1);
    assert.equal(f.has('process_cpu_seconds_total'), false);
    assert.deepEqual(f.get('chain_height_blocks')?.samples, [], 'no stale gauge of a peer no longer watched');
  });
});
