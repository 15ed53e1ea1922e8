/**
 * The target a block must meet (docs/spec.md §9.3): fixed by `difficulty`, or on a retargeting
 * network moved each block by ASERT, an exponential of how far the parent is from the schedule
 * that block 2 starts. Integer arithmetic only, so every peer computes the same bits.
 */
import type { NetworkParams, RetargetParams } from '../types';
import { targetFromDifficulty, targetFromHex } from './target';

/** What the target of the block after `parent` is computed from: the parent and its chain's block 2. */
export interface TargetHistory {
  /** The parent's index and timestamp. */
  readonly parentIndex: number;
  readonly parentTimestamp: number;
  /** The timestamp of the block at index 2 on the parent's chain (the parent itself at 2); unread at 1. */
  readonly anchorTimestamp: number;
}

/** The exponent's fixed point: 16 fractional bits. */
const RADIX = 65536n;

/** Beyond these shifts the result is clamped whatever the target (targets are below 2^256, factors below 2^17). */
const SHIFT_CEILING = 16n + 256n;
const SHIFT_FLOOR = 16n - 256n - 17n;

/** floor(a / b) for b > 0 (BigInt division truncates towards zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** 65536 · 2^(f / 65536) for 0 ≤ f < 65536, by the cubic of aserti3-2d (error below 0.013 %). */
export function fractionalFactor(f: bigint): bigint {
  return 65536n + ((195766423245049n * f + 971821376n * f * f + 5127n * f * f * f + (1n << 47n)) >> 48n);
}

/**
 * ASERT: initialTarget · 2^((Δt − targetBlockMs · Δh) / halfLifeMs), with Δt and Δh the parent's
 * time and height past block 2, in 16-bit fixed point rounded down, clamped to [1, limit].
 */
export function asertTarget(retarget: RetargetParams, limit: bigint, history: TargetHistory): bigint {
  const initial = targetFromHex(retarget.initialTarget);
  if (history.parentIndex < 2) return initial;
  const dt = BigInt(history.parentTimestamp) - BigInt(history.anchorTimestamp);
  const dh = BigInt(history.parentIndex) - 2n;
  const exponent = floorDiv((dt - BigInt(retarget.targetBlockMs) * dh) * RADIX, BigInt(retarget.halfLifeMs));
  const shifts = floorDiv(exponent, RADIX);
  const scaled = initial * fractionalFactor(exponent - shifts * RADIX);
  let raw: bigint;
  if (shifts >= SHIFT_CEILING) raw = limit;
  else if (shifts <= SHIFT_FLOOR) raw = 0n;
  else raw = shifts >= 16n ? scaled << (shifts - 16n) : scaled >> (16n - shifts);
  if (raw < 1n) return 1n;
  return raw > limit ? limit : raw;
}

/**
 * The target of the block after the parent in `history`: 16^(64 − difficulty) − 1 on a fixed
 * network, the ASERT target (at most that) on a retargeting one.
 */
export function nextTarget(params: NetworkParams, history: TargetHistory): bigint {
  const limit = targetFromDifficulty(params.difficulty);
  return params.retarget === undefined ? limit : asertTarget(params.retarget, limit, history);
}
