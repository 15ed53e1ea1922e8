import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createReplyDecoder,
  createRequestDecoder,
  decodeReply,
  decodeRequest,
  encodeFrame,
  ERROR_CODES,
  OPCODE_LIST,
  type MessageDecoder,
  type MessageEvent,
} from '@chain/protocol';
import { replyMessage, requestMessage, splitAt } from './arbitraries';

const MAX_FRAME = 512;

/** Feed chunks; check the decoder's invariants after every one. */
function feed<M>(decoder: MessageDecoder<M>, chunks: Uint8Array[]): MessageEvent<M>[] {
  const all: MessageEvent<M>[] = [];
  let fatalSeen = false;
  for (const chunk of chunks) {
    let events: MessageEvent<M>[] = [];
    assert.doesNotThrow(() => {
      events = decoder.push(chunk);
    });
    if (fatalSeen) assert.deepEqual(events, [], 'no events after a fatal error');
    for (const e of events) {
      if (e.type === 'error') {
        assert.ok((ERROR_CODES as readonly string[]).includes(e.error.code), e.error.code);
        assert.ok(e.error.message.length > 0 && e.error.message.length <= 512);
        if (e.error.fatal) fatalSeen = true;
      }
    }
    // never more than one frame's worth of bytes is held
    assert.ok(decoder.buffered <= decoder.frames.maxFrame, `buffered ${decoder.buffered}`);
    all.push(...events);
  }
  const fatal = all.filter((e) => e.type === 'error' && e.error.fatal);
  assert.ok(fatal.length <= 1);
  if (fatal.length === 1) assert.equal(all[all.length - 1], fatal[0], 'a fatal error is the last event');
  return all;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip') out[at] = m.value;
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.count)]);
  }
  return out;
}

describe('fuzz', () => {
  it('random bytes in random chunks never throw and never overrun the limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        feed(createRequestDecoder({ maxFrame: MAX_FRAME }), splitAt(bytes, cuts));
        feed(createReplyDecoder({ maxFrame: MAX_FRAME }), splitAt(bytes, cuts));
      }),
      { numRuns: 2000 },
    );
  });

  it('plausible frames with random bodies never throw', () => {
    const frame = fc
      .tuple(fc.constantFrom(...OPCODE_LIST, 'zz', 'ab'), fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })))
      .map(([op, body]) => {
        const b = Buffer.from(body, 'utf8');
        const head = Buffer.alloc(6);
        head.writeUInt32BE(b.length + 2);
        head.write(op, 4, 'latin1');
        return Buffer.concat([head, b]);
      });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, cuts) => {
        const stream = Buffer.concat(frames);
        const events = feed(createRequestDecoder({ maxFrame: 4096 }), splitAt(stream, cuts));
        // every frame yields exactly one event: the stream recovers from bad payloads
        assert.equal(events.length, frames.length);
        feed(createReplyDecoder({ maxFrame: 4096 }), splitAt(stream, cuts));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated valid streams: no throw, clear errors, frames before the damage still decode', () => {
    fc.assert(
      fc.property(
        fc.array(requestMessage, { minLength: 1, maxLength: 4 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (messages, mutations, cuts) => {
          const frames = messages.map((m) => encodeFrame(m.op, m.payload));
          const stream = Buffer.concat(frames);
          const damaged = mutate(stream, mutations);
          const events = feed(createRequestDecoder({ maxFrame: MAX_FRAME * 64 }), splitAt(damaged, cuts));
          // every frame that lies wholly before the first changed byte decodes exactly
          let firstDiff = 0;
          while (firstDiff < stream.length && stream[firstDiff] === damaged[firstDiff]) firstDiff++;
          let offset = 0;
          messages.forEach((m, i) => {
            offset += (frames[i] as Buffer).length;
            if (offset <= firstDiff) assert.deepEqual(events[i], { type: 'message', message: m });
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a body mutation is reported for that frame only; the next frames still decode', () => {
    fc.assert(
      fc.property(requestMessage, requestMessage, fc.nat(), fc.integer({ min: 0, max: 255 }), (damagedMsg, next, at, value) => {
        const first = encodeFrame(damagedMsg.op, damagedMsg.payload);
        if (first.length <= 6) return; // no body to damage
        const i = 6 + (at % (first.length - 6));
        first[i] = value;
        const events = feed(createRequestDecoder(), [Buffer.concat([first, encodeFrame(next.op, next.payload)])]);
        assert.equal(events.length, 2);
        const [a, b] = events;
        if (a?.type === 'error') assert.equal(a.error.code, 'malformed');
        assert.deepEqual(b, { type: 'message', message: next });
      }),
      { numRuns: 1000 },
    );
  });

  it('replies survive the same treatment', () => {
    fc.assert(
      fc.property(fc.array(replyMessage, { minLength: 1, maxLength: 3 }), fc.array(mutation, { maxLength: 3 }), (messages, mutations) => {
        const damaged = mutate(Buffer.concat(messages.map((m) => encodeFrame(m.op, m.payload))), mutations);
        feed(createReplyDecoder({ maxFrame: MAX_FRAME * 64 }), [damaged]);
      }),
      { numRuns: 500 },
    );
  });

  it('single-frame decoders never throw on arbitrary bodies', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 2 }), fc.uint8Array({ maxLength: 300 }), (op, body) => {
        assert.doesNotThrow(() => decodeRequest({ op, body }));
        assert.doesNotThrow(() => decodeReply({ op, body }));
      }),
      { numRuns: 2000 },
    );
  });
});
