import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import * as pow from '@chain/core/pow';
import {
  MAX_PROOF,
  checkProof,
  findProof,
  hashMeetsTarget,
  jobTarget,
  targetFromDifficulty,
  targetFromHex,
  isProof,
  meetsDifficulty,
  powDecimal,
  powHash,
  powMessage,
  validateJob,
  type PowJob,
} from '@chain/core';

const T = 'b3df4de65b810ed24ff1c09a7c81278b433002afb1cb56f55d3646b27c1cbbf7';
const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const proofArb = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: MAX_PROOF - 5000, max: MAX_PROOF }),
  fc.integer({ min: 0, max: MAX_PROOF }),
);

describe('proof of work (one vocabulary)', () => {
  it('`@chain/core/pow` is the same module as the main entry exports', () => {
    assert.equal(pow.powHash, powHash);
    assert.equal(pow.findProof, findProof);
    assert.equal(pow.validateJob, validateJob);
  });

  it('named fields: d is proof² − previousProof², whatever order the fields are written in', () => {
    assert.equal(powDecimal({ proof: 5, previousProof: 100 }), '-9975');
    assert.equal(powDecimal({ previousProof: 100, proof: 5 }), '-9975');
    assert.equal(powDecimal({ proof: 100, previousProof: 5 }), '9975');
    fc.assert(
      fc.property(proofArb, proofArb, (proof, previousProof) => {
        const d = powDecimal({ proof, previousProof });
        assert.equal(d, (BigInt(proof) ** 2n - BigInt(previousProof) ** 2n).toString());
        assert.equal(powDecimal({ proof: BigInt(proof), previousProof: BigInt(previousProof) }), d);
      }),
      { numRuns: 200 },
    );
  });

  it('the hash is SHA-256 of d (seed) or of the template hash then d (bound)', () => {
    fc.assert(
      fc.property(proofArb, proofArb, (proof, previousProof) => {
        const d = powDecimal({ proof, previousProof });
        assert.equal(powMessage({ rule: 'seed', templateHash: T, proof, previousProof }), d);
        assert.equal(powHash({ rule: 'seed', proof, previousProof }), sha256hex(d));
        assert.equal(powHash({ rule: 'seed', templateHash: T, proof, previousProof }), sha256hex(d));
        assert.equal(powHash({ rule: 'bound', templateHash: T, proof, previousProof }), sha256hex(T + d));
      }),
      { numRuns: 200 },
    );
    assert.throws(() => powHash({ rule: 'bound', proof: 1, previousProof: 2 }), /templateHash/);
  });

  it('meetsDifficulty counts leading 0 characters', () => {
    assert.ok(meetsDifficulty('00ab', 2));
    assert.ok(!meetsDifficulty('0a0b', 2));
    assert.ok(meetsDifficulty('ab', 0));
  });

  it('checkProof holds exactly for proofs whose hash meets the difficulty, and never for non-proofs', () => {
    const job: PowJob = { rule: 'bound', templateHash: T, previousProof: 100, difficulty: 4 };
    assert.ok(checkProof(job, 20349));
    assert.ok(!checkProof(job, 20348));
    for (const bad of [-1, 1.5, MAX_PROOF + 1, Number.NaN, Infinity]) assert.ok(!checkProof(job, bad), String(bad));
    for (const p of [0, 1, MAX_PROOF]) assert.ok(isProof(p));
    for (const p of [-1, 0.5, MAX_PROOF + 1, '1', null]) assert.ok(!isProof(p));
  });

  it('a job with a target holds when the hash is at most it, whatever its difficulty', () => {
    const job: PowJob = { rule: 'bound', templateHash: T, previousProof: 100, difficulty: 1 };
    assert.equal(jobTarget(job), targetFromDifficulty(1));
    fc.assert(
      fc.property(proofArb, fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (proof, t) => {
        const target = t.toString(16).padStart(64, '0');
        const hash = powHash({ ...job, proof });
        assert.equal(checkProof({ ...job, target }, proof), hashMeetsTarget(hash, t));
        assert.equal(jobTarget({ ...job, target }), t);
        // The target its own hash is: met exactly, and missed by one less.
        assert.ok(checkProof({ ...job, target: hash }, proof));
        if (targetFromHex(hash) > 0n) {
          assert.ok(!checkProof({ ...job, target: (targetFromHex(hash) - 1n).toString(16).padStart(64, '0') }, proof));
        }
      }),
      { numRuns: 200 },
    );
    const hard = { ...job, target: targetFromDifficulty(4).toString(16).padStart(64, '0') };
    assert.equal(findProof(hard), findProof({ ...job, difficulty: 4 }));
  });

  it('findProof: the smallest proof from start, null when the range has none', () => {
    const job: PowJob = { rule: 'bound', templateHash: T, previousProof: 100, difficulty: 4 };
    assert.equal(findProof(job), 20349);
    assert.equal(findProof(job, { start: 20349, limit: 1 }), 20349);
    assert.equal(findProof(job, { start: 0, limit: 20349 }), null);
    assert.equal(findProof(job, { limit: 0 }), null);
    const next = findProof(job, { start: 20350 }) as number;
    assert.ok(next > 20349 && checkProof(job, next));
    for (let p = 20350; p < next; p++) assert.ok(!checkProof(job, p));
    assert.equal(findProof({ ...job, difficulty: 0 }, { start: 7 }), 7);
  });

  it('bad jobs and ranges throw errors that name the field', () => {
    const job: PowJob = { rule: 'bound', templateHash: T, previousProof: 100, difficulty: 2 };
    const cases: [unknown, RegExp][] = [
      [{ ...job, rule: 'other' }, /^TypeError: rule/],
      [{ ...job, templateHash: T.toUpperCase() }, /^TypeError: templateHash/],
      [{ ...job, templateHash: undefined }, /^TypeError: templateHash/],
      [{ ...job, previousProof: -1 }, /^RangeError: previousProof/],
      [{ ...job, previousProof: 2 ** 53 }, /^RangeError: previousProof/],
      [{ ...job, difficulty: 65 }, /^RangeError: difficulty/],
      [{ ...job, difficulty: 1.5 }, /^RangeError: difficulty/],
      [{ ...job, target: 'ff' }, /^TypeError: target/],
      [{ ...job, target: 'F'.repeat(64) }, /^TypeError: target/],
    ];
    for (const [bad, message] of cases) {
      assert.throws(
        () => validateJob(bad as PowJob),
        (e: Error) => message.test(String(e)),
        JSON.stringify(bad),
      );
      assert.throws(
        () => findProof(bad as PowJob),
        (e: Error) => message.test(String(e)),
      );
    }
    assert.doesNotThrow(() => validateJob({ rule: 'seed', previousProof: 100, difficulty: 2 }));
    assert.throws(() => findProof(job, { start: -1 }), /^RangeError: start/);
    assert.throws(() => findProof(job, { limit: 0.5 }), /^RangeError: limit/);
  });
});
