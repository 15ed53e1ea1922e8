/** What every kernel does with a job before hashing, and the range check of `scan`. */
import { MAX_PROOF, hashMeetsTarget, jobTarget, powHash, validateJob, type PowJob } from '@chain/core/pow';
import { SHA256_IV, midstate } from './sha256';
import type { PowKernel } from './types';

/**
 * What a kernel compares the first hash word with: a hash whose first word is above `first`
 * fails the target; one below it meets it; one equal to it meets it for sure only when every
 * other word of the target is 0xffffffff (`exact`), else the whole hash decides.
 */
export interface TargetWord {
  /** The target's most significant 32 bits, unsigned. */
  readonly first: number;
  /** Whether `first word ≤ first` alone decides (the rest of the target is all ones). */
  readonly exact: boolean;
  readonly target: bigint;
}

/** The first-word test of a 256-bit target; the fixed d-digit target 16^(64 − d) − 1 is exact up to d = 8. */
export function targetWord(target: bigint): TargetWord {
  const rest = (1n << 224n) - 1n;
  return { first: Number(target >> 224n), exact: (target & rest) === rest, target };
}

/** Whether a proof whose first hash word passed the first-word test meets the whole target. */
export function confirmHit(job: PowJob, word: TargetWord, proof: number): boolean {
  return word.exact || hashMeetsTarget(powHash({ ...job, proof }), word.target);
}

/** A validated job's hashed prefix (the template hash for `bound`), its midstate and its target's first word. */
export function prepareJob(job: PowJob): { prefix: Uint8Array; state: Int32Array; word: TargetWord } {
  validateJob(job);
  const prefix = job.rule === 'bound' ? Buffer.from(job.templateHash!, 'latin1') : new Uint8Array(0);
  return {
    prefix,
    state: prefix.length ? midstate(prefix) : Int32Array.from(SHA256_IV),
    word: targetWord(jobTarget(job)),
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

/** A kernel's job, target word and place to continue from; subclasses load the job and scan a checked range. */
export abstract class JobKernel implements PowKernel {
  abstract readonly name: string;
  protected job: PowJob | undefined;
  protected word: TargetWord = targetWord((1n << 256n) - 1n);
  /** Proof the kernel continues from without formatting, or -1 when it must format before use. */
  protected next = -1;

  setJob(job: PowJob): void {
    const { prefix, state, word } = prepareJob(job);
    this.job = { ...job };
    this.word = word;
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
