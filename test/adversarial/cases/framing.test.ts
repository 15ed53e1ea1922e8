import assert from 'node:assert/strict';
import { DEFAULT_MAX_FRAME, FrameDecoder } from '@chain/protocol';
import { killAll, mineAt, rawFrame } from '@chain/testkit';
import {
  CLASSIC,
  RawConn,
  assertServed,
  classicTx,
  expectError,
  header,
  servedDuring,
  snapshot,
  startPeer,
  type PeerProcess,
  type Snapshot,
} from '../lib/harness';

/** A deterministic byte stream (xorshift32), so a failure can be replayed. */
function randomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const MB = 1024 * 1024;
const PARTIAL_MS = 4000;

describe('framing: garbage on the wire', function () {
  let peer: PeerProcess;
  let port: number;
  let initial: Snapshot;

  before(async () => {
    // Default maxFrame (16 MiB); a short partial-frame deadline so that the slow sender case is quick.
    peer = await startPeer({ network: CLASSIC, partialFrameTimeoutMs: PARTIAL_MS });
    port = peer.port;
    await mineAt(port).catch(() => undefined); // nothing to mine yet: fine
    const conn = await RawConn.open(port);
    conn.write(rawFrame('tx', JSON.stringify(classicTx('pending in the pool'))));
    assert.equal((await conn.frame()).op, 'tx');
    conn.destroy();
    initial = await snapshot(port, CLASSIC);
    assert.equal(initial.pending, 1);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') return;
    // Chain and pool unchanged by garbage, and the peer still serves.
    assert.deepEqual(await snapshot(port, CLASSIC), initial);
    await assertServed(port);
  });

  after(killAll);

  it('a header split across writes, one byte at a time, still makes one frame', async () => {
    const conn = await RawConn.open(port);
    const frame = rawFrame('pb', JSON.stringify({ from: 1, limit: 1 }));
    for (const byte of frame) {
      conn.write(Buffer.from([byte]));
      await new Promise((r) => setTimeout(r, 3));
    }
    const reply = await conn.frame(0);
    assert.equal(reply.op, 'pb');
    assert.equal((reply.payload as { blocks: readonly unknown[] }).blocks.length, 1);
    await conn.assertOpen();
    conn.destroy();
  });

  it('a 3-byte header then close: no reply, the server closes its side, nothing leaks', async () => {
    const conn = await RawConn.open(port);
    conn.write(header(6).subarray(0, 3));
    await assertServed(port);
    conn.socket.end();
    await conn.waitClosed(3000);
    assert.equal(conn.received.length, 0);
  });

  for (const [length, code] of [
    [0, 'bad-frame'],
    [1, 'bad-frame'],
    [DEFAULT_MAX_FRAME + 1, 'frame-too-large'],
    [0xffffffff, 'frame-too-large'],
  ] as const) {
    it(`declared length ${length}: er ${code}, then the connection is closed`, async () => {
      const conn = await RawConn.open(port);
      conn.write(header(length));
      conn.write(Buffer.from('gp')); // bytes after a fatal header are never read as a frame
      const message = await expectError(conn, code);
      assert.match(message, new RegExp(`declared frame length ${length}`));
      await conn.waitClosed(3000);
      assert.equal(conn.received.length, 1, 'exactly one reply: the error');
    });
  }

  it('declared lengths are never allocated: 200 × 0xFFFFFFFF and 100 half-sent 16 MiB frames keep memory flat', async () => {
    const rss0 = peer.rss();
    const { worst } = await servedDuring(
      port,
      (async () => {
        const huge = await Promise.all(Array.from({ length: 200 }, () => RawConn.open(port)));
        for (const c of huge) c.write(header(0xffffffff));
        await Promise.all(huge.map((c) => expectError(c, 'frame-too-large')));
        await Promise.all(huge.map((c) => c.waitClosed()));
        // 100 connections each announce a maximum-size frame and send 10 bytes of it: 1.6 GB if reserved up front.
        const held = await Promise.all(Array.from({ length: 100 }, () => RawConn.open(port)));
        for (const c of held) c.write(Buffer.concat([header(DEFAULT_MAX_FRAME), Buffer.from('pb{"from":1')]));
        await new Promise((r) => setTimeout(r, 300));
        const during = peer.rss();
        for (const c of held) c.destroy();
        return during;
      })(),
    );
    const growth = peer.rss() - rss0;
    assert.ok(growth < 48 * MB, `RSS grew by ${(growth / MB).toFixed(1)} MiB`);
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
  });

  it('64 KiB of random bytes: the header decides (frame-too-large), then close', async () => {
    const bytes = randomBytes(64 * 1024, 3221);
    const expected = new FrameDecoder().push(bytes).find((e) => e.type === 'error');
    assert.ok(expected && expected.type === 'error');
    assert.equal(expected.error.code, 'frame-too-large');
    const conn = await RawConn.open(port);
    conn.write(bytes);
    await expectError(conn, 'frame-too-large');
    await conn.waitClosed();
    assert.equal(conn.received.length, 1);
  });

  it('64 KiB of random bytes behind a plausible header: bad opcode bytes are bad-frame, then close', async () => {
    const body = randomBytes(64 * 1024 - 4, 6000);
    body[0] = 0x00; // never a lowercase letter
    const conn = await RawConn.open(port);
    conn.write(Buffer.concat([header(body.length), body]));
    const message = await expectError(conn, 'bad-frame');
    assert.match(message, /opcode bytes 0x00/);
    await conn.waitClosed();
  });

  it(`a frame that arrives one byte every 1.5 s is cut at the ${PARTIAL_MS} ms deadline (er bad-frame, close)`, async () => {
    const conn = await RawConn.open(port);
    const frame = rawFrame('pb', JSON.stringify({ from: 1, limit: 1 }));
    const started = Date.now();
    let sent = 0;
    const { worst } = await servedDuring(
      port,
      (async () => {
        while (!conn.isClosed && sent < frame.length) {
          conn.write(frame.subarray(sent, sent + 1));
          sent++;
          await Promise.race([new Promise((r) => setTimeout(r, 1500)), conn.closed]);
        }
      })(),
    );
    const elapsed = Date.now() - started;
    const message = await expectError(conn, 'bad-frame');
    assert.match(message, /incomplete frame/);
    assert.equal(conn.received.length, 1);
    assert.ok(elapsed >= PARTIAL_MS - 100 && elapsed < PARTIAL_MS + 1500, `closed after ${elapsed} ms, ${sent} bytes`);
    assert.ok(sent < frame.length, 'the frame never completed');
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
  });

  it('80 maximum-size frames on one connection while another client asks gp: all answered, memory bounded', async function () {
    this.timeout(120_000);
    const json = JSON.stringify({ from: 1, limit: 1 });
    // A valid pb request padded with JSON whitespace to exactly L = maxFrame.
    const body = Buffer.alloc(DEFAULT_MAX_FRAME - 2, 0x20);
    body.write(json, 0, 'utf8');
    const frame = Buffer.concat([header(DEFAULT_MAX_FRAME), Buffer.from('pb'), body]);
    const rss0 = peer.rss();
    let peak = rss0;
    const conn = await RawConn.open(port);
    const { worst, count } = await servedDuring(
      port,
      (async () => {
        const sampler = setInterval(() => {
          peak = Math.max(peak, peer.rss());
        }, 50);
        try {
          for (let i = 0; i < 80; i++) {
            if (!conn.socket.write(frame)) await new Promise((r) => conn.socket.once('drain', r));
          }
          await conn.frame(79, 60_000);
        } finally {
          clearInterval(sampler);
        }
      })(),
      1000,
    );
    assert.equal(conn.received.length, 80);
    for (const r of conn.received) assert.ok(r.type === 'message' && r.message.op === 'pb');
    await conn.assertOpen();
    conn.destroy();
    assert.ok(count >= 3, `honest client asked ${count} times`);
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
    // 80 frames are 1.25 GiB; the peer holds about one at a time.
    assert.ok(peak - rss0 < 320 * MB, `RSS peaked ${((peak - rss0) / MB).toFixed(0)} MiB above the start`);
  });
});
