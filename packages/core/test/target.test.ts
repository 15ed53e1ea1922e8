import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as pow from '@chain/core/pow';
import {
  HASH_SPACE,
  MAX_TARGET,
  hashMeetsTarget,
  meetsDifficulty,
  targetFromDifficulty,
  targetFromHex,
  targetToHex,
  workOfTarget,
} from '@chain/core';

const hexDigit = fc.constantFrom(...'0123456789abcdef'.split(''));
/** Hashes with a drawn number of leading zeros, so that every difficulty is met and missed. */
const hashArb = fc
  .tuple(fc.integer({ min: 0, max: 64 }), fc.array(hexDigit, { minLength: 64, maxLength: 64 }))
  .map(([zeros, digits]) => ('0'.repeat(zeros) + digits.join('')).slice(0, 64));
const targetArb = fc.bigInt({ min: 0n, max: MAX_TARGET });

describe('256-bit targets', () => {
  it('are part of the `@chain/core/pow` entry', () => {
    assert.equal(pow.hashMeetsTarget, hashMeetsTarget);
    assert.equal(pow.workOfTarget, workOfTarget);
  });

  it('the target of d zero digits is 16^(64 − d) − 1', () => {
    assert.equal(targetFromDifficulty(0), MAX_TARGET);
    assert.equal(targetToHex(targetFromDifficulty(4)), '0000' + 'f'.repeat(60));
    assert.equal(targetFromDifficulty(64), 0n);
    for (const bad of [-1, 65, 1.5, Number.NaN]) assert.throws(() => targetFromDifficulty(bad), RangeError);
  });

  it('meeting the target of d digits is meeting difficulty d', () => {
    fc.assert(
      fc.property(hashArb, fc.integer({ min: 0, max: 64 }), (hash, d) => {
        assert.equal(hashMeetsTarget(hash, targetFromDifficulty(d)), meetsDifficulty(hash, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('a hash meets exactly the targets at or above its value', () => {
    fc.assert(
      fc.property(hashArb, (hash) => {
        const value = targetFromHex(hash);
        assert.ok(hashMeetsTarget(hash, value));
        if (value > 0n) assert.ok(!hashMeetsTarget(hash, value - 1n));
      }),
    );
  });

  it('hex round-trips and refuses what is not 64 lowercase hex digits', () => {
    fc.assert(fc.property(targetArb, (t) => assert.equal(targetFromHex(targetToHex(t)), t)));
    for (const bad of ['', 'f'.repeat(63), 'F'.repeat(64), 'g'.repeat(64), '0x' + 'f'.repeat(62)]) {
      assert.throws(() => targetFromHex(bad), TypeError);
      assert.throws(() => hashMeetsTarget(bad, MAX_TARGET), TypeError);
    }
    for (const bad of [-1n, HASH_SPACE]) assert.throws(() => targetToHex(bad), RangeError);
  });

  it('the work of d digits is 16^d; of the largest target 1; of 0 all of 2^256', () => {
    for (let d = 0; d <= 64; d++) assert.equal(workOfTarget(targetFromDifficulty(d)), 16n ** BigInt(d));
    assert.equal(workOfTarget(MAX_TARGET), 1n);
    assert.equal(workOfTarget(0n), HASH_SPACE);
    assert.throws(() => workOfTarget(-1n), RangeError);
    assert.throws(() => workOfTarget(HASH_SPACE), RangeError);
  });

  it('a harder target is never less work, and work is floor(2^256 / (target + 1))', () => {
    fc.assert(
      fc.property(targetArb, targetArb, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(workOfTarget(lo) >= workOfTarget(hi));
        const w = workOfTarget(a);
        assert.ok(w * (a + 1n) <= HASH_SPACE && (w + 1n) * (a + 1n) > HASH_SPACE);
      }),
    );
  });
});
