/** What every kernel does with a job before hashing, and the range check of `scan`. */
import { MAX_PROOF, validateJob, type PowJob } from '@chain/core/pow';
import { SHA256_IV, midstate } from './sha256';

/** A validated job's hashed prefix (the template hash for `bound`), its midstate and the difficulty shift. */
export function prepareJob(job: PowJob): { prefix: Uint8Array; state: Int32Array; shift: number } {
  validateJob(job);
  const prefix = job.rule === 'bound' ? Buffer.from(job.templateHash!, 'latin1') : new Uint8Array(0);
  return {
    prefix,
    state: prefix.length ? midstate(prefix) : Int32Array.from(SHA256_IV),
    // The first state word must be below 2^shift: `difficulty` leading zero hex digits (up to 8).
    shift: 32 - 4 * Math.min(job.difficulty, 8),
  };
}

/** False when there is nothing to scan; throws when the range leaves 0 … 2^53 − 1. */
export function checkScanRange(from: number, count: number): boolean {
  if (count <= 0) return false;
  if (from < 0 || !Number.isSafeInteger(from) || count > MAX_PROOF - from + 1) {
    throw new RangeError('scan: proofs must stay within 0 … 2^53 − 1');
  }
  return true;
}
