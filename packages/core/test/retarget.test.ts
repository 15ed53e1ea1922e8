import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMP3221_NETWORK,
  DEFAULT_NETWORK,
  asertTarget,
  fractionalFactor,
  nextTarget,
  parseNetwork,
  targetFromDifficulty,
  targetFromHex,
  targetToHex,
  type RetargetParams,
} from '@chain/core';

const ANCHOR = 1767225610000;
const retargetArb = fc.record({
  targetBlockMs: fc.integer({ min: 1, max: 600_000 }),
  halfLifeFactor: fc.integer({ min: 1, max: 1000 }),
  initial: fc.bigInt({ min: 1n, max: targetFromDifficulty(1) }),
});
const toParams = (r: { targetBlockMs: number; halfLifeFactor: number; initial: bigint }): RetargetParams => ({
  targetBlockMs: r.targetBlockMs,
  halfLifeMs: r.targetBlockMs * r.halfLifeFactor,
  initialTarget: targetToHex(r.initial),
});
const LIMIT = targetFromDifficulty(1);
const history = (parentIndex: number, dt: number) => ({ parentIndex, parentTimestamp: ANCHOR + dt, anchorTimestamp: ANCHOR });
/** A parent index and its time past block 2: on schedule give or take up to 40 half-lives. */
const parentArb = fc.record({
  parentIndex: fc.integer({ min: 2, max: 100_000 }),
  halfLives: fc.double({ min: -40, max: 40, noNaN: true }),
});
/** The drawn network, and the drawn parent's index and time past block 2. */
function drawn(r: { targetBlockMs: number; halfLifeFactor: number; initial: bigint }, p: { parentIndex: number; halfLives: number }) {
  const params = toParams(r);
  return {
    params,
    parentIndex: p.parentIndex,
    dt: params.targetBlockMs * (p.parentIndex - 2) + Math.round(p.halfLives * params.halfLifeMs),
  };
}

describe('retargeting (ASERT)', () => {
  it('a fixed network keeps the target of its difficulty whatever the history', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (parentIndex, dt) => {
        for (const p of [DEFAULT_NETWORK, COMP3221_NETWORK]) {
          assert.equal(nextTarget(p, history(parentIndex, dt)), targetFromDifficulty(p.difficulty));
        }
      }),
    );
  });

  it('the cubic is 2^(f / 65536) in 16-bit fixed point, to 0.013 %', () => {
    assert.equal(fractionalFactor(0n), 65536n);
    for (let f = 0; f < 65536; f += 97) {
      const exact = 65536 * 2 ** (f / 65536);
      assert.ok(Math.abs(Number(fractionalFactor(BigInt(f))) - exact) / exact < 1.3e-4, `f = ${f}`);
    }
  });

  it('blocks 2 and 3, and a chain on schedule, get the initial target', () => {
    fc.assert(
      fc.property(retargetArb, fc.integer({ min: 2, max: 1_000_000 }), (r, parentIndex) => {
        const params = toParams(r);
        assert.equal(asertTarget(params, LIMIT, history(1, 0)), r.initial);
        assert.equal(asertTarget(params, LIMIT, history(2, 0)), r.initial);
        assert.equal(asertTarget(params, LIMIT, history(parentIndex, params.targetBlockMs * (parentIndex - 2))), r.initial);
      }),
    );
  });

  it('one half-life behind the schedule doubles the target, within rounding', () => {
    fc.assert(
      fc.property(retargetArb, parentArb, (r, p) => {
        const { params, parentIndex, dt } = drawn(r, p);
        const before = asertTarget(params, LIMIT, history(parentIndex, dt));
        const after = asertTarget(params, LIMIT, history(parentIndex, dt + params.halfLifeMs));
        if (after === LIMIT || before === 1n) return;
        assert.ok(after - 2n * before >= 0n && after - 2n * before <= 1n, `${before} then ${after}`);
      }),
    );
  });

  it('is initialTarget · 2^((Δt − T·Δh) / halfLife) to 0.02 %, clamped to [1, limit]', () => {
    fc.assert(
      fc.property(retargetArb, parentArb, (r, p) => {
        const { params, parentIndex, dt } = drawn(r, p);
        const got = asertTarget(params, LIMIT, history(parentIndex, dt));
        assert.ok(got >= 1n && got <= LIMIT);
        const exponent = (dt - params.targetBlockMs * (parentIndex - 2)) / params.halfLifeMs;
        const ideal = Number(r.initial) * 2 ** exponent;
        // Above the limit the target is the limit, unless the exponent's rounding down (to 2^-16)
        // leaves the computed target just under it: then it is within the tolerance of the ideal.
        if (ideal > Number(LIMIT))
          return assert.ok(got === LIMIT || Math.abs(Number(got) - ideal) / ideal < 2e-4, `${got} against ${ideal}`);
        // Below 2^32 the target's own rounding (and that of the exponent) dominates.
        if (ideal < 2 ** 32) return;
        assert.ok(Math.abs(Number(got) - ideal) / ideal < 2e-4, `${got} against ${ideal}`);
      }),
    );
  });

  it('a later parent never makes the target harder, a higher one never easier', () => {
    fc.assert(
      fc.property(retargetArb, parentArb, fc.integer({ min: 0, max: 2 ** 30 }), (r, p, more) => {
        const { params, parentIndex, dt } = drawn(r, p);
        const target = asertTarget(params, LIMIT, history(parentIndex, dt));
        assert.ok(asertTarget(params, LIMIT, history(parentIndex, dt + more)) >= target);
        assert.ok(asertTarget(params, LIMIT, history(parentIndex + (more % 1000), dt)) <= target);
      }),
    );
  });

  it('rounds the exponent down, not towards zero', () => {
    const params: RetargetParams = { targetBlockMs: 10000, halfLifeMs: 655360, initialTarget: '0000' + 'f'.repeat(60) };
    // (-327679 · 65536) / 655360 = -32767.9: down is -32768, the same as a whole 327680 ms ahead.
    const down = asertTarget(params, LIMIT, history(102, 672321));
    assert.equal(down, asertTarget(params, LIMIT, history(102, 672320)));
    assert.equal(targetToHex(down), '0000b500' + 'f'.repeat(56));
  });

  it('huge exponents clamp without computing huge powers', () => {
    const params: RetargetParams = { targetBlockMs: 1, halfLifeMs: 1, initialTarget: '0'.repeat(63) + '1' };
    assert.equal(asertTarget(params, LIMIT, history(2, Number.MAX_SAFE_INTEGER - ANCHOR)), LIMIT);
    assert.equal(asertTarget(params, LIMIT, history(Number.MAX_SAFE_INTEGER, 0)), 1n);
  });

  it('a retargeting network file computes the same target as the bare rule', () => {
    const network = parseNetwork({
      ...DEFAULT_NETWORK,
      retarget: { targetBlockMs: 10000, halfLifeMs: 600000, initialTarget: '00001' + 'f'.repeat(59) },
    });
    const h = history(50, 123456);
    assert.equal(nextTarget(network, h), asertTarget(network.retarget!, targetFromDifficulty(4), h));
    assert.ok(nextTarget(network, h) < targetFromHex('0000' + 'f'.repeat(60)));
  });
});
