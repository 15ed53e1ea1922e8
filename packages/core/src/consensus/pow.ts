import type { PowRule } from '../types';
import { sha256hexOfText } from '../primitives/encoding';
import { assertSafeInteger } from '../primitives/checks';

/**
 * `decimal(proof² − previousProof²)`, computed exactly with big integers:
 * proofs go up to 2^53 − 1, so their squares overflow doubles.
 */
export function powDecimal(proof: number, previousProof: number): string {
  const p = BigInt(proof);
  const q = BigInt(previousProof);
  return (p * p - q * q).toString();
}

/** The proof-of-work hash of SPEC §4 for a rule. `templateHash` is ignored by `seed`. */
export function powHash(rule: PowRule, templateHash: string, proof: number, previousProof: number): string {
  const d = powDecimal(proof, previousProof);
  return rule === 'seed' ? sha256hexOfText(d) : sha256hexOfText(templateHash + d);
}

/** Whether a hex hash begins with `difficulty` `0` characters. */
export function meetsDifficulty(hash: string, difficulty: number): boolean {
  for (let i = 0; i < difficulty; i++) if (hash.charCodeAt(i) !== 48) return false;
  return true;
}

/** The work a miner needs: everything the SPEC's proof-of-work rule reads. */
export interface PowJob {
  readonly rule: PowRule;
  /** Ignored by `seed`. */
  readonly templateHash: string;
  readonly previousProof: number;
  readonly difficulty: number;
}

/** Whether `proof` satisfies the job's rule. */
export function checkProof(job: PowJob, proof: number): boolean {
  if (!Number.isSafeInteger(proof) || proof < 0) return false;
  return meetsDifficulty(powHash(job.rule, job.templateHash, proof, job.previousProof), job.difficulty);
}

/**
 * The reference proof search: the smallest proof ≥ `start` that satisfies the
 * rule, or `null` when none is found within `limit` attempts. Simple and slow
 * (one big-integer square and one hash per attempt); @chain/miner is the fast one
 * and must agree with this.
 */
export function findProof(job: PowJob, start = 0, limit = Number.MAX_SAFE_INTEGER): number | null {
  assertSafeInteger('start', start);
  assertSafeInteger('limit', limit);
  assertSafeInteger('previousProof', job.previousProof);
  assertSafeInteger('difficulty', job.difficulty, 1, 64);
  const end = Math.min(Number.MAX_SAFE_INTEGER, start + limit - 1);
  for (let proof = start; proof <= end; proof++) {
    if (checkProof(job, proof)) return proof;
  }
  return null;
}
