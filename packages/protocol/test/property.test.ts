import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReplyDecoder, createRequestDecoder, encodeFrame, type MessageEvent } from '@chain/protocol';
import { jsonValue, replyMessage, requestMessage, splitAt } from './arbitraries';

function collect<M>(push: (c: Uint8Array) => MessageEvent<M>[], chunks: Uint8Array[]): M[] {
  const out: M[] = [];
  for (const chunk of chunks) {
    for (const event of push(chunk)) {
      if (event.type === 'error') assert.fail(event.error.message);
      out.push(event.message);
    }
  }
  return out;
}

describe('round trips', () => {
  it('every request decodes to itself, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(requestMessage, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((m) => encodeFrame(m.op, m.payload)));
        const decoder = createRequestDecoder();
        const decoded = collect((c) => decoder.push(c), splitAt(stream, cuts));
        assert.deepEqual(decoded, messages);
        assert.equal(decoder.partial, false);
      }),
      { numRuns: 300 },
    );
  });

  it('every reply decodes to itself, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(replyMessage, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((m) => encodeFrame(m.op, m.payload)));
        const decoder = createReplyDecoder();
        assert.deepEqual(
          collect((c) => decoder.push(c), splitAt(stream, cuts)),
          messages,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON object of integers and strings reaches a tx handler unchanged', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 8 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
          jsonValue,
          { maxKeys: 8, noNullPrototype: true },
        ),
        (payload) => {
          const decoded = collect((c) => createRequestDecoder().push(c), [encodeFrame('tx', payload)]);
          assert.deepEqual(decoded, [{ op: 'tx', payload }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encoded length header always matches the body', () => {
    fc.assert(
      fc.property(requestMessage, (m) => {
        const bytes = encodeFrame(m.op, m.payload);
        assert.equal(bytes.readUInt32BE(0), bytes.length - 4);
        assert.equal(bytes.subarray(4, 6).toString('latin1'), m.op);
      }),
    );
  });
});
