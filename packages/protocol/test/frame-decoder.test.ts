import assert from 'node:assert/strict';
import { encodeFrame, FrameDecoder, type FrameEvent } from '@chain/protocol';
import { rawFrame } from '@chain/testkit';

function frames(events: FrameEvent[]) {
  return events.map((e) => (e.type === 'frame' ? `${e.frame.op}:${Buffer.from(e.frame.body).toString()}` : `!${e.error.code}`));
}

describe('FrameDecoder', () => {
  it('decodes a frame split over one-byte reads', () => {
    const bytes = encodeFrame('pb', { from: 1, limit: 2 });
    const d = new FrameDecoder();
    const out: FrameEvent[] = [];
    for (let i = 0; i < bytes.length; i++) {
      out.push(...d.push(bytes.subarray(i, i + 1)));
      assert.equal(d.partial, i < bytes.length - 1);
      const held = i < 3 ? i + 1 : i + 1 - 4; // header bytes, then body bytes
      assert.equal(d.buffered, i < bytes.length - 1 ? held : 0);
    }
    assert.deepEqual(frames(out), ['pb:{"from":1,"limit":2}']);
  });

  it('decodes many frames in one read, keeping a trailing partial', () => {
    const all = Buffer.concat([encodeFrame('gp'), encodeFrame('cc'), encodeFrame('pb', { from: 3 }), encodeFrame('gp')]);
    const d = new FrameDecoder();
    assert.deepEqual(frames(d.push(all.subarray(0, all.length - 3))), ['gp:', 'cc:', 'pb:{"from":3}']);
    assert.equal(d.partial, true);
    assert.equal(d.buffered, 3); // three of the four header bytes
    assert.deepEqual(frames(d.push(all.subarray(all.length - 3))), ['gp:']);
    assert.equal(d.partial, false);
    assert.equal(d.frames, 4);
  });

  it('copies a buffered tail instead of pinning the chunk', () => {
    const chunk = Buffer.concat([encodeFrame('gp'), rawFrame('tx', '{"a":1}').subarray(0, 8)]);
    const d = new FrameDecoder();
    d.push(chunk);
    chunk.fill(0); // the caller reuses its buffer
    assert.deepEqual(frames(d.push(rawFrame('tx', '{"a":1}').subarray(8))), ['tx:{"a":1}']);
  });

  it('rejects a zero-length frame as bad-frame', () => {
    const d = new FrameDecoder();
    assert.deepEqual(frames(d.push(Buffer.from([0, 0, 0, 0]))), ['!bad-frame']);
    assert.equal(d.failed?.fatal, true);
  });

  it('rejects a length of 1 as bad-frame', () => {
    assert.deepEqual(frames(new FrameDecoder().push(Buffer.from([0, 0, 0, 1, 0x61]))), ['!bad-frame']);
  });

  it('rejects an oversize header before any body byte arrives', () => {
    const d = new FrameDecoder({ maxFrame: 1024 });
    const events = d.push(Buffer.from([0, 0, 4, 1]));
    assert.deepEqual(frames(events), ['!frame-too-large']);
    assert.equal(d.buffered, 0);
    const huge = new FrameDecoder();
    assert.deepEqual(frames(huge.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))), ['!frame-too-large']);
  });

  it('holds the bytes that arrived, never the declared length', () => {
    const d = new FrameDecoder(); // 16 MiB
    const head = Buffer.alloc(5);
    head.writeUInt32BE(16 * 1024 * 1024, 0);
    head[4] = 0x74;
    assert.deepEqual(d.push(head), []);
    assert.equal(d.partial, true);
    assert.equal(d.buffered, 1);
  });

  it('accepts a frame of exactly maxFrame', () => {
    const d = new FrameDecoder({ maxFrame: 10 });
    assert.deepEqual(frames(d.push(rawFrame('tx', '12345678'))), ['tx:12345678']);
    assert.deepEqual(frames(new FrameDecoder({ maxFrame: 10 }).push(rawFrame('tx', '123456789'))), ['!frame-too-large']);
  });

  it('rejects opcode bytes that are not lowercase ASCII letters', () => {
    for (const op of ['TX', 't1', '\u00e9x', '  ']) {
      const d = new FrameDecoder();
      assert.deepEqual(frames(d.push(rawFrame(op))), ['!bad-frame'], op);
    }
  });

  it('refuses input after a fatal error, but reports frames before it', () => {
    const d = new FrameDecoder();
    const events = d.push(Buffer.concat([encodeFrame('gp'), Buffer.from([0, 0, 0, 0]), encodeFrame('gp')]));
    assert.deepEqual(frames(events), ['gp:', '!bad-frame']);
    assert.deepEqual(d.push(encodeFrame('gp')), []);
    assert.equal(d.partial, false);
  });

  it('rejects a bad maxFrame option', () => {
    assert.throws(() => new FrameDecoder({ maxFrame: 1 }), RangeError);
    assert.throws(() => new FrameDecoder({ maxFrame: 2 ** 32 }), RangeError);
  });
});

describe('encodeFrame', () => {
  it('refuses ill-formed opcodes and oversize frames', () => {
    assert.throws(() => encodeFrame('TX', {}), TypeError);
    assert.throws(() => encodeFrame('txx', {}), TypeError);
    assert.throws(() => encodeFrame('tx', { s: 'x'.repeat(100) }, 50), RangeError);
    assert.throws(() => encodeFrame('tx', () => 1), TypeError);
  });

  it('writes UTF-8 and counts bytes, not characters', () => {
    const bytes = encodeFrame('er', { code: 'internal', message: 'é' });
    assert.equal(bytes.readUInt32BE(0), bytes.length - 4);
    assert.equal(bytes.subarray(6).toString('utf8'), '{"code":"internal","message":"é"}');
  });
});
