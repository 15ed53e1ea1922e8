/** Validation of request payloads, one schema per opcode. */
import type { Block, Transaction } from '@chain/core';
import { FieldError, arrayOf, exactObject, hex64, listenAddress, plainObject, safeInt } from './fields';
import type { PayloadLimits } from './limits';
import { REQUEST_SCHEMAS_V12 } from './schemas-v12';
import type { RequestOpcode } from './opcodes';
import type { RequestPayloads } from './payloads';

/** Checks a parsed payload (`undefined` when the frame had none). Throws FieldError. */
type Schema<K extends RequestOpcode> = (value: unknown, limits: PayloadLimits) => RequestPayloads[K];

function required(value: unknown): void {
  if (value === undefined || value === null) throw new FieldError('(payload)', 'a payload is required');
}

/** Request schemas per opcode. A JSON `null` payload counts as none. */
export const REQUEST_SCHEMAS: { readonly [K in RequestOpcode]: Schema<K> } = {
  tx: (value, limits) => {
    required(value);
    return plainObject<Transaction>(value, '', limits.maxObjectKeys);
  },
  pb: (value) => {
    if (value === undefined || value === null) return undefined;
    const o = exactObject(value, '', [], ['from', 'limit']);
    const out: { from?: number; limit?: number } = {};
    if (o.from !== undefined) out.from = safeInt(o.from, 'from', 1);
    if (o.limit !== undefined) out.limit = safeInt(o.limit, 'limit', 1);
    return out;
  },
  cc: (value) => {
    if (value === undefined || value === null) return undefined;
    exactObject(value, '', []);
    return undefined;
  },
  gp: (value) => {
    if (value === undefined || value === null) return undefined;
    const o = exactObject(value, '', [], ['wait', 'known']);
    const out: { wait?: number; known?: string | null } = {};
    if (o.wait !== undefined) out.wait = safeInt(o.wait, 'wait', 0);
    if (o.known !== undefined) out.known = o.known === null ? null : hex64(o.known, 'known');
    return out;
  },
  up: (value) => {
    required(value);
    const o = exactObject(value, '', ['proof', 'templateHash']);
    return { proof: safeInt(o.proof, 'proof', 0), templateHash: hex64(o.templateHash, 'templateHash') };
  },
  hb: (value, limits) => {
    required(value);
    const o = exactObject(value, '', ['genesis', 'locator', 'listen']);
    return {
      genesis: hex64(o.genesis, 'genesis'),
      locator: arrayOf(o.locator, 'locator', limits.maxLocator, hex64, 1),
      listen: o.listen === null ? null : listenAddress(o.listen, 'listen', limits.maxListen),
    };
  },
  nb: (value, limits) => {
    required(value);
    const o = exactObject(value, '', ['block']);
    return { block: plainObject<Block>(o.block, 'block', limits.maxObjectKeys) };
  },
  ...REQUEST_SCHEMAS_V12,
};
