/**
 * How many consecutive proofs a worker claims at a time when the pool is not told. A chunk is the
 * unit of the smallest-proof guarantee: a proof is final once every lower chunk is scanned. Chunks
 * much larger than the expected search leave all but one worker scanning past the answer; chunks
 * much smaller cost a message per chunk. So a chunk is about an eighth of the expected attempts
 * spread over the workers (16^difficulty ÷ (2 × workers)), as a power of two from 1,024 (about
 * 0.1 ms of one worker) to 65,536 (about 7 ms).
 */
import { jobTarget, workOfTarget, type PowJob } from '@chain/core/pow';

export const MIN_AUTO_CHUNK = 1 << 10;
export const MAX_AUTO_CHUNK = 1 << 16;

/**
 * The chunk size for a search at `difficulty` (leading zero hex digits; a fraction for a target
 * between two of them: log16 of its work) on `workers` threads.
 */
export function autoChunkSize(difficulty: number, workers: number): number {
  // log2 of 16^difficulty ÷ (2 × workers), rounded down to a whole power of two.
  const log2 = Math.floor(4 * difficulty) - 1 - Math.ceil(Math.log2(Math.max(1, workers)));
  const clamped = Math.min(Math.log2(MAX_AUTO_CHUNK), Math.max(Math.log2(MIN_AUTO_CHUNK), log2));
  return 2 ** clamped;
}

/** The chunk size for `job` (its difficulty, or its target's work) on `workers` threads. */
export function jobChunkSize(job: PowJob, workers: number): number {
  const digits = job.target === undefined ? job.difficulty : Math.log2(Number(workOfTarget(jobTarget(job)))) / 4;
  return autoChunkSize(digits, workers);
}
