import fc from 'fast-check';
import type { Block, Transaction } from '@chain/core';
import { ERROR_CODES, REASONS, type BlockHeader, type ReplyMessage, type RequestMessage } from '@chain/protocol';

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

const hex12 = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => Buffer.from(b).toString('hex'));
const version = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `${a}.${b}`);

export const header: fc.Arbitrary<BlockHeader> = rec({
  index: positive,
  timestamp: safeNat,
  previousHash: hex64,
  txRoot: hex64,
  proof: safeNat,
  currentHash: hex64,
  txCount: fc.integer({ min: 1, max: 5 }),
});

/** Strictly ascending places below `n`. */
const places = (n: number) => fc.uniqueArray(fc.nat(Math.max(0, n - 1)), { maxLength: Math.min(n, 6) }).map((a) => a.sort((x, y) => x - y));

/** Requests of the opcodes added by version 1.2. */
export const requestMessageV12: fc.Arbitrary<RequestMessage> = fc.oneof(
  version.map((v) => ({ op: 'vs' as const, payload: { version: v } })),
  rec({ genesis: hex64, listen: fc.option(listen, { nil: null }) }).map((payload) => ({ op: 'hi' as const, payload })),
  fc.array(hex64, { minLength: 1, maxLength: 5 }).map((ids) => ({ op: 'ia' as const, payload: { ids } })),
  fc.array(transaction, { minLength: 1, maxLength: 3 }).map((txs) => ({ op: 'tb' as const, payload: { txs } })),
  fc.array(hex64, { minLength: 1, maxLength: 5 }).map((ids) => ({ op: 'gt' as const, payload: { ids } })),
  header.chain((h) =>
    fc.array(hex12, { minLength: h.txCount, maxLength: h.txCount }).map((short) => ({ op: 'cb' as const, payload: { header: h, short } })),
  ),
  rec({ hash: hex64, txs: fc.array(transaction, { minLength: 1, maxLength: 3 }) }).map((payload) => ({ op: 'bt' as const, payload })),
  rec({ locator: fc.array(hex64, { minLength: 1, maxLength: 64 }), limit: fc.integer({ min: 1, max: 2000 }) }).map((payload) => ({
    op: 'gh' as const,
    payload,
  })),
  fc.array(hex64, { minLength: 1, maxLength: 5 }).map((hashes) => ({ op: 'gb' as const, payload: { hashes } })),
);

const compactReply = fc.oneof(
  fc.constant({ status: 'Accepted' as const }),
  reason.map((r) => ({ status: 'Rejected' as const, reason: r })),
  places(10000).map((missing) => ({ status: 'Missing' as const, missing })),
  fc.constant({ status: 'Full' as const }),
);

/** Replies of the opcodes added by version 1.2. */
export const replyMessageV12: fc.Arbitrary<ReplyMessage> = fc.oneof(
  version.map((v) => ({ op: 'vs' as const, payload: { version: v } })),
  rec({ height: positive, hash: hex64, pool: fc.array(hex64, { maxLength: 4 }) }).map((payload) => ({ op: 'hi' as const, payload })),
  places(1000).map((want) => ({ op: 'ia' as const, payload: { want } })),
  rec({
    accepted: fc.integer({ min: 0, max: 1000 }),
    rejected: fc.array(rec({ index: fc.nat(999), reason }), { maxLength: 3 }),
  }).map((payload) => ({ op: 'tb' as const, payload })),
  fc.array(transaction, { maxLength: 3 }).map((txs) => ({ op: 'gt' as const, payload: { txs } })),
  compactReply.map((payload) => ({ op: 'cb' as const, payload })),
  compactReply.map((payload) => ({ op: 'bt' as const, payload })),
  rec({ height: positive, headers: fc.array(header, { maxLength: 3 }) }).map((payload) => ({ op: 'gh' as const, payload })),
  fc.array(block, { maxLength: 3 }).map((blocks) => ({ op: 'gb' as const, payload: { blocks } })),
);

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
  requestMessageV12,
);

export const replyMessage: fc.Arbitrary<ReplyMessage> = fc.oneof(
  hex64.map((id) => ({ op: 'tx' as const, payload: { status: 'Accepted' as const, id } })),
  rec({ reason, message: fc.string({ maxLength: 1024 }) }).map((r) => ({
    op: 'tx' as const,
    payload: { status: 'Rejected' as const, ...r },
  })),
  rec({ height: positive, blocks: fc.array(block, { maxLength: 3 }) }).map((payload) => ({ op: 'pb' as const, payload })),
  fc.constant({ op: 'cc' as const, payload: { status: 'Connection closed' as const } }),
  fc
    .tuple(
      rec({
        index: positive,
        previousProof: safeNat,
        previousHash: hex64,
        templateHash: fc.option(hex64, { nil: null }),
        difficulty: fc.integer({ min: 1, max: 16 }),
        pow: fc.constantFrom('bound' as const, 'seed' as const),
        pending: safeNat,
      }),
      // The target of a retargeting network's reply; none on a fixed network.
      fc.option(hex64, { nil: undefined }),
    )
    .map(([payload, target]) => ({ op: 'gp' as const, payload: target === undefined ? payload : { ...payload, target } })),
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
  replyMessageV12,
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
