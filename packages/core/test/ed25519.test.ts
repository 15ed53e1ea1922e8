import assert from 'node:assert/strict';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomSecretSeed, nobleEd25519 } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array): bigint => b.reduceRight((x, v) => (x << 8n) | BigInt(v), 0n);
const toLe = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> (8n * BigInt(i))) & 255n));
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** A signature by a key with a small-order part (A + T): valid under the cofactored check always, the cofactorless one only when k ≡ 0 mod 8. */
function smallOrderCase(torsion: number) {
  const a = le(random(64)) % L;
  const pk = ed25519.Point.BASE.multiply(a)
    .add(ed25519.Point.fromHex(ED25519_TORSION_SUBGROUP[torsion] as string))
    .toBytes();
  const msg = random(32);
  const r = le(random(64)) % L;
  const R = ed25519.Point.BASE.multiply(r).toBytes();
  const k = le(sha512(new Uint8Array([...R, ...pk, ...msg]))) % L;
  return { sig: new Uint8Array([...R, ...toLe((r + k * a) % L)]), msg, pk };
}

describe('Ed25519: the portable verifier agrees with node:crypto', () => {
  it('on valid and tampered signatures', () => {
    for (let i = 0; i < 50; i++) {
      const seed = randomSecretSeed();
      const msg = random(32);
      const sig = nodeEd25519.sign(msg, seed);
      const pk = nodeEd25519.publicKey(seed);
      assert.equal(nobleEd25519.verify(sig, msg, pk), true);
      const bad = Uint8Array.from(sig);
      bad[i % 64] = (bad[i % 64] as number) ^ (1 << (i % 8));
      assert.equal(nobleEd25519.verify(bad, msg, pk), nodeEd25519.verify(bad, msg, pk));
      // S + L: the same point, a non-canonical scalar; both refuse it.
      const sl = new Uint8Array([...sig.subarray(0, 32), ...toLe(le(sig.subarray(32)) + L)]);
      assert.equal(nodeEd25519.verify(sl, msg, pk), false);
      assert.equal(nobleEd25519.verify(sl, msg, pk), false);
    }
  });

  it('on keys with a small-order part, which a cofactored check accepts and node:crypto mostly refuses', () => {
    let cofactoredAccepts = 0;
    let agreeing = 0;
    for (let i = 0; i < 64; i++) {
      const c = smallOrderCase(1 + (i % 7));
      if (ed25519.verify(c.sig, c.msg, c.pk)) cofactoredAccepts++;
      if (nobleEd25519.verify(c.sig, c.msg, c.pk) === nodeEd25519.verify(c.sig, c.msg, c.pk)) agreeing++;
    }
    assert.equal(cofactoredAccepts, 64, 'the library check alone would accept every one');
    assert.equal(agreeing, 64);
  });

  it('on garbage', () => {
    for (let i = 0; i < 50; i++) {
      const [sig, msg, pk] = [random(64), random(32), random(32)];
      assert.equal(nobleEd25519.verify(sig, msg, pk), nodeEd25519.verify(sig, msg, pk));
    }
    assert.equal(nobleEd25519.verify(random(63), random(32), random(32)), false);
  });
});
