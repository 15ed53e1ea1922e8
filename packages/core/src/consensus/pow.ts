/**
 * Proof of work (docs/spec.md §4): the rules, the job a miner works on, the exact arithmetic, the hash,
 * the difficulty test (and the 256-bit targets of §9) and the reference search. This is the one definition @chain/core validates
 * blocks with and @chain/miner searches with; it is also the entry `@chain/core/pow`, so it
 * imports nothing of this package but the SHA-256 of `primitives/encoding` (itself importing only
 * @noble/hashes). Every function takes named fields, so a proof and its parent's proof cannot be
 * swapped by argument order.
 */
import { sha256hexOfText } from '../primitives/encoding';

import { hashMeetsTarget, targetFromDifficulty, targetFromHex } from './target';

export * from './target';

/** `seed`: h = sha256hex(d); `bound`: h = sha256hex(templateHash + d). */
export type PowRule = 'bound' | 'seed';

/** Largest valid proof: 2^53 − 1. */
export const MAX_PROOF = Number.MAX_SAFE_INTEGER;

/** What to mine: the rule, the block template and parent proof, and the difficulty or target. */
export interface PowJob {
  readonly rule: PowRule;
  /** 64 lowercase hex characters; required by `bound`, ignored by `seed`. */
  readonly templateHash?: string;
  /** The parent block's proof (100 for the block after genesis). */
  readonly previousProof: number;
  /** Number of leading `0` hex characters the hash needs (0 accepts any proof), when `target` is absent. */
  readonly difficulty: number;
  /**
   * The 256-bit target (docs/spec.md §9.2), 64 lowercase hex characters: the hash, read as a
   * big-endian number, must be at most it. When present it replaces `difficulty`.
   */
  readonly target?: string;
}

/**
 * The work a peer offers a miner (the `gp` reply, docs/spec.md §5): the block's height and parent,
 * its template hash (null: nothing to mine), the difficulty and rule, and the pool's size.
 */
export interface PowWork {
  readonly index: number;
  readonly previousProof: number;
  readonly previousHash: string;
  readonly templateHash: string | null;
  readonly difficulty: number;
  readonly pow: PowRule;
  readonly pending: number;
  /** The target of the block on a retargeting network (docs/spec.md §9.6); absent on a fixed one. */
  readonly target?: string;
}

/** One attempt at a job: everything the proof-of-work hash reads. */
export interface PowAttempt {
  readonly rule: PowRule;
  /** Required by `bound`, ignored by `seed`. */
  readonly templateHash?: string;
  readonly proof: number;
  readonly previousProof: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether `n` is a proof: an integer 0 ≤ n ≤ 2^53 − 1. */
export function isProof(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Throws a TypeError/RangeError naming the offending field when `job` is not well formed. */
export function validateJob(job: PowJob): void {
  if (typeof job !== 'object' || job === null) throw new TypeError('job: expected an object');
  if (job.rule !== 'seed' && job.rule !== 'bound') throw new TypeError(`rule: expected "seed" or "bound", got ${String(job.rule)}`);
  if (job.rule === 'bound' && (typeof job.templateHash !== 'string' || !HEX64.test(job.templateHash))) {
    throw new TypeError('templateHash: expected 64 lowercase hex characters');
  }
  if (!isProof(job.previousProof)) throw new RangeError('previousProof: expected an integer 0 ≤ n ≤ 2^53 − 1');
  if (!Number.isInteger(job.difficulty) || job.difficulty < 0 || job.difficulty > 64) {
    throw new RangeError('difficulty: expected an integer 0–64');
  }
  if (job.target !== undefined && (typeof job.target !== 'string' || !HEX64.test(job.target))) {
    throw new TypeError('target: expected 64 lowercase hex characters');
  }
}

/** The target a job's hash must be at most: its `target`, else 16^(64 − difficulty) − 1. */
export function jobTarget(job: Pick<PowJob, 'difficulty' | 'target'>): bigint {
  return job.target === undefined ? targetFromDifficulty(job.difficulty) : targetFromHex(job.target);
}

/**
 * `d = decimal(proof² − previousProof²)`, computed exactly with big integers: proofs go up to
 * 2^53 − 1, so their squares overflow doubles. Negative when the proof is the smaller.
 */
export function powDecimal({ proof, previousProof }: { readonly proof: number | bigint; readonly previousProof: number | bigint }): string {
  const p = BigInt(proof);
  const q = BigInt(previousProof);
  return (p * p - q * q).toString();
}

/** The text whose SHA-256 is the proof-of-work hash: `d` (`seed`) or `templateHash + d` (`bound`). */
export function powMessage(attempt: PowAttempt): string {
  const d = powDecimal(attempt);
  if (attempt.rule === 'seed') return d;
  if (typeof attempt.templateHash !== 'string') throw new TypeError('templateHash: the bound rule needs the template hash');
  return attempt.templateHash + d;
}

/** The proof-of-work hash of docs/spec.md §4, 64 lowercase hex characters. `templateHash` is ignored by `seed`. */
export function powHash(attempt: PowAttempt): string {
  return sha256hexOfText(powMessage(attempt));
}

/** Whether a hex hash begins with `difficulty` `0` characters. */
export function meetsDifficulty(hash: string, difficulty: number): boolean {
  for (let i = 0; i < difficulty; i++) if (hash.charCodeAt(i) !== 48) return false;
  return true;
}

/** Whether `proof` satisfies the job's rule and its difficulty or target (false for anything but a proof). */
export function checkProof(job: PowJob, proof: number): boolean {
  if (!isProof(proof)) return false;
  const hash = powHash({ rule: job.rule, templateHash: job.templateHash, proof, previousProof: job.previousProof });
  return job.target === undefined ? meetsDifficulty(hash, job.difficulty) : hashMeetsTarget(hash, targetFromHex(job.target));
}

/** Where a search starts and how far it goes. */
export interface SearchRange {
  /** First proof to test (default 0). */
  readonly start?: number;
  /** Proofs to test at most (default: up to 2^53 − 1). */
  readonly limit?: number;
}

/**
 * The reference proof search: the smallest proof in [start, start + limit) that satisfies the
 * job, or `null` when there is none. Simple and slow (one big-integer square and one hash per
 * attempt); @chain/miner is the fast one and must agree with this.
 */
export function findProof(job: PowJob, { start = 0, limit = MAX_PROOF }: SearchRange = {}): number | null {
  validateJob(job);
  if (!isProof(start)) throw new RangeError('start: expected an integer 0 ≤ n ≤ 2^53 − 1');
  if (!isProof(limit)) throw new RangeError('limit: expected an integer 0 ≤ n ≤ 2^53 − 1');
  const end = Math.min(MAX_PROOF, start + limit - 1);
  for (let proof = start; proof <= end; proof++) {
    if (checkProof(job, proof)) return proof;
  }
  return null;
}
