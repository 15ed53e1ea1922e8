import assert from 'node:assert/strict';
import { createClient, request } from '@chain/net';
import {
  CLASSIC,
  RawConn,
  SIGNED,
  assertServed,
  classicTx,
  expectError,
  killAll,
  mineAt,
  rawFrame,
  servedDuring,
  signedTx,
  snapshot,
  startPeer,
  until,
  within,
  type PeerProcess,
} from '../lib/harness';

const MB = 1024 * 1024;

/** Open `n` connections at once; resolves when each is either accepted (silent) or refused (`er busy` then closed). */
async function flood(port: number, n: number): Promise<{ held: RawConn[]; busy: RawConn[] }> {
  const conns = await Promise.all(Array.from({ length: n }, () => RawConn.open(port)));
  // A refused connection gets its `er busy` at once; give the peer a moment to answer all of them.
  await until(() => conns.filter((c) => c.received.length > 0).length >= n - 256 || conns.every((c) => c.received.length > 0), 'busy replies', 10_000);
  await new Promise((r) => setTimeout(r, 300));
  const busy = conns.filter((c) => c.received.length > 0);
  const held = conns.filter((c) => c.received.length === 0);
  return { held, busy };
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
    it(`${what}: 256 held (the honest one among them), ${n - 255} get er busy and are closed; the honest client is served throughout`, async function () {
      this.timeout(60_000);
      const before = await snapshot(port, CLASSIC);
      const honest = await RawConn.open(port);
      await honest.assertOpen();
      const rss0 = peer.rss();
      const { held, busy } = await flood(port, n);
      try {
        assert.equal(held.length, 255, 'the limit of 256 inbound connections, the honest one included');
        assert.equal(busy.length, n - 255);
        for (const c of busy) {
          const message = await expectError(c, 'busy');
          assert.match(message, /over the limit of 256 connections/);
          await c.waitClosed();
          assert.equal(c.received.length, 1);
        }
        // The honest connection and the held ones are served promptly.
        for (let i = 0; i < 5; i++) {
          const t = Date.now();
          await honest.assertOpen();
          assert.ok(Date.now() - t < 1000);
        }
        await within(held[0]!.assertOpen(), 1000, 'a held connection is served');
        // A newcomer while full is told so at once.
        const late = await RawConn.open(port);
        await expectError(late, 'busy', 0, 1000);
        await late.waitClosed();
        const growth = peer.rss() - rss0;
        assert.ok(growth < 48 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MiB for ${n} connections`);
      } finally {
        for (const c of held) c.destroy();
      }
      // Once they go, newcomers are served again.
      await until(async () => {
        try {
          await assertServed(port);
          return true;
        } catch {
          return false;
        }
      }, 'a newcomer is served once the connections close', 5000);
      assert.deepEqual(await snapshot(port, CLASSIC), before);
      honest.destroy();
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
    const { worst } = await servedDuring(big.port, (async () => {
      reader.write(Buffer.concat(Array.from({ length: 200 }, () => rawFrame('pb'))));
      await big.waitFor(/WARN write buffer over its cap: the peer is not reading/, { stream: 'stderr', ms: 20_000 });
    })());
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
