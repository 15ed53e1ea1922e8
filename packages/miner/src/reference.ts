/**
 * Straightforward proof-of-work arithmetic: BigInt for `d`, node:crypto for the hash.
 * Slow but obviously right; the fast kernels are tested against it.
 */
import { createHash } from 'node:crypto';
import { powPrefix, type PowJob } from './job.js';

/** `decimal(proof² − previousProof²)`, exactly. */
export function powDecimal(previousProof: number | bigint, proof: number | bigint): string {
  const p = BigInt(proof);
  const q = BigInt(previousProof);
  return (p * p - q * q).toString();
}

/** The message whose SHA-256 is the proof-of-work hash: `d` (seed) or `templateHash + d` (bound). */
export function powMessage(job: Pick<PowJob, 'rule' | 'templateHash' | 'previousProof'>, proof: number): string {
  return powPrefix(job as PowJob) + powDecimal(job.previousProof, proof);
}

/** The proof-of-work hash of `proof` for `job`, as 64 lowercase hex characters. */
export function powHash(job: Pick<PowJob, 'rule' | 'templateHash' | 'previousProof'>, proof: number): string {
  return createHash('sha256').update(powMessage(job, proof), 'utf8').digest('hex');
}

/** True when `hashHex` begins with `difficulty` '0' characters. */
export function meetsDifficulty(hashHex: string, difficulty: number): boolean {
  for (let i = 0; i < difficulty; i++) if (hashHex.charCodeAt(i) !== 48) return false;
  return true;
}

/** True when `proof` satisfies `job` (rule, template, parent proof and difficulty). */
export function verifyProof(job: PowJob, proof: number): boolean {
  return meetsDifficulty(powHash(job, proof), job.difficulty);
}

/**
 * Reference search: the smallest proof in [start, start + limit) that holds, or undefined.
 * One BigInt subtraction and one node:crypto hash per attempt.
 */
export function referenceSearch(job: PowJob, start = 0, limit = Number.MAX_SAFE_INTEGER): number | undefined {
  const end = Math.min(Number.MAX_SAFE_INTEGER, start + limit - 1);
  for (let p = start; p <= end; p++) if (verifyProof(job, p)) return p;
  return undefined;
}
