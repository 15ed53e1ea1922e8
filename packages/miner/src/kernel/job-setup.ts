/** What every kernel does with a job before hashing, and the range check of `scan`. */
import { MAX_PROOF, validateJob, type PowJob } from '@chain/core/pow';
import { SHA256_IV, midstate } from './sha256';
import type { PowKernel } from './types';

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

/** A kernel's job, difficulty shift and place to continue from; subclasses load the job and scan a checked range. */
export abstract class JobKernel implements PowKernel {
  abstract readonly name: string;
  protected job: PowJob | undefined;
  protected shift = 32;
  /** Proof the kernel continues from without formatting, or -1 when it must format before use. */
  protected next = -1;

  setJob(job: PowJob): void {
    const { prefix, state, shift } = prepareJob(job);
    this.job = { ...job };
    this.shift = shift;
    this.next = -1;
    this.load(job, prefix, state);
  }

  scan(from: number, count: number): number {
    const job = this.job;
    if (!job) throw new Error('scan: no job set');
    return checkScanRange(from, count) ? this.scanJob(job, from, count) : -1;
  }

  /** Take in a validated job: its hashed prefix and the midstate after it. */
  protected abstract load(job: PowJob, prefix: Uint8Array, state: Int32Array): void;
  /** `scan` of a non-empty range within 0 … 2^53 − 1. */
  protected abstract scanJob(job: PowJob, from: number, count: number): number;
}
