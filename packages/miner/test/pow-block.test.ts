import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PowBlock } from '../src/kernel/pow-block';
import { bytesToWords } from '../src/kernel/sha256';
import { MAX, proofArb } from './helpers';

function expectedBytes(prefixLength: number, prev: number, p: number): Uint8Array {
  const d = (BigInt(p) ** 2n - BigInt(prev) ** 2n).toString();
  const bytes = new Uint8Array(64);
  for (let i = 0; i < d.length; i++) bytes[i] = d.charCodeAt(i);
  bytes[d.length] = 0x80;
  const bits = (prefixLength + d.length) * 8;
  bytes[62] = bits >> 8;
  bytes[63] = bits & 0xff;
  return bytes;
}

function walk(prefixLength: number, prev: number, start: number, steps: number): void {
  const block = new PowBlock(prefixLength, prev);
  block.reset(start);
  for (let p = start; ; p++) {
    const want = expectedBytes(prefixLength, prev, p);
    assert.deepEqual(block.bytes, want, `bytes at proof ${p}, previous ${prev}`);
    assert.deepEqual(block.words, bytesToWords(want), `words at proof ${p}`);
    if (p === start + steps || p === MAX) break;
    if (!block.step()) block.reset(p + 1);
    assert.equal(block.proof, p + 1);
  }
}

describe('PowBlock: incremental d', () => {
  it('crosses the previous proof (d changes sign) and passes zero', () => {
    walk(64, 100, 0, 250);
    walk(0, 5, 0, 40);
    walk(0, 0, 0, 200);
  });

  it('changes length in both directions', () => {
    walk(0, 1_000_000, 999_990, 40); // d: negative, small, zero, positive
    walk(64, 3162, 3100, 200); // d crosses 10^7 magnitudes
  });

  it('stays exact near 2^53 − 1', () => {
    walk(64, MAX, MAX - 300, 300);
    walk(0, MAX - 150, MAX - 300, 300);
    walk(0, 0, MAX - 200, 200);
  });

  it('matches BigInt formatting on random walks (property)', () => {
    fc.assert(
      fc.property(proofArb, proofArb, fc.constantFrom(0, 64), (prev, start, prefix) => {
        walk(prefix, prev, Math.min(start, MAX - 60), 60);
      }),
      { numRuns: 150 },
    );
  });
});
