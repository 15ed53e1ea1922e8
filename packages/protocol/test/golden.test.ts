import assert from 'node:assert/strict';
import { createReplyDecoder, createRequestDecoder, encodeFrame, OPCODE_LIST } from '@chain/protocol';
import { specVectors } from '@chain/testkit';
import { readVector } from './helpers';

interface VectorFrame {
  op: string;
  payload: unknown;
  hex: string;
  kind?: 'request' | 'reply';
}

const spec = specVectors<{ frames: VectorFrame[] }>();
const golden = readVector<{ frames: VectorFrame[] }>('golden-frames.json');

function decodeOne(kind: 'request' | 'reply', bytes: Buffer) {
  const decoder = kind === 'request' ? createRequestDecoder() : createReplyDecoder();
  const events = decoder.push(bytes);
  assert.equal(events.length, 1);
  const [event] = events;
  assert.ok(event);
  if (event.type !== 'message') assert.fail(`decode failed: ${event.error.message}`);
  assert.equal(decoder.partial, false);
  return event.message;
}

describe('golden frames', () => {
  describe('spec-v1.json', () => {
    for (const frame of spec.frames) {
      it(`encodes and decodes ${frame.op} ${JSON.stringify(frame.payload)}`, () => {
        assert.equal(encodeFrame(frame.op, frame.payload).toString('hex'), frame.hex);
        const message = decodeOne('request', Buffer.from(frame.hex, 'hex'));
        assert.equal(message.op, frame.op);
        assert.deepEqual(message.payload, frame.payload ?? undefined);
      });
    }
  });

  describe('every opcode, request and reply', () => {
    it('covers every opcode', () => {
      const requests = new Set(golden.frames.filter((f) => f.kind === 'request').map((f) => f.op));
      const replies = new Set(golden.frames.filter((f) => f.kind === 'reply').map((f) => f.op));
      for (const op of OPCODE_LIST) {
        assert.ok(replies.has(op), `reply ${op}`);
        if (op !== 'er') assert.ok(requests.has(op), `request ${op}`);
      }
    });

    for (const frame of golden.frames) {
      const kind = frame.kind ?? 'request';
      it(`${kind} ${frame.op}: ${frame.hex.slice(0, 24)}…`, () => {
        assert.equal(encodeFrame(frame.op, frame.payload).toString('hex'), frame.hex);
        const message = decodeOne(kind, Buffer.from(frame.hex, 'hex'));
        assert.equal(message.op, frame.op);
        assert.deepEqual(message.payload, frame.payload ?? undefined);
      });
    }
  });

  it('byte-level layout of the gp frame of the vectors of the specification', () => {
    const bytes = encodeFrame('gp');
    assert.deepEqual([...bytes], [0x00, 0x00, 0x00, 0x02, 0x67, 0x70]);
  });
});
