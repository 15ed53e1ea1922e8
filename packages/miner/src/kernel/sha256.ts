/**
 * Plain SHA-256 block compression (not unrolled), used off the hot path: to compute the
 * midstate of a job's 64-byte template prefix and to cross-check the unrolled kernel.
 */

import ROUND_CONSTANTS from './sha256-k.json';

export const SHA256_IV: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** SHA-256's round constants (one list, shared with scripts/gen-compress.mjs). */
const K = new Int32Array(ROUND_CONSTANTS);

const W = new Int32Array(64);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Compresses one 64-byte block (16 big-endian words in `m`) into `state`, in place. */
export function compressBlock(state: Int32Array, m: ArrayLike<number>): void {
  for (let i = 0; i < 16; i++) W[i] = m[i]! | 0;
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!,
      w2 = W[i - 2]!;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!;
  let e = state[4]!,
    f = state[5]!,
    g = state[6]!,
    h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + K[i]! + W[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** Packs 64 bytes starting at `offset` into 16 big-endian 32-bit words. */
export function bytesToWords(bytes: ArrayLike<number>, offset = 0, out = new Int32Array(16)): Int32Array {
  for (let i = 0; i < 16; i++) {
    const o = offset + 4 * i;
    out[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
  return out;
}

/**
 * The chaining state after hashing `prefix` (a multiple of 64 bytes), i.e. the SHA-256
 * midstate from which a longer message starting with `prefix` can be finished.
 */
export function midstate(prefix: Uint8Array): Int32Array {
  if (prefix.length % 64 !== 0) throw new RangeError('midstate prefix must be a multiple of 64 bytes');
  const state = Int32Array.from(SHA256_IV);
  const words = new Int32Array(16);
  for (let o = 0; o < prefix.length; o += 64) compressBlock(state, bytesToWords(prefix, o, words));
  return state;
}
