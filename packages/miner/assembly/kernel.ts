// Proof-of-work kernel in AssemblyScript, compiled to WebAssembly with SIMD (scripts/build-wasm.mjs).
//
// Four lanes test four consecutive proofs p, p+1, p+2, p+3 at once: each 32-bit SIMD lane runs
// the SHA-256 compression of one lane's last message block from the job's chaining state
// (the midstate after the 64-byte template prefix for `bound`, the IV for `seed`). After each
// step every lane moves on by four proofs: d(p+4) = d(p) + (8p + 16), added to (or, while d is
// negative, subtracted from) the lane's ASCII digits in place, and the increment itself grows
// by 32. When a lane's text would change length or sign, `scan` stops and the host re-formats.
//
// Memory layout (all set up by the host through the exported pointers):
//  W:      64 words × 4 lanes; words 0–15 are the message block, word i of lane j at
//          W + 16i + 4j, stored as the big-endian word value (so byte k of lane j's message
//          lives at W + 16(k >> 2) + 4j + (3 − (k & 3))). Words 16–63: message schedule.
//  STATE:  8 × i32 chaining state.
//  INC:    per lane, 32 decimal digit values of the increment, least significant first.
//  LEN, NEG, INCLEN: per lane, length of d, 1 when d < 0 (text starts with '-'), digits of INC.

const W: usize = memory.data(64 * 16, 16);
const STATE: usize = memory.data(8 * 4, 16);
const INC: usize = memory.data(4 * 32, 16);
const LEN: usize = memory.data(4 * 4, 16);
const NEG: usize = memory.data(4 * 4, 16);
const INCLEN: usize = memory.data(4 * 4, 16);
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** 0: all steps done; 1: a lane holds at the returned step; 2: a lane needs re-formatting. */
let status: i32 = 0;
/** Lanes (bit j = lane j) whose first hash word is at most the target's first word. */
let hitMask: i32 = 0;

export function wPtr(): usize { return W; }
export function statePtr(): usize { return STATE; }
export function incPtr(): usize { return INC; }
export function lenPtr(): usize { return LEN; }
export function negPtr(): usize { return NEG; }
export function incLenPtr(): usize { return INCLEN; }
export function getStatus(): i32 { return status; }
export function getHitMask(): i32 { return hitMask; }

// @ts-ignore: decorator
@inline function rotr(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}
// @ts-ignore: decorator
@inline function bigSigma0(x: v128): v128 { return v128.xor(v128.xor(rotr(x, 2), rotr(x, 13)), rotr(x, 22)); }
// @ts-ignore: decorator
@inline function bigSigma1(x: v128): v128 { return v128.xor(v128.xor(rotr(x, 6), rotr(x, 11)), rotr(x, 25)); }
// @ts-ignore: decorator
@inline function smallSigma0(x: v128): v128 { return v128.xor(v128.xor(rotr(x, 7), rotr(x, 18)), i32x4.shr_u(x, 3)); }
// @ts-ignore: decorator
@inline function smallSigma1(x: v128): v128 { return v128.xor(v128.xor(rotr(x, 17), rotr(x, 19)), i32x4.shr_u(x, 10)); }
// @ts-ignore: decorator
@inline function loadW(i: i32): v128 { return v128.load(W + (<usize>i << 4)); }
// @ts-ignore: decorator
@inline function splatK(i: i32): v128 { return i32x4.splat(load<i32>(K + (<usize>i << 2))); }
// @ts-ignore: decorator
@inline function add5(a: v128, b: v128, c: v128, d: v128, e: v128): v128 {
  return i32x4.add(i32x4.add(i32x4.add(a, b), i32x4.add(c, d)), e);
}
// @ts-ignore: decorator
@inline function add4(a: v128, b: v128, c: v128, d: v128): v128 {
  return i32x4.add(i32x4.add(a, b), i32x4.add(c, d));
}
// @ts-ignore: decorator
@inline function digitAddr(lane: i32, k: i32): usize {
  return W + (<usize>(k >> 2) << 4) + (<usize>lane << 2) + <usize>(3 - (k & 3));
}

/** Moves lane `lane` on by four proofs; false when its text would change length or sign. */
function stepLane(lane: i32): bool {
  const neg = load<i32>(NEG + (<usize>lane << 2));
  const incLen = load<i32>(INCLEN + (<usize>lane << 2));
  const inc = INC + (<usize>lane << 5);
  let pos = load<i32>(LEN + (<usize>lane << 2)) - 1;
  if (pos - neg + 1 < incLen) return false;
  if (neg == 0) {
    let carry = 0;
    for (let k = 0; k < incLen; k++, pos--) {
      const a = digitAddr(lane, pos);
      const v = <i32>load<u8>(a) + <i32>load<u8>(inc + <usize>k) + carry;
      carry = v > 57 ? 1 : 0;
      store<u8>(a, v - carry * 10);
    }
    while (carry != 0) {
      if (pos < 0) return false;
      const a = digitAddr(lane, pos);
      const v = <i32>load<u8>(a) + 1;
      if (v > 57) { store<u8>(a, 48); pos--; } else { store<u8>(a, v); carry = 0; }
    }
  } else {
    let borrow = 0;
    for (let k = 0; k < incLen; k++, pos--) {
      const a = digitAddr(lane, pos);
      const v = <i32>load<u8>(a) - <i32>load<u8>(inc + <usize>k) - borrow;
      borrow = v < 48 ? 1 : 0;
      store<u8>(a, v + borrow * 10);
    }
    while (borrow != 0) {
      if (pos < 1) return false;
      const a = digitAddr(lane, pos);
      const v = <i32>load<u8>(a) - 1;
      if (v < 48) { store<u8>(a, 57); pos--; } else { store<u8>(a, v); borrow = 0; }
    }
    if (load<u8>(digitAddr(lane, 1)) == 48) return false;
  }
  // The next increment: 8(p + 4) + 16 = (8p + 16) + 32.
  let k = 0;
  let add = 32;
  let carry = 0;
  let len = incLen;
  while (add != 0 || carry != 0) {
    const v = (k < len ? <i32>load<u8>(inc + <usize>k) : 0) + add % 10 + carry;
    carry = v > 9 ? 1 : 0;
    store<u8>(inc + <usize>k, v - carry * 10);
    add /= 10;
    k++;
    if (k > len) len = k;
  }
  store<i32>(INCLEN + (<usize>lane << 2), len);
  return true;
}

