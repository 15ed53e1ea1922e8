/** Validation of the payloads of the opcodes added by version 1.2, requests and replies. */
import type { Block, Transaction } from '@chain/core';
import { REASONS } from './codes';
import { FieldError, arrayOf, exactObject, hex12, hex64, listenAddress, oneOf, plainObject, safeInt, text } from './fields';
import type { PayloadLimits } from './limits';
import type { BlockHeader, CompactReply } from './payloads-v12';

function required(value: unknown): void {
  if (value === undefined || value === null) throw new FieldError('(payload)', 'a payload is required');
}

/** `major.minor`, each a number of at most three digits. */
function version(value: unknown, path: string): string {
  const s = text(value, path, 7);
  if (!/^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/.test(s)) throw new FieldError(path, `expected a version such as "1.2", got "${s}"`);
  return s;
}

/** Places in a list of `length`: each an index below it, strictly ascending. */
function places(value: unknown, path: string, max: number, length = max): number[] {
  const list = arrayOf(value, path, max, (v, p) => safeInt(v, p, 0, Math.max(0, length - 1)));
  for (let i = 1; i < list.length; i++)
    if ((list[i] as number) <= (list[i - 1] as number)) throw new FieldError(`${path}[${i}]`, 'places must be strictly ascending');
  return list;
}

export function header(value: unknown, path: string): BlockHeader {
  const o = exactObject(value, path, ['index', 'timestamp', 'previousHash', 'txRoot', 'proof', 'currentHash', 'txCount']);
  return {
    index: safeInt(o.index, `${path}.index`, 0),
    timestamp: safeInt(o.timestamp, `${path}.timestamp`, 0),
    previousHash: hex64(o.previousHash, `${path}.previousHash`),
    txRoot: hex64(o.txRoot, `${path}.txRoot`),
    proof: safeInt(o.proof, `${path}.proof`, 0),
    currentHash: hex64(o.currentHash, `${path}.currentHash`),
    txCount: safeInt(o.txCount, `${path}.txCount`, 0),
  };
}

const transaction = (limits: PayloadLimits) => (v: unknown, p: string) => plainObject<Transaction>(v, p, limits.maxObjectKeys);
const block = (limits: PayloadLimits) => (v: unknown, p: string) => plainObject<Block>(v, p, limits.maxObjectKeys);
const ids = (value: unknown, path: string, limits: PayloadLimits, min = 1) => arrayOf(value, path, limits.maxIds, hex64, min);

/** Request schemas of version 1.2. */
export const REQUEST_SCHEMAS_V12 = {
  vs: (value: unknown) => {
    required(value);
    const o = exactObject(value, '', ['version']);
    return { version: version(o.version, 'version') };
  },
  hi: (value: unknown, limits: PayloadLimits) => {
    required(value);
    const o = exactObject(value, '', ['genesis', 'listen']);
    return { genesis: hex64(o.genesis, 'genesis'), listen: o.listen === null ? null : listenAddress(o.listen, 'listen', limits.maxListen) };
  },
  ia: (value: unknown, limits: PayloadLimits) => {
    required(value);
    return { ids: ids(exactObject(value, '', ['ids']).ids, 'ids', limits) };
  },
  tb: (value: unknown, limits: PayloadLimits) => {
    required(value);
    return { txs: arrayOf(exactObject(value, '', ['txs']).txs, 'txs', limits.maxTxBatch, transaction(limits), 1) };
  },
  gt: (value: unknown, limits: PayloadLimits) => {
    required(value);
    return { ids: ids(exactObject(value, '', ['ids']).ids, 'ids', limits) };
  },
  cb: (value: unknown, limits: PayloadLimits) => {
    required(value);
    const o = exactObject(value, '', ['header', 'short']);
    const h = header(o.header, 'header');
    const short = arrayOf(o.short, 'short', limits.maxShortIds, hex12, 1);
    if (short.length !== h.txCount) throw new FieldError('short', `${short.length} short ids for a header of ${h.txCount} transactions`);
    return { header: h, short };
  },
  bt: (value: unknown, limits: PayloadLimits) => {
    required(value);
    const o = exactObject(value, '', ['hash', 'txs']);
    return { hash: hex64(o.hash, 'hash'), txs: arrayOf(o.txs, 'txs', limits.maxShortIds, transaction(limits), 1) };
  },
  gh: (value: unknown, limits: PayloadLimits) => {
    required(value);
    const o = exactObject(value, '', ['locator', 'limit']);
    return { locator: arrayOf(o.locator, 'locator', limits.maxLocator, hex64, 1), limit: safeInt(o.limit, 'limit', 1, limits.maxHeaders) };
  },
  gb: (value: unknown, limits: PayloadLimits) => {
    required(value);
    return { hashes: arrayOf(exactObject(value, '', ['hashes']).hashes, 'hashes', limits.maxGetBlocks, hex64, 1) };
  },
};

function compact(value: unknown, limits: PayloadLimits): CompactReply {
  required(value);
  const status = oneOf(exactObject(value, '', ['status'], ['reason', 'missing']).status, 'status', [
    'Accepted',
    'Rejected',
    'Missing',
    'Full',
  ] as const);
  if (status === 'Rejected') {
    const o = exactObject(value, '', ['status', 'reason']);
    return { status, reason: oneOf(o.reason, 'reason', REASONS) };
  }
  if (status === 'Missing') {
    const o = exactObject(value, '', ['status', 'missing']);
    return { status, missing: places(o.missing, 'missing', limits.maxShortIds) };
  }
  exactObject(value, '', ['status']);
  return { status };
}

/** Reply schemas of version 1.2. */
export const REPLY_SCHEMAS_V12 = {
  vs: (value: unknown) => REQUEST_SCHEMAS_V12.vs(value),
  hi: (value: unknown, limits: PayloadLimits) => {
    const o = exactObject(value, '', ['height', 'hash', 'pool']);
    return { height: safeInt(o.height, 'height', 1), hash: hex64(o.hash, 'hash'), pool: ids(o.pool, 'pool', limits, 0) };
  },
  ia: (value: unknown, limits: PayloadLimits) => ({ want: places(exactObject(value, '', ['want']).want, 'want', limits.maxIds) }),
  tb: (value: unknown, limits: PayloadLimits) => {
    const o = exactObject(value, '', ['accepted', 'rejected']);
    return {
      accepted: safeInt(o.accepted, 'accepted', 0, limits.maxTxBatch),
      rejected: arrayOf(o.rejected, 'rejected', limits.maxTxBatch, (v, p) => {
        const r = exactObject(v, p, ['index', 'reason']);
        return { index: safeInt(r.index, `${p}.index`, 0, limits.maxTxBatch - 1), reason: oneOf(r.reason, `${p}.reason`, REASONS) };
      }),
    };
  },
  gt: (value: unknown, limits: PayloadLimits) => ({
    txs: arrayOf(exactObject(value, '', ['txs']).txs, 'txs', limits.maxIds, transaction(limits)),
  }),
  cb: compact,
  bt: compact,
  gh: (value: unknown, limits: PayloadLimits) => {
    const o = exactObject(value, '', ['height', 'headers']);
    return { height: safeInt(o.height, 'height', 1), headers: arrayOf(o.headers, 'headers', limits.maxHeaders, header) };
  },
  gb: (value: unknown, limits: PayloadLimits) => ({
    blocks: arrayOf(exactObject(value, '', ['blocks']).blocks, 'blocks', limits.maxGetBlocks, block(limits)),
  }),
};
