/**
 * The JavaScript proof-of-work kernel: midstate of the template prefix computed once per job,
 * `d` advanced incrementally in the last message block, one unrolled compression per attempt
 * returning only the first state word, checked against the difficulty mask.
 */
import { MAX_PROOF, meetsDifficulty, powHash, type PowJob } from '@chain/core/pow';
import { compressFirstWord } from './compress.generated';
import { PowBlock } from './pow-block';
import { SHA256_IV } from './sha256';
import { checkScanRange, prepareJob } from './job-setup';
import type { PowKernel } from './types';

export class JsKernel implements PowKernel {
  readonly name = 'js';
  private job: PowJob | undefined;
  private state: Int32Array = Int32Array.from(SHA256_IV);
  private block = new PowBlock(0, 0);
  /** Proof the block holds, or -1 when it must be formatted before use. */
  private next = -1;
  private shift = 32;

  setJob(job: PowJob): void {
    const { prefix, state, shift } = prepareJob(job);
    this.job = { ...job };
    this.state = state;
    this.block = new PowBlock(prefix.length, job.previousProof);
    this.shift = shift;
    this.next = -1;
  }

  scan(from: number, count: number): number {
    const job = this.job;
    if (!job) throw new Error('scan: no job set');
    if (!checkScanRange(from, count)) return -1;
    const block = this.block;
    if (this.next !== from) block.reset(from);
    const state = this.state,
      words = block.words,
      shift = this.shift;
    const exact = job.difficulty > 8;
    const last = from + count - 1;
    let p = from;
    for (;;) {
      const h0 = compressFirstWord(state, words);
      if (shift === 32 || h0 >>> shift === 0) {
        if (!exact || meetsDifficulty(powHash({ ...job, proof: p }), job.difficulty)) {
          this.advance(p);
          return p;
        }
      }
      if (p === last) break;
      if (!block.step()) block.reset(p + 1);
      p++;
    }
    this.advance(p);
    return -1;
  }

  /** Leaves the block on p + 1 so that the next contiguous scan continues incrementally. */
  private advance(p: number): void {
    if (p >= MAX_PROOF) {
      this.next = -1;
      return;
    }
    if (!this.block.step()) this.block.reset(p + 1);
    this.next = p + 1;
  }
}
