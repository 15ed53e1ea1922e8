/**
 * The JavaScript proof-of-work kernel: midstate of the template prefix computed once per job,
 * `d` advanced incrementally in the last message block, one unrolled compression per attempt
 * returning only the first state word, compared with the target's first word.
 */
import { MAX_PROOF, type PowJob } from '@chain/core/pow';
import { compressFirstWord } from './compress.generated';
import { PowBlock } from './pow-block';
import { SHA256_IV } from './sha256';
import { JobKernel, confirmHit } from './job-setup';

export class JsKernel extends JobKernel {
  readonly name = 'js';
  private state: Int32Array = Int32Array.from(SHA256_IV);
  private block = new PowBlock(0, 0);

  protected load(job: PowJob, prefix: Uint8Array, state: Int32Array): void {
    this.state = state;
    this.block = new PowBlock(prefix.length, job.previousProof);
  }

  protected scanJob(job: PowJob, from: number, count: number): number {
    const block = this.block;
    if (this.next !== from) block.reset(from);
    const state = this.state,
      words = block.words,
      word = this.word,
      first = word.first;
    const last = from + count - 1;
    let p = from;
    for (;;) {
      const h0 = compressFirstWord(state, words);
      if (h0 >>> 0 <= first) {
        if (confirmHit(job, word, p)) {
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
