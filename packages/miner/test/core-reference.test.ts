import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findProof, powHash as corePowHash, validateJob as coreValidateJob } from '@chain/core';
import { createWorkerPool, powHash, searchProof, validateJob } from '../src/index';
import { proofArb, sha256hex, templateArb } from './helpers';

/** The miner must agree with @chain/core, the rules every peer validates with. */
describe('agreement with @chain/core', function () {
  this.timeout(30_000);

  it("the miner's proof-of-work vocabulary is core's own", () => {
    assert.equal(powHash, corePowHash);
    assert.equal(validateJob, coreValidateJob);
  });

  it('the proof-of-work hash for any proof and parent proof is SHA-256 of the message of the specification (BigInt, node:crypto)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'seed' | 'bound'>('seed', 'bound'),
        templateArb,
        proofArb,
        proofArb,
        (rule, templateHash, proof, previousProof) => {
          const d = (BigInt(proof) ** 2n - BigInt(previousProof) ** 2n).toString();
          assert.equal(powHash({ rule, templateHash, proof, previousProof }), sha256hex((rule === 'bound' ? templateHash : '') + d));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the same smallest proof as core's reference search, single thread and pool", async () => {
    const pool = createWorkerPool({ workers: 2 });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<'seed' | 'bound'>('seed', 'bound'),
          templateArb,
          proofArb,
          fc.integer({ min: 1, max: 3 }),
          async (rule, templateHash, previousProof, difficulty) => {
            const job = { rule, templateHash, previousProof, difficulty };
            const expected = findProof(job);
            assert.equal(searchProof(job)?.proof, expected);
            assert.equal((await pool.search(job).promise)?.proof, expected);
          },
        ),
        { numRuns: 25 },
      );
    } finally {
      await pool.close();
    }
  });
});
