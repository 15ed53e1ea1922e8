import assert from 'node:assert/strict';
import { createClient, request } from '@chain/net';
import { killAll, mineAt, rawFrame, until, within } from '@chain/testkit';
import {
  CLASSIC,
  RawConn,
  SIGNED,
  assertServed,
  classicTx,
  expectError,
  servedDuring,
  signedTx,
  snapshot,
  startPeer,
  type PeerProcess,
} from '../lib/harness';

const MB = 1024 * 1024;

/** Open `n` connections at once that never send. */
function flood(port: number, n: number): Promise<RawConn[]> {
  return Promise.all(Array.from({ length: n }, () => RawConn.open(port)));
}

describe('load and connections', function () {
  let peer: PeerProcess;
  let port: number;
  afterEach(killAll);

  beforeEach(async () => {
    peer = await startPeer({ network: CLASSIC });
    port = peer.port;
    assert.equal((await request('127.0.0.1', port, 'tx', classicTx('before the load'))).status, 'Accepted');
    await mineAt(port);
  });

  for (const [n, what] of [
    [300, '300 connections at once'],
    [1000, '1,000 connections that never send'],
  ] as const) {
    it(`${what}: the longest idle give way (er busy, closed), 256 stay, and every newcomer is served (docs/spec.md §7)`, async function () {
      this.timeout(60_000);
      const before = await snapshot(port, CLASSIC);
      // An honest client that asked once and then sat idle: it is idle longer than any of the flood.
      const idleHonest = await RawConn.open(port);
      await idleHonest.assertOpen();
      const rss0 = peer.rss();
      const conns = await flood(port, n);
      try {
        // 256 slots: the first 255 of the flood fit beside the honest connection; each later one makes the
        // longest-idle connection give way, the honest one first, then the oldest of the flood.
        await until(() => conns.filter((c) => c.received.length > 0).length === n - 256, `${n - 256} evictions`, 20_000);
        await expectError(idleHonest, 'busy', 1);
        await idleHonest.waitClosed();
        const busy = conns.filter((c) => c.received.length > 0);
        const held = conns.filter((c) => c.received.length === 0);
        assert.equal(held.length, 256, 'every slot is still in use');
        for (const c of busy) {
          assert.match(await expectError(c, 'busy'), /connection|slot|idle|limit/);
          await c.waitClosed();
          assert.equal(c.received.length, 1);
        }
        // A newcomer while every slot is taken is served at once (a silent connection gives way), again and again.
        for (let i = 0; i < 5; i++) assert.ok((await assertServed(port)) < 1000);
        // Each of those newcomers took the slot of the longest-idle one; the others still hold theirs and are served.
        const stillHeld = held.filter((c) => c.received.length === 0);
        assert.ok(stillHeld.length >= 256 - 10, `${stillHeld.length} still held`);
        await within(stillHeld[stillHeld.length - 1]!.assertOpen(), 1000, 'a held connection is served');
        const growth = peer.rss() - rss0;
        assert.ok(growth < 48 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MiB for ${n} connections`);
      } finally {
        for (const c of conns) c.destroy();
      }
      assert.deepEqual(await snapshot(port, CLASSIC), before);
    });
  }

  it('a client that sends requests and never reads: dropped at the write-buffer cap, memory bounded, others served', async function () {
    this.timeout(90_000);
    // maxFrame 1 MiB, so the write-buffer cap is 2 MiB; a chain of about 1 MiB makes every pb reply nearly a full frame.
    const big = await startPeer({ network: SIGNED, maxFrame: MB });
    const client = createClient({ host: '127.0.0.1', port: big.port, requestTimeoutMs: 60_000, maxQueue: 5000 });
    try {
      for (let block = 0; block < 9; block++) {
        const txs = Array.from({ length: 500 }, (_, i) => signedTx(SIGNED, `block ${block} transaction ${i} padded to be long`));
        const replies = await Promise.all(txs.map((t) => client.request('tx', t)));
        assert.ok(replies.every((r) => r.status === 'Accepted'));
        await until(async () => (await request('127.0.0.1', big.port, 'gp')).templateHash !== null, 'template');
        while ((await request('127.0.0.1', big.port, 'gp')).pending > 0) await mineAt(big.port);
      }
    } finally {
      await client.close();
    }
    const before = await snapshot(big.port, SIGNED);
    const probe = await request('127.0.0.1', big.port, 'pb', undefined, { maxFrame: MB });
    const replyBytes = Buffer.byteLength(JSON.stringify(probe));
    assert.ok(replyBytes > 0.8 * MB, `a pb reply is ${replyBytes} bytes`);
    const rss0 = big.rss();
    const reader = await RawConn.open(big.port, '127.0.0.1', { read: false });
    const { worst } = await servedDuring(
      big.port,
      (async () => {
        reader.write(Buffer.concat(Array.from({ length: 200 }, () => rawFrame('pb'))));
        await big.waitFor(/WARN write buffer over its cap: the peer is not reading/, { stream: 'stderr', ms: 20_000 });
      })(),
    );
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
    const growth = big.rss() - rss0;
    assert.ok(growth < 128 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MiB`);
    // The dropped connection ends once the reader looks: far fewer than 200 replies ever came.
    reader.socket.resume();
    await reader.waitClosed(10_000);
    assert.ok(reader.received.length < 200, `${reader.received.length} replies`);
    assert.deepEqual(await snapshot(big.port, SIGNED), before);
    await assertServed(big.port);
  });
});
