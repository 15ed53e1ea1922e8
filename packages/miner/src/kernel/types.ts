import type { PowJob } from '@chain/core/pow';

/** A proof-of-work search kernel: set a job once, then scan ranges of proofs. */
export interface PowKernel {
  /** Short name used in benchmarks and logs. */
  readonly name: string;
  /** Prepares the per-job constants (midstate, target word, parent proof). */
  setJob(job: PowJob): void;
  /**
   * Tests proofs from, from + 1, …, from + count − 1 in order and returns the first that
   * holds, or −1. Consecutive calls with `from` equal to where the last one stopped (the
   * proof after the last tested) continue without re-formatting `d`.
   */
  scan(from: number, count: number): number;
}
