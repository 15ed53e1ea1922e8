import type { Block, NetworkParams, RetargetParams } from '../types';
import { describe, isPlainObject } from '../primitives/checks';
import { hashCanonical } from '../primitives/encoding';
import { blockHash, txRootOfLeaves } from './hashing';
import { targetFromDifficulty } from './target';

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

/** Fields a network may have besides {@link NETWORK_FIELDS}: the features of later versions (docs/spec.md §9). */
export const OPTIONAL_NETWORK_FIELDS = ['retarget'] as const;

/** The fields of `retarget` (docs/spec.md §9.1), all required. */
export const RETARGET_FIELDS = ['targetBlockMs', 'halfLifeMs', 'initialTarget'] as const;

/** Longest block interval a retargeting network may aim at: a day. */
export const MAX_TARGET_BLOCK_MS = 86_400_000;

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

/**
 * The `retarget` network (docs/spec.md §9.7): the `default` rules with a block a second aimed at,
 * a half-life of a minute, an initial target of 2^22 expected hashes (about a second of one miner
 * thread) and the limit of 2 zero digits. The `retarget` preset.
 */
export const RETARGET_NETWORK: NetworkParams = Object.freeze({
  name: 'retarget',
  genesisTime: 1767225600000,
  difficulty: 2,
  pow: 'bound',
  txFormat: 'signed',
  maxTxPerBlock: 500,
  txTtlMs: 3600000,
  retarget: Object.freeze({
    targetBlockMs: 1000,
    halfLifeMs: 60_000,
    initialTarget: '000003ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  }),
});

/** Presets by the name users type (`--network default`). */
export const PRESETS: Readonly<Record<'default' | 'comp3221' | 'retarget', NetworkParams>> = Object.freeze({
  default: DEFAULT_NETWORK,
  comp3221: COMP3221_NETWORK,
  retarget: RETARGET_NETWORK,
});

const NAME = /^[a-z0-9-]{1,32}$/;

function integerField(obj: Record<string, unknown>, field: string, min: number, max: number, prefix = ''): number {
  const v = obj[field];
  const name = prefix + field;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new NetworkParamsError(name, `network field "${name}" must be an integer, got ${describe(v)}`);
  }
  if (v < min || v > max) {
    throw new NetworkParamsError(name, `network field "${name}" must be between ${min} and ${max}, got ${v}`);
  }
  return v;
}

/** Throws naming the first key of `obj` not in `allowed` and the first of `required` it lacks. */
function exactFields(obj: Record<string, unknown>, allowed: readonly string[], required: readonly string[], prefix = ''): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new NetworkParamsError(prefix + key, `unknown network field "${prefix + key}" (expected: ${allowed.join(', ')})`);
    }
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      throw new NetworkParamsError(prefix + key, `network field "${prefix + key}" is missing`);
    }
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The `retarget` object of a network whose easiest target is that of `difficulty` (docs/spec.md §9.1). */
function parseRetarget(input: unknown, difficulty: number): RetargetParams {
  if (!isPlainObject(input)) throw new NetworkParamsError('retarget', `network field "retarget" must be an object, got ${describe(input)}`);
  exactFields(input, RETARGET_FIELDS, RETARGET_FIELDS, 'retarget.');
  const targetBlockMs = integerField(input, 'targetBlockMs', 1, MAX_TARGET_BLOCK_MS, 'retarget.');
  const halfLifeMs = integerField(input, 'halfLifeMs', targetBlockMs, Number.MAX_SAFE_INTEGER, 'retarget.');
  const initialTarget = input.initialTarget;
  if (typeof initialTarget !== 'string' || !HEX64.test(initialTarget)) {
    throw new NetworkParamsError(
      'retarget.initialTarget',
      `network field "retarget.initialTarget" must be 64 lowercase hex characters, got ${describe(initialTarget)}`,
    );
  }
  const value = BigInt(`0x${initialTarget}`);
  if (value < 1n || value > targetFromDifficulty(difficulty)) {
    throw new NetworkParamsError(
      'retarget.initialTarget',
      `network field "retarget.initialTarget" must be at least 1 and start with ${difficulty} zero digits (the difficulty's target), got ${initialTarget}`,
    );
  }
  return Object.freeze({ targetBlockMs, halfLifeMs, initialTarget });
}

/**
 * Validate a network object (e.g. the parsed JSON of a network file).
 * Exactly the seven fields of the specification, and `retarget` where the network retargets
 * (docs/spec.md §9.1); an unknown, missing or out-of-range field throws a
 * {@link NetworkParamsError} that names it (`retarget.halfLifeMs` inside `retarget`).
 */
export function parseNetwork(input: unknown): NetworkParams {
  if (!isPlainObject(input)) throw new NetworkParamsError('', `a network must be a JSON object, got ${describe(input)}`);
  exactFields(input, [...NETWORK_FIELDS, ...OPTIONAL_NETWORK_FIELDS], NETWORK_FIELDS);
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
  const fixed: NetworkParams = { name, genesisTime, difficulty, pow, txFormat, maxTxPerBlock, txTtlMs };
  if (input.retarget === undefined) return Object.freeze(fixed);
  return Object.freeze({ ...fixed, retarget: parseRetarget(input.retarget, difficulty) });
}

/**
 * The network hash: the genesis block's `previousHash` (docs/spec.md §3.3). `retarget` adds its
 * three values after the seven (§9.1); without it the hash is the one of version 1.1.
 */
export function networkHash(p: NetworkParams): string {
  const items = ['chain-network', p.name, p.genesisTime, p.difficulty, p.pow, p.txFormat, p.maxTxPerBlock, p.txTtlMs];
  const r = p.retarget;
  return hashCanonical(r === undefined ? items : [...items, 'retarget', r.targetBlockMs, r.halfLifeMs, r.initialTarget]);
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
  if (!NETWORK_FIELDS.every((f) => a[f] === b[f])) return false;
  if (a.retarget === undefined || b.retarget === undefined) return a.retarget === b.retarget;
  const ra = a.retarget;
  const rb = b.retarget;
  return RETARGET_FIELDS.every((f) => ra[f] === rb[f]);
}
