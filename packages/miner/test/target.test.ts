import assert from 'node:assert/strict';
import fc from 'fast-check';
import { retargetVectors } from '@chain/testkit';
import {
  JsKernel,
  WasmKernel,
  autoChunkSize,
  createWorkerPool,
  findProof,
  jobChunkSize,
  powHash,
  searchProof,
  targetFromDifficulty,
  targetFromHex,
  targetToHex,
  type PowJob,
} from '../src/index';
import { proofArb, templateArb } from './helpers';

const kernels = [() => new JsKernel(), () => new WasmKernel()];

/**
 * Targets whose work is 16 to about 8,000 hashes, drawn as a random 256-bit number below a random
 * power of two: almost never a whole number of zero digits, and with a random tail, so the first
 * hash word alone does not decide.
 */
const targetArb = fc
  .tuple(fc.integer({ min: 243, max: 252 }), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }))
  .map(([bits, r]) => targetToHex((1n << BigInt(bits)) + (r % (1n << BigInt(bits)))));

const targetJobArb: fc.Arbitrary<PowJob> = fc.record({
  rule: fc.constantFrom<'seed' | 'bound'>('seed', 'bound'),
  templateHash: templateArb,
  previousProof: proofArb,
  difficulty: fc.integer({ min: 1, max: 3 }),
  target: targetArb,
});

describe('searching a 256-bit target', function () {
  this.timeout(60_000);

  it("every kernel and the pool find core's smallest proof for random targets (property)", async () => {
    const pool = createWorkerPool({ workers: 2 });
    const instances = kernels.map((make) => make());
    try {
      await fc.assert(
        fc.asyncProperty(targetJobArb, async (job) => {
          const expected = findProof(job);
          for (const kernel of instances) assert.equal(searchProof(job, { kernel })?.proof, expected, kernel.name);
          assert.equal((await pool.search(job).promise)?.proof, expected, 'pool');
        }),
        { numRuns: 30 },
      );
    } finally {
      await pool.close();
    }
  });

  it('decides a hash whose first word equals the target by the whole hash', () => {
    // The smallest hash of the first 3,000 proofs as the target: that proof holds; one less, the
    // same first word but a lower tail, and it does not, so the search must go past it.
    const base: PowJob = { rule: 'bound', templateHash: '5a'.repeat(32), previousProof: 4242, difficulty: 1 };
    let best = 0;
    let bestHash = powHash({ ...base, proof: 0 });
    for (let p = 1; p < 3000; p++) {
      const h = powHash({ ...base, proof: p });
      if (h < bestHash) [best, bestHash] = [p, h];
    }
    const at = { ...base, target: bestHash };
    const below = { ...base, target: targetToHex(targetFromHex(bestHash) - 1n) };
    assert.equal(below.target.slice(0, 8), bestHash.slice(0, 8), 'the first word stays the same');
    for (const make of kernels) {
      const kernel = make();
      assert.equal(searchProof(at, { kernel })?.proof, best, kernel.name);
      const next = searchProof(below, { kernel })?.proof;
      assert.ok(next !== undefined && next >= 3000, `${kernel.name}: ${next}`);
      assert.equal(next, findProof(below, { start: 3000 }));
    }
  });

  it('a target of d zero digits is the difficulty d, for every kernel', () => {
    fc.assert(
      fc.property(templateArb, proofArb, fc.integer({ min: 1, max: 3 }), (templateHash, previousProof, difficulty) => {
        const job: PowJob = { rule: 'bound', templateHash, previousProof, difficulty };
        const asTarget = { ...job, difficulty: 1, target: targetToHex(targetFromDifficulty(difficulty)) };
        for (const make of kernels) {
          const kernel = make();
          assert.equal(searchProof(asTarget, { kernel })?.proof, searchProof(job, { kernel })?.proof);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("finds the proofs of the retargeting vectors' blocks, each the smallest under its target", () => {
    const v = retargetVectors<{
      network: { params: { pow: 'bound'; difficulty: number } };
      blocks: { templateHash: string; previousProof: number; target: string; block: { proof: number }; powHash: string }[];
    }>();
    for (const b of v.blocks) {
      const job: PowJob = {
        rule: v.network.params.pow,
        templateHash: b.templateHash,
        previousProof: b.previousProof,
        difficulty: v.network.params.difficulty,
        target: b.target,
      };
      for (const make of kernels) {
        const found = searchProof(job, { kernel: make() });
        assert.deepEqual([found?.proof, found?.hash], [b.block.proof, b.powHash]);
      }
    }
  });

  it('sizes chunks by the work of the target, as for the difficulty of the same work', () => {
    const job: PowJob = { rule: 'seed', previousProof: 1, difficulty: 1 };
    for (const d of [0, 2, 3, 4, 5, 8]) {
      assert.equal(jobChunkSize({ ...job, target: targetToHex(targetFromDifficulty(d)) }, 2), autoChunkSize(d, 2));
    }
    // Half of 16^4 expected hashes: a chunk between those of difficulties 3 and 4.
    const half = jobChunkSize({ ...job, target: targetToHex(2n * targetFromDifficulty(4) + 1n) }, 2);
    assert.equal(half, autoChunkSize(4, 2) / 2);
  });

  it('refuses a target that is not 64 lowercase hex characters, naming it', () => {
    for (const target of ['ff', 'F'.repeat(64), 'g'.repeat(64)]) {
      assert.throws(() => searchProof({ rule: 'seed', previousProof: 1, difficulty: 1, target }), /target: expected 64 lowercase hex/);
    }
  });
});
