import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { createClassicTransaction } from '@chain/core';
import { request } from '@chain/net';
import { parseExposition, sampleValue, tmpDir, until, writeNetworkFile } from '@chain/testkit';
import { METRICS_PORT_OFFSET, metricsPort } from '../src/commands/metrics';
import { EASY_CLASSIC, flags, mineAt, onTakenPort, procs, servingPeer } from './helpers';

async function scrape(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

type Exposition = Awaited<ReturnType<typeof scrape>>;

const tx = (content: string) => createClassicTransaction('abcd1234', { content, timestamp: Date.now() });

describe('chain-peer --metrics: Prometheus metrics of a running peer', function () {
  this.timeout(30_000);

  it('serves /metrics on its own port; height, transactions, blocks and frames move as the peer works', async () => {
    const { p, port, url } = await servingPeer('--metrics', 'metrics');
    const before = await scrape(url);
    assert.equal(sampleValue(before, 'chain_height_blocks', { peer: 'A' }), 1);
    assert.equal(sampleValue(before, 'chain_transactions_admitted_total', { peer: 'A', source: 'remote' }), 0);

    const t = tx('scraped');
    assert.equal((await request('127.0.0.1', port, 'tx', t)).status, 'Accepted');
    assert.equal((await request('127.0.0.1', port, 'tx', t)).status, 'Rejected');
    await mineAt(port);
    const after = await scrape(url);
    assert.equal(sampleValue(after, 'chain_height_blocks', { peer: 'A' }), 2);
    assert.equal(sampleValue(after, 'chain_transactions_admitted_total', { peer: 'A', source: 'remote' }), 1);
    assert.equal(sampleValue(after, 'chain_transactions_refused_total', { peer: 'A', reason: 'duplicate' }), 1);
    assert.equal(sampleValue(after, 'chain_blocks_total', { peer: 'A', source: 'mined', status: 'extended' }), 1);
    assert.equal(sampleValue(after, 'chain_frames_total', { peer: 'A', opcode: 'tx', direction: 'in' }), 2);
    assert.equal(sampleValue(after, 'chain_frames_total', { peer: 'A', opcode: 'tx', direction: 'out' }), 2);
    assert.ok(sampleValue(after, 'chain_frame_bytes_total', { peer: 'A', opcode: 'up', direction: 'in' }) > 0);
    assert.equal(sampleValue(after, 'chain_pool_transactions', { peer: 'A' }), 0);
    for (const [name, type] of [
      ['chain_height_blocks', 'gauge'],
      ['chain_tip_age_seconds', 'gauge'],
      ['chain_neighbours', 'gauge'],
      ['chain_verify_queue_signatures', 'gauge'],
      ['chain_sync_target_height_blocks', 'gauge'],
      ['chain_transactions_refused_total', 'counter'],
      ['chain_sync_downloaded_blocks_total', 'counter'],
      ['chain_reorg_depth_blocks', 'histogram'],
      ['process_cpu_seconds_total', 'counter'],
    ])
      assert.equal(after.get(name as string)?.type, type, `${name} is a ${type}`);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it('the explorer port serves /metrics too', async () => {
    const { p, port, url: page } = await servingPeer('--http', 'explorer');
    const url = `${page}metrics`;
    assert.doesNotMatch(p.stdout, /^metrics on/m, 'no metrics port of its own without --metrics');
    assert.equal(sampleValue(await scrape(url), 'chain_height_blocks', { peer: 'A' }), 1);
    assert.equal((await request('127.0.0.1', port, 'tx', tx('for a block'))).status, 'Accepted');
    await mineAt(port);
    await until(async () => sampleValue(await scrape(url), 'chain_height_blocks', { peer: 'A' }) === 2, 'the height to move');
    const f = await scrape(url);
    assert.equal(sampleValue(f, 'chain_blocks_total', { peer: 'A', source: 'mined', status: 'extended' }), 1);
    assert.ok(sampleValue(f, 'chain_frames_total', { peer: 'A', opcode: 'gp', direction: 'in' }) >= 1);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it("the devnet counts every peer's frames, on the explorer's /metrics and on --metrics", async () => {
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --no-mine --traffic 0 --metrics 0 --heartbeat 100 --network ${writeNetworkFile(tmpDir(), EASY_CLASSIC)}`,
    );
    const own = (await devnet.waitFor(/^metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m))[1]!;
    const explorer = `${(await devnet.waitFor(/^explorer on (http:\/\/127\.0\.0\.1:\d+\/) /m))[1]!}metrics`;
    // Heartbeats (hb, or hi between 1.2 peers) go both ways between the two peers from the start.
    const total = (f: Exposition, name: string, peer: string, direction: string) =>
      (f.get(name)?.samples ?? [])
        .filter((x) => x.labels.peer === peer && x.labels.direction === direction)
        .reduce((sum, x) => sum + x.value, 0);
    for (const url of [explorer, own]) {
      await until(async () => {
        const f = await scrape(url);
        return ['A', 'B'].every(
          (peer) => total(f, 'chain_frames_total', peer, 'in') > 0 && total(f, 'chain_frames_total', peer, 'out') > 0,
        );
      }, `frames in and out of A and B at ${url}`);
      const f = await scrape(url);
      for (const peer of ['A', 'B']) assert.ok(total(f, 'chain_frame_bytes_total', peer, 'out') > 0, `${peer}'s bytes out`);
      assert.equal(sampleValue(f, 'chain_height_blocks', { peer: 'B' }), 1);
    }
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('a taken metrics port is a clear error', async () => {
    const { taken, second } = await onTakenPort('--metrics', 'metrics');
    assert.equal(second.code, 1);
    assert.match(second.err, new RegExp(`metrics port ${taken} on 127.0.0.1 is already in use; choose another with --metrics <port>`));
  });

  it('a devnet whose metrics port is taken stops its peers and names --metrics', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const r = await procs.run(
        flags`devnet --peers 2 --base-port 0 --no-mine --traffic 0 --metrics ${taken} --network ${writeNetworkFile(tmpDir(), EASY_CLASSIC)}`,
      );
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`metrics port ${taken} on 127.0.0.1 is already in use; choose another with --metrics <port>`));
      assert.equal(r.out, '', 'nothing printed: the devnet did not start');
    } finally {
      blocker.close();
    }
  });

  it('--metrics alone: the peer port + 1000, a free one with --port 0', () => {
    assert.equal(metricsPort(true, 6000), 6000 + METRICS_PORT_OFFSET);
    assert.equal(metricsPort(true, 0), 0);
    assert.equal(metricsPort(9100, 6000), 9100);
    assert.throws(() => metricsPort(true, 65000), /--metrics without a port would use 65000 \+ 1000 = 66000, which is no port; give one/);
  });
});
