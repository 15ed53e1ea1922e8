/**
 * The last SHA-256 block of a proof-of-work message, `d` followed by padding, kept up to date
 * as the proof advances one by one without big-integer formatting.
 *
 * d(p) = p² − q² (q = previousProof). From p to p + 1, d grows by 2p + 1. The block keeps
 * `d` as ASCII (sign, then magnitude digits) and the increment 2p + 1 as decimal digits, and
 * adds the increment to the magnitude (d ≥ 0) or subtracts it (d < 0) digit by digit. The rare
 * cases where the text changes length or sign (a carry out of the leading digit, a leading
 * zero, a borrow past the leading digit) are re-formatted exactly from BigInt.
 */

const ZERO = 48;

export class PowBlock {
  /** Message bytes of the block: ASCII `d`, 0x80, zeros, 64-bit big-endian bit length. */
  readonly bytes = new Uint8Array(64);
  /** The same block as 16 big-endian words, ready for the compression function. */
  readonly words = new Int32Array(16);
  /** The proof whose `d` the block currently holds. */
  proof = 0;
  /** Length of `d` in characters (including a leading '-'). */
  length = 0;
  /** Increment 2·proof + 1 as decimal digit values, least significant first. */
  private readonly inc = new Uint8Array(24);
  private incLength = 0;
  private negative = false;
  private readonly prevSquare: bigint;

  /**
   * @param prefixLength bytes hashed before this block (0 for `seed`, 64 for `bound`)
   * @param previousProof the parent proof q
   */
  constructor(
    private readonly prefixLength: number,
    previousProof: number,
  ) {
    this.prevSquare = BigInt(previousProof) * BigInt(previousProof);
  }

  /** Formats `d` for `proof` exactly from BigInt and rebuilds the whole block. */
  reset(proof: number): void {
    const p = BigInt(proof);
    const text = (p * p - this.prevSquare).toString();
    const bytes = this.bytes;
    const n = text.length;
    bytes.fill(0);
    for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
    bytes[n] = 0x80;
    const bits = (this.prefixLength + n) * 8;
    bytes[62] = bits >>> 8;
    bytes[63] = bits & 0xff;
    this.length = n;
    this.negative = text.charCodeAt(0) === 45;
    const incText = (2n * p + 1n).toString();
    this.incLength = incText.length;
    for (let i = 0; i < incText.length; i++) this.inc[i] = incText.charCodeAt(incText.length - 1 - i) - ZERO;
    this.proof = proof;
    this.packWords(0);
  }

  /**
   * Advances to proof + 1. Returns false when the text would change length or sign; the
   * caller then calls `reset(proof + 1)` (the block is left partly updated in that case).
   */
  step(): boolean {
    const bytes = this.bytes,
      inc = this.inc;
    const incLength = this.incLength;
    const first = this.negative ? 1 : 0;
    let pos = this.length - 1;
    if (pos - first + 1 < incLength) return false;
    if (!this.negative) {
      let carry = 0;
      for (let j = 0; j < incLength; j++, pos--) {
        const v = bytes[pos]! + inc[j]! + carry;
        if (v > 57) {
          bytes[pos] = v - 10;
          carry = 1;
        } else {
          bytes[pos] = v;
          carry = 0;
        }
      }
      while (carry !== 0) {
        if (pos < first) return false;
        const v = bytes[pos]! + 1;
        if (v > 57) {
          bytes[pos--] = ZERO;
        } else {
          bytes[pos] = v;
          carry = 0;
        }
      }
    } else {
      let borrow = 0;
      for (let j = 0; j < incLength; j++, pos--) {
        const v = bytes[pos]! - inc[j]! - borrow;
        if (v < ZERO) {
          bytes[pos] = v + 10;
          borrow = 1;
        } else {
          bytes[pos] = v;
          borrow = 0;
        }
      }
      while (borrow !== 0) {
        if (pos < first) return false;
        const v = bytes[pos]! - 1;
        if (v < ZERO) {
          bytes[pos--] = 57;
        } else {
          bytes[pos] = v;
          borrow = 0;
        }
      }
      if (bytes[first] === ZERO) return false;
    }
    // 2(p + 1) + 1 = (2p + 1) + 2
    let k = 0;
    let v = inc[0]! + 2;
    while (v > 9) {
      inc[k++] = v - 10;
      v = k < this.incLength ? inc[k]! + 1 : 1;
    }
    inc[k] = v;
    if (k >= this.incLength) this.incLength = k + 1;
    this.proof++;
    this.packWords(pos < 0 ? 0 : pos >> 2);
    return true;
  }

  /** Re-packs words from `fromWord` up to the word holding the 0x80 terminator. */
  private packWords(fromWord: number): void {
    const bytes = this.bytes,
      words = this.words;
    const last = fromWord === 0 ? 15 : this.length >> 2;
    for (let w = fromWord; w <= last; w++) {
      const o = w << 2;
      words[w] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
    }
  }
}
