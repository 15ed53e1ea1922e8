import fc from 'fast-check';
import type { Block, Transaction } from '@chain/core';
import { ERROR_CODES, REASONS, type ReplyMessage, type RequestMessage } from '@chain/protocol';

export const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
export const hex128 = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex'));
const safeNat = fc.maxSafeNat();
/** Records with an ordinary prototype, as JSON.parse builds them. */
const rec = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { noNullPrototype: true });
const positive = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const text = fc.string({ maxLength: 200, unit: 'binary' });

/** JSON values made only of what the protocol carries: integers, strings, booleans, null. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.maxSafeInteger(),
    text,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ maxLength: 12 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
      tie('value'),
      { maxKeys: 4, noNullPrototype: true },
    ),
  ),
})).value;

export const transaction: fc.Arbitrary<Transaction> = fc.oneof(
  rec({ sender: hex64, content: fc.string({ maxLength: 70 }), timestamp: safeNat, signature: hex128 }),
  rec({ sender: fc.string({ maxLength: 8 }), content: text, timestamp: safeNat }),
);

export const block: fc.Arbitrary<Block> = rec({
  index: positive,
  timestamp: safeNat,
  transactions: fc.array(transaction, { maxLength: 3 }),
  proof: safeNat,
  previousHash: hex64,
  currentHash: hex64,
});

const listen = fc
  .tuple(fc.constantFrom('127.0.0.1', 'peer.example', '[::1]', 'a', 'node-7.local'), fc.integer({ min: 1, max: 65535 }))
  .map(([h, p]) => `${h}:${p}`);
const reason = fc.constantFrom(...REASONS);

export const requestMessage: fc.Arbitrary<RequestMessage> = fc.oneof(
  transaction.map((payload) => ({ op: 'tx' as const, payload })),
  fc
    .option(fc.record({ from: positive, limit: positive }, { requiredKeys: [], noNullPrototype: true }), { nil: undefined })
    .map((payload) => ({ op: 'pb' as const, payload })),
  fc.constant({ op: 'cc' as const, payload: undefined }),
  fc
    .option(fc.record({ wait: safeNat, known: fc.option(hex64, { nil: null }) }, { requiredKeys: [], noNullPrototype: true }), {
      nil: undefined,
    })
    .map((payload) => ({ op: 'gp' as const, payload })),
  rec({ proof: safeNat, templateHash: hex64 }).map((payload) => ({ op: 'up' as const, payload })),
  rec({ genesis: hex64, locator: fc.array(hex64, { minLength: 1, maxLength: 64 }), listen: fc.option(listen, { nil: null }) }).map(
    (payload) => ({ op: 'hb' as const, payload }),
  ),
  block.map((b) => ({ op: 'nb' as const, payload: { block: b } })),
);

export const replyMessage: fc.Arbitrary<ReplyMessage> = fc.oneof(
  hex64.map((id) => ({ op: 'tx' as const, payload: { status: 'Accepted' as const, id } })),
  rec({ reason, message: fc.string({ maxLength: 1024 }) }).map((r) => ({
    op: 'tx' as const,
    payload: { status: 'Rejected' as const, ...r },
  })),
  rec({ height: positive, blocks: fc.array(block, { maxLength: 3 }) }).map((payload) => ({ op: 'pb' as const, payload })),
  fc.constant({ op: 'cc' as const, payload: { status: 'Connection closed' as const } }),
  rec({
    index: positive,
    previousProof: safeNat,
    previousHash: hex64,
    templateHash: fc.option(hex64, { nil: null }),
    difficulty: fc.integer({ min: 1, max: 16 }),
    pow: fc.constantFrom('bound' as const, 'seed' as const),
    pending: safeNat,
  }).map((payload) => ({ op: 'gp' as const, payload })),
  block.map((b) => ({ op: 'up' as const, payload: { status: 'Reward' as const, block: b } })),
  reason.map((r) => ({ op: 'up' as const, payload: { status: 'No reward' as const, reason: r } })),
  rec({ height: positive, hash: hex64, blocks: fc.array(block, { maxLength: 3 }), pool: fc.array(transaction, { maxLength: 3 }) }).map(
    (payload) => ({ op: 'hb' as const, payload }),
  ),
  fc.constant({ op: 'nb' as const, payload: { status: 'Accepted' as const } }),
  reason.map((r) => ({ op: 'nb' as const, payload: { status: 'Rejected' as const, reason: r } })),
  rec({ code: fc.constantFrom(...ERROR_CODES), message: fc.string({ maxLength: 1024 }) }).map((payload) => ({
    op: 'er' as const,
    payload,
  })),
);

/** Split a buffer at random cut points. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}