/**
 * Runs up to `steps` steps (4 proofs each). A lane is a hit when its first hash word, unsigned,
 * is at most `first`, the target's first word (the host confirms the rest of the target).
 * Returns the number of completed steps; see `status`.
 */
export function scan(steps: i32, first: u32): i32 {
  const s0 = i32x4.splat(load<i32>(STATE)), s1 = i32x4.splat(load<i32>(STATE, 4));
  const s2 = i32x4.splat(load<i32>(STATE, 8)), s3 = i32x4.splat(load<i32>(STATE, 12));
  const s4 = i32x4.splat(load<i32>(STATE, 16)), s5 = i32x4.splat(load<i32>(STATE, 20));
  const s6 = i32x4.splat(load<i32>(STATE, 24)), s7 = i32x4.splat(load<i32>(STATE, 28));
  const limit = i32x4.splat(first);
  for (let step = 0; step < steps; step++) {
    for (let i = 16; i < 64; i++) {
      const w = add4(smallSigma1(loadW(i - 2)), loadW(i - 7), smallSigma0(loadW(i - 15)), loadW(i - 16));
      v128.store(W + (<usize>i << 4), w);
    }
    let a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7;
    let t1: v128;
    for (let i = 0; i < 64; i += 8) {
    t1 = add5(h, bigSigma1(e), v128.bitselect(f, g, e), splatK(i + 0), loadW(i + 0));
    d = i32x4.add(d, t1);
    h = i32x4.add(t1, i32x4.add(bigSigma0(a), v128.bitselect(c, a, v128.xor(a, b))));
    t1 = add5(g, bigSigma1(d), v128.bitselect(e, f, d), splatK(i + 1), loadW(i + 1));
    c = i32x4.add(c, t1);
    g = i32x4.add(t1, i32x4.add(bigSigma0(h), v128.bitselect(b, h, v128.xor(h, a))));
    t1 = add5(f, bigSigma1(c), v128.bitselect(d, e, c), splatK(i + 2), loadW(i + 2));
    b = i32x4.add(b, t1);
    f = i32x4.add(t1, i32x4.add(bigSigma0(g), v128.bitselect(a, g, v128.xor(g, h))));
    t1 = add5(e, bigSigma1(b), v128.bitselect(c, d, b), splatK(i + 3), loadW(i + 3));
    a = i32x4.add(a, t1);
    e = i32x4.add(t1, i32x4.add(bigSigma0(f), v128.bitselect(h, f, v128.xor(f, g))));
    t1 = add5(d, bigSigma1(a), v128.bitselect(b, c, a), splatK(i + 4), loadW(i + 4));
    h = i32x4.add(h, t1);
    d = i32x4.add(t1, i32x4.add(bigSigma0(e), v128.bitselect(g, e, v128.xor(e, f))));
    t1 = add5(c, bigSigma1(h), v128.bitselect(a, b, h), splatK(i + 5), loadW(i + 5));
    g = i32x4.add(g, t1);
    c = i32x4.add(t1, i32x4.add(bigSigma0(d), v128.bitselect(f, d, v128.xor(d, e))));
    t1 = add5(b, bigSigma1(g), v128.bitselect(h, a, g), splatK(i + 6), loadW(i + 6));
    f = i32x4.add(f, t1);
    b = i32x4.add(t1, i32x4.add(bigSigma0(c), v128.bitselect(e, c, v128.xor(c, d))));
    t1 = add5(a, bigSigma1(f), v128.bitselect(g, h, f), splatK(i + 7), loadW(i + 7));
    e = i32x4.add(e, t1);
    a = i32x4.add(t1, i32x4.add(bigSigma0(b), v128.bitselect(d, b, v128.xor(b, c))));
    }
    const h0 = i32x4.add(a, s0);
    const m = i32x4.bitmask(i32x4.le_u(h0, limit));
    if (m != 0) {
      hitMask = m;
      status = 1;
      return step;
    }
    let ok = stepLane(0);
    ok = stepLane(1) && ok;
    ok = stepLane(2) && ok;
    ok = stepLane(3) && ok;
    if (!ok) {
      status = 2;
      return step + 1;
    }
  }
  status = 0;
  return steps;
}
