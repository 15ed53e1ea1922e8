import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { JsKernel, WasmKernel, findProof, type PowJob, type PowKernel } from '../src/index';
import { compressFirstWord } from '../src/kernel/compress.generated';
import { SHA256_IV, bytesToWords, compressBlock, midstate } from '../src/kernel/sha256';
import { MAX, jobArb, proofArb } from './helpers';

/** Every proof in [start, start + count) that holds, found by repeated contiguous scans. */
function allHits(kernel: PowKernel, start: number, count: number): number[] {
  const hits: number[] = [];
  const end = start + count - 1;
  let p = start;
  while (p <= end) {
    const hit = kernel.scan(p, end - p + 1);
    if (hit < 0) break;
    hits.push(hit);
    p = hit + 1;
  }
  return hits;
}

function referenceHits(job: PowJob, start: number, count: number): number[] {
  const hits: number[] = [];
  for (let p = start; p < start + count;) {
    const hit = findProof(job, { start: p, limit: start + count - p });
    if (hit === null) break;
    hits.push(hit);
    p = hit + 1;
  }
  return hits;
}

describe('SHA-256 compression', () => {
  it('unrolled first-word compression equals the plain one and node:crypto', () => {
    for (let i = 0; i < 200; i++) {
      const prefix = randomBytes(64);
      const tail = randomBytes(i % 56);
      const state = midstate(prefix);
      const block = new Uint8Array(64);
      block.set(tail);
      block[tail.length] = 0x80;
      const bits = (64 + tail.length) * 8;
      block[62] = bits >> 8;
      block[63] = bits & 0xff;
      const words = bytesToWords(block);
      const full = Int32Array.from(state);
      compressBlock(full, words);
      const digest = createHash('sha256').update(prefix).update(tail).digest();
      assert.equal(compressFirstWord(state, words), full[0]);
      assert.equal(full[0], digest.readInt32BE(0));
      assert.deepEqual(
        Array.from(full),
        Array.from({ length: 8 }, (_, k) => digest.readInt32BE(4 * k)),
      );
    }
    assert.deepEqual(Array.from(midstate(new Uint8Array(0))), Array.from(Int32Array.from(SHA256_IV)));
  });
});

for (const make of [() => new JsKernel(), () => new WasmKernel()]) {
  const name = make().name;
  describe(`${name} kernel`, () => {
    it('finds every hit of a range, as the reference does (property)', () => {
      const kernel = make();
      fc.assert(
        fc.property(jobArb(fc.integer({ min: 1, max: 2 })), proofArb, fc.integer({ min: 1, max: 400 }), (job, s, count) => {
          const start = Math.min(s, MAX - count + 1);
          kernel.setJob(job);
          assert.deepEqual(allHits(kernel, start, count), referenceHits(job, start, count));
        }),
        { numRuns: 60 },
      );
    });

    it('is exact where d changes sign (proofs crossing the previous proof)', () => {
      const kernel = make();
      fc.assert(
        fc.property(jobArb(fc.constant(1)), fc.integer({ min: 0, max: 300 }), (job, before) => {
          const start = Math.max(0, job.previousProof - before);
          const count = Math.min(2 * before + 5, MAX - start + 1);
          kernel.setJob(job);
          assert.deepEqual(allHits(kernel, start, count), referenceHits(job, start, count));
        }),
        { numRuns: 40 },
      );
    });

    it('reaches 2^53 − 1 exactly and no further', () => {
      const kernel = make();
      for (const previousProof of [MAX, MAX - 7, 0, 94906267]) {
        const job: PowJob = { rule: 'bound', templateHash: 'ab'.repeat(32), previousProof, difficulty: 1 };
        kernel.setJob(job);
        assert.deepEqual(allHits(kernel, MAX - 99, 100), referenceHits(job, MAX - 99, 100));
      }
      assert.throws(() => kernel.scan(MAX, 2), RangeError);
    });

    it('returns the first proof of the range at difficulty 0, and -1 for an empty range', () => {
      const kernel = make();
      kernel.setJob({ rule: 'seed', previousProof: 3, difficulty: 0 });
      assert.equal(kernel.scan(17, 5), 17);
      assert.equal(kernel.scan(17, 0), -1);
    });

    it('continues across uneven slices and restarts at an arbitrary proof', () => {
      const kernel = make();
      const job: PowJob = { rule: 'bound', templateHash: '0f'.repeat(32), previousProof: 5000, difficulty: 2 };
      kernel.setJob(job);
      const want = referenceHits(job, 4000, 3000);
      const got: number[] = [];
      for (let p = 4000, k = 1; p < 7000; k = ((k * 7) % 23) + 1) {
        const n = Math.min(k * 13, 7000 - p);
        const hit = kernel.scan(p, n);
        if (hit >= 0) {
          got.push(hit);
          p = hit + 1;
        } else p += n;
      }
      assert.deepEqual(got, want);
      assert.equal(kernel.scan(want[1]!, 1), want[1]);
    });
  });
}
