/** Validation of reply payloads, one schema per opcode. */
import type { Block, Transaction } from '@chain/core';
import { ERROR_CODES, REASONS } from './codes';
import { FieldError, arrayOf, exactObject, hex64, oneOf, plainObject, safeInt, text } from './fields';
import type { PayloadLimits } from './limits';
import { REPLY_SCHEMAS_V12 } from './schemas-v12';
import type { Opcode } from './opcodes';
import type { ReplyPayloads } from './payloads';

/** Checks a parsed reply payload. Throws FieldError. */
type Schema<K extends Opcode> = (value: unknown, limits: PayloadLimits) => ReplyPayloads[K];

function statusOf(value: unknown, allowed: readonly string[]): string {
  if (value === undefined || value === null) throw new FieldError('(payload)', 'a payload is required');
  const o = exactObject(value, '', ['status'], ['id', 'reason', 'message', 'block']);
  return oneOf(o.status, 'status', allowed);
}

const block = (limits: PayloadLimits) => (v: unknown, p: string) => plainObject<Block>(v, p, limits.maxObjectKeys);
const transaction = (limits: PayloadLimits) => (v: unknown, p: string) => plainObject<Transaction>(v, p, limits.maxObjectKeys);

/** Reply schemas per opcode. */
export const REPLY_SCHEMAS: { readonly [K in Opcode]: Schema<K> } = {
  tx: (value, limits) => {
    if (statusOf(value, ['Accepted', 'Rejected']) === 'Accepted') {
      const o = exactObject(value, '', ['status', 'id']);
      return { status: 'Accepted', id: hex64(o.id, 'id') };
    }
    const o = exactObject(value, '', ['status', 'reason', 'message']);
    return {
      status: 'Rejected',
      reason: oneOf(o.reason, 'reason', REASONS),
      message: text(o.message, 'message', limits.maxText),
    };
  },
  pb: (value, limits) => {
    const o = exactObject(value, '', ['height', 'blocks']);
    return {
      height: safeInt(o.height, 'height', 1),
      blocks: arrayOf(o.blocks, 'blocks', Number.MAX_SAFE_INTEGER, block(limits)),
    };
  },
  cc: (value) => {
    statusOf(value, ['Connection closed']);
    exactObject(value, '', ['status']);
    return { status: 'Connection closed' };
  },
  gp: (value) => {
    // `target`: only on a retargeting network (docs/spec.md §9.6); a fixed network's reply has none.
    const o = exactObject(
      value,
      '',
      ['index', 'previousProof', 'previousHash', 'templateHash', 'difficulty', 'pow', 'pending'],
      ['target'],
    );
    return {
      index: safeInt(o.index, 'index', 1),
      previousProof: safeInt(o.previousProof, 'previousProof', 0),
      previousHash: hex64(o.previousHash, 'previousHash'),
      templateHash: o.templateHash === null ? null : hex64(o.templateHash, 'templateHash'),
      difficulty: safeInt(o.difficulty, 'difficulty', 1, 16),
      pow: oneOf(o.pow, 'pow', ['bound', 'seed'] as const),
      pending: safeInt(o.pending, 'pending', 0),
      ...(o.target === undefined ? {} : { target: hex64(o.target, 'target') }),
    };
  },
  up: (value, limits) => {
    if (statusOf(value, ['Reward', 'No reward']) === 'Reward') {
      const o = exactObject(value, '', ['status', 'block']);
      return { status: 'Reward', block: plainObject<Block>(o.block, 'block', limits.maxObjectKeys) };
    }
    const o = exactObject(value, '', ['status', 'reason']);
    return { status: 'No reward', reason: oneOf(o.reason, 'reason', REASONS) };
  },
  hb: (value, limits) => {
    const o = exactObject(value, '', ['height', 'hash', 'blocks', 'pool']);
    return {
      height: safeInt(o.height, 'height', 1),
      hash: hex64(o.hash, 'hash'),
      blocks: arrayOf(o.blocks, 'blocks', limits.maxHbBlocks, block(limits)),
      pool: arrayOf(o.pool, 'pool', limits.maxHbPool, transaction(limits)),
    };
  },
  nb: (value) => {
    if (statusOf(value, ['Accepted', 'Rejected']) === 'Accepted') {
      exactObject(value, '', ['status']);
      return { status: 'Accepted' };
    }
    const o = exactObject(value, '', ['status', 'reason']);
    return { status: 'Rejected', reason: oneOf(o.reason, 'reason', REASONS) };
  },
  er: (value, limits) => {
    if (value === undefined || value === null) throw new FieldError('(payload)', 'a payload is required');
    const o = exactObject(value, '', ['code', 'message']);
    return { code: oneOf(o.code, 'code', ERROR_CODES), message: text(o.message, 'message', limits.maxText) };
  },
  ...REPLY_SCHEMAS_V12,
};
