import type { Block, NetworkParams } from '../types';
import { describe, isPlainObject } from '../primitives/checks';
import { hashCanonical } from '../primitives/encoding';
import { blockHash, txRootOfLeaves } from './hashing';

/** Thrown by {@link parseNetwork}; `field` names the offending field. */
export class NetworkParamsError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'NetworkParamsError';
    this.field = field;
  }
}

export const NETWORK_FIELDS = ['name', 'genesisTime', 'difficulty', 'pow', 'txFormat', 'maxTxPerBlock', 'txTtlMs'] as const;

/** The `default` preset (docs/spec.md §1): signed transactions, the `bound` proof of work. */
export const DEFAULT_NETWORK: NetworkParams = Object.freeze({
  name: 'devnet',
  genesisTime: 1767225600000,
  difficulty: 4,
  pow: 'bound',
  txFormat: 'signed',
  maxTxPerBlock: 500,
  txTtlMs: 3600000,
});

/** The `comp3221` preset (docs/spec.md §1): the original system's rules. */
export const COMP3221_NETWORK: NetworkParams = Object.freeze({
  name: 'comp3221',
  genesisTime: 1767225600000,
  difficulty: 2,
  pow: 'seed',
  txFormat: 'classic',
  maxTxPerBlock: 5,
  txTtlMs: 3600000,
});

/** Presets by the name users type (`--network default`). */
export const PRESETS: Readonly<Record<'default' | 'comp3221', NetworkParams>> = Object.freeze({
  default: DEFAULT_NETWORK,
  comp3221: COMP3221_NETWORK,
});

const NAME = /^[a-z0-9-]{1,32}$/;

function integerField(obj: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new NetworkParamsError(field, `network field "${field}" must be an integer, got ${describe(v)}`);
  }
  if (v < min || v > max) {
    throw new NetworkParamsError(field, `network field "${field}" must be between ${min} and ${max}, got ${v}`);
  }
  return v;
}

/**
 * Validate a network object (e.g. the parsed JSON of a network file).
 * Exactly the seven the specification fields; an unknown, missing or out-of-range field
 * throws a {@link NetworkParamsError} that names it.
 */
export function parseNetwork(input: unknown): NetworkParams {
  if (!isPlainObject(input)) throw new NetworkParamsError('', `a network must be a JSON object, got ${describe(input)}`);
  for (const key of Object.keys(input)) {
    if (!(NETWORK_FIELDS as readonly string[]).includes(key)) {
      throw new NetworkParamsError(key, `unknown network field "${key}" (expected exactly: ${NETWORK_FIELDS.join(', ')})`);
    }
  }
  for (const key of NETWORK_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) {
      throw new NetworkParamsError(key, `network field "${key}" is missing`);
    }
  }
  const name = input.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new NetworkParamsError('name', `network field "name" must be 1-32 characters of [a-z0-9-], got ${describe(name)}`);
  }
  const genesisTime = integerField(input, 'genesisTime', 0, Number.MAX_SAFE_INTEGER);
  const difficulty = integerField(input, 'difficulty', 1, 16);
  const pow = input.pow;
  if (pow !== 'bound' && pow !== 'seed') {
    throw new NetworkParamsError('pow', `network field "pow" must be "bound" or "seed", got ${describe(pow)}`);
  }
  const txFormat = input.txFormat;
  if (txFormat !== 'signed' && txFormat !== 'classic') {
    throw new NetworkParamsError('txFormat', `network field "txFormat" must be "signed" or "classic", got ${describe(txFormat)}`);
  }
  const maxTxPerBlock = integerField(input, 'maxTxPerBlock', 1, 10000);
  const txTtlMs = integerField(input, 'txTtlMs', 1000, Number.MAX_SAFE_INTEGER);
  return Object.freeze({ name, genesisTime, difficulty, pow, txFormat, maxTxPerBlock, txTtlMs });
}

/** The network hash: the genesis block's `previousHash` (docs/spec.md §3). */
export function networkHash(p: NetworkParams): string {
  return hashCanonical(['chain-network', p.name, p.genesisTime, p.difficulty, p.pow, p.txFormat, p.maxTxPerBlock, p.txTtlMs]);
}

/** The genesis proof, and the `previousProof` of block 2. */
export const GENESIS_PROOF = 100;

/** The genesis block of a network (docs/spec.md §3). */
export function createGenesis(p: NetworkParams): Block {
  const previousHash = networkHash(p);
  const root = txRootOfLeaves([]);
  return Object.freeze({
    index: 1,
    timestamp: p.genesisTime,
    transactions: Object.freeze([]) as readonly never[],
    proof: GENESIS_PROOF,
    previousHash,
    currentHash: blockHash(1, p.genesisTime, previousHash, root, GENESIS_PROOF),
  });
}

/** Whether two parameter sets describe the same network. */
export function sameNetwork(a: NetworkParams, b: NetworkParams): boolean {
  return NETWORK_FIELDS.every((f) => a[f] === b[f]);
}
