import { ed25519 } from '@noble/curves/ed25519.js';

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

/** Pure-JavaScript Ed25519 from @noble/curves: works everywhere. */
export const nobleEd25519: Ed25519 = {
  verify(signature, message, publicKey) {
    try {
      return ed25519.verify(signature, message, publicKey);
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
