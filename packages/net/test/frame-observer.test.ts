import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeFrame, type PbReply } from '@chain/protocol';
import {
  FrameTally,
  checkFrameObserver,
  createClient,
  createServer,
  observedTcpTransport,
  opcodeOf,
  silentLogger,
  type FrameDirection,
} from '@chain/net';
import { until } from '@chain/testkit';
import { transportCompliance } from './compliance';

/** Every frame an observer heard, in order. */
function recorder() {
  const seen: { direction: FrameDirection; op: string; bytes: number }[] = [];
  return { seen, frame: (direction: FrameDirection, op: string, bytes: number) => void seen.push({ direction, op, bytes }) };
}

// Observing must change nothing a transport does.
transportCompliance('tcp, observed', () => observedTcpTransport({ frame: () => undefined }), { limits: true });

describe('FrameTally', () => {
  it('reports each whole frame once, however the stream is cut', () => {
    const frame = fc.record({
      op: fc.constantFrom('tx', 'pb', 'hb', 'nb', 'zz'),
      payload: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 300 })), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const encoded = frames.map((f) => encodeFrame(f.op, f.payload));
        const stream = Buffer.concat(encoded);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const r = recorder();
        const tally = new FrameTally(r);
        let from = 0;
        for (const to of [...points, stream.length]) {
          tally.push(stream.subarray(from, to));
          from = to;
        }
        assert.deepEqual(
          r.seen,
          encoded.map((e, i) => ({ direction: 'in', op: frames[i]?.op, bytes: e.length })),
        );
      }),
    );
  });

  it('stops counting at a length that cannot hold an opcode', () => {
    const r = recorder();
    const tally = new FrameTally(r);
    tally.push(Buffer.concat([Buffer.from([0, 0, 0, 1, 0x61, 0x62]), encodeFrame('pb')]));
    assert.deepEqual(r.seen, []);
  });

  it('opcodeOf reads an encoded frame', () => {
    assert.equal(opcodeOf(encodeFrame('hb', { height: 1 })), 'hb');
  });

  it('checkFrameObserver names what is wrong', () => {
    assert.throws(() => checkFrameObserver({}, 'frames'), /frames must be an object with a frame\(direction, op, bytes\) function/);
    assert.throws(() => observedTcpTransport(null as never), /got null/);
    assert.throws(() => createServer({ frames: 3 as never }), /server frames must be an object/);
    assert.throws(() => createClient({ host: '127.0.0.1', port: 1, frames: {} as never }), /client frames must be an object/);
  });
});

describe('observedTcpTransport', () => {
  it('reports every request and reply on both sides, with their sizes', async () => {
    const serverSide = recorder();
    const clientSide = recorder();
    const server = observedTcpTransport(serverSide).createServer({ logger: silentLogger });
    server.handle('pb', (req): PbReply => ({ height: req?.from ?? 0, blocks: [] }));
    const { port } = await server.listen(0, '127.0.0.1');
    const client = observedTcpTransport(clientSide).createClient({ host: '127.0.0.1', port, logger: silentLogger });
    try {
      await client.request('pb', { from: 3 });
      await client.request('pb', { from: 4 });
      const request = encodeFrame('pb', { from: 3 }).length;
      const reply = encodeFrame('pb', { height: 3, blocks: [] }).length;
      await until(() => serverSide.seen.length === 4, 'the server to report both replies');
      assert.deepEqual(serverSide.seen.slice(0, 2), [
        { direction: 'in', op: 'pb', bytes: request },
        { direction: 'out', op: 'pb', bytes: reply },
      ]);
      assert.deepEqual(clientSide.seen.slice(0, 2), [
        { direction: 'out', op: 'pb', bytes: request },
        { direction: 'in', op: 'pb', bytes: reply },
      ]);
      assert.equal(clientSide.seen.length, 4);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
