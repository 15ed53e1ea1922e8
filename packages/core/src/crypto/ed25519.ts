import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';

/**
 * Ed25519 (RFC 8032) as the rules need it. Inject a faster implementation
 * (e.g. `nodeEd25519` from `@chain/core/node`, backed by node:crypto) where the
 * platform has one; the portable default is pure JavaScript (@noble/curves).
 */
export interface Ed25519 {
  /** Verify `signature` (64 bytes) of `message` by `publicKey` (32 bytes). Never throws on bad input. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Sign `message` with a 32-byte secret seed. */
  sign(message: Uint8Array, secretSeed: Uint8Array): Uint8Array;
  /** The 32-byte public key of a 32-byte secret seed. */
  publicKey(secretSeed: Uint8Array): Uint8Array;
}

/** The order of the base point. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndian(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i] as number);
  return x;
}

/**
 * Verification exactly as node:crypto (OpenSSL) does it, which every peer uses: S below the
 * group order, and R equal, byte for byte, to the encoding of [S]B − [k]A (cofactorless). The
 * library's own check is cofactored (ZIP 215) and accepts signatures by keys with a small-order
 * part that OpenSSL refuses: a chain verified with it would split from the network.
 */
function verifyLikeOpenSsl(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const s = littleEndian(signature.subarray(32));
  if (s >= L) return false;
  const A = ed25519.Point.fromBytes(publicKey, true);
  const k = littleEndian(sha512(concatBytes(signature.subarray(0, 32), publicKey, message))) % L;
  const R = ed25519.Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  const encoded = R.toBytes();
  for (let i = 0; i < 32; i++) if (encoded[i] !== signature[i]) return false;
  return true;
}

/** Pure-JavaScript Ed25519 from @noble/curves, verifying as node:crypto does: works everywhere. */
export const nobleEd25519: Ed25519 = {
  verify(signature, message, publicKey) {
    try {
      return verifyLikeOpenSsl(signature, message, publicKey);
    } catch {
      return false;
    }
  },
  sign(message, secretSeed) {
    return ed25519.sign(message, secretSeed);
  },
  publicKey(secretSeed) {
    return ed25519.getPublicKey(secretSeed);
  },
};

/** A fresh random 32-byte secret seed (Web Crypto's getRandomValues). */
export function randomSecretSeed(): Uint8Array {
  return ed25519.utils.randomSecretKey();
}
