/**
 * 256-bit proof-of-work targets (docs/spec.md §9.2): a proof holds when its hash, read as a
 * big-endian number, is at most the block's target. The fixed-digit rule of §4 is the target
 * 16^(64 − d) − 1. Imports nothing, so the `@chain/core/pow` entry can carry it.
 */

/** 2^256: one more than the largest hash. */
export const HASH_SPACE = 1n << 256n;

/** The largest target: every hash meets it. */
export const MAX_TARGET = HASH_SPACE - 1n;

const HEX64 = /^[0-9a-f]{64}$/;

/** The target equal to `difficulty` leading `0` hex digits: 16^(64 − d) − 1, for d in 0–64. */
export function targetFromDifficulty(difficulty: number): bigint {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 64) {
    throw new RangeError(`difficulty: expected an integer 0–64, got ${String(difficulty)}`);
  }
  return (1n << BigInt(4 * (64 - difficulty))) - 1n;
}

/** A target as 64 lowercase hex digits (big-endian), as network files write it. */
export function targetToHex(target: bigint): string {
  if (target < 0n || target > MAX_TARGET) throw new RangeError(`target: expected 0 ≤ t < 2^256, got ${target}`);
  return target.toString(16).padStart(64, '0');
}

/** The target written as 64 lowercase hex digits; anything else throws, naming what it got. */
export function targetFromHex(hex: string): bigint {
  if (typeof hex !== 'string' || !HEX64.test(hex)) throw new TypeError('target: expected 64 lowercase hex characters');
  return BigInt(`0x${hex}`);
}

/** Whether a proof-of-work hash (64 lowercase hex) read as a big-endian number is ≤ `target`. */
export function hashMeetsTarget(hash: string, target: bigint): boolean {
  return targetFromHex(hash) <= target;
}

/**
 * The work of a block mined at `target`: floor(2^256 / (target + 1)), the expected number of
 * hashes to meet it. At 16^(64 − d) − 1 it is exactly 16^d.
 */
export function workOfTarget(target: bigint): bigint {
  if (target < 0n || target > MAX_TARGET) throw new RangeError(`target: expected 0 ≤ t < 2^256, got ${target}`);
  return HASH_SPACE / (target + 1n);
}
