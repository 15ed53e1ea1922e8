import { bytesToHex } from '../primitives/encoding';
import { describe } from '../primitives/checks';
import { nobleEd25519, randomSecretSeed, type Ed25519 } from './ed25519';

/** Length in bytes of an Ed25519 secret seed (RFC 8032 §5.1.5). */
export const SECRET_KEY_BYTES = 32;

/** An Ed25519 key pair: the secret seed that signs, and the public key that is a transaction's `sender`. */
export interface KeyPair {
  /** The 32-byte secret seed: keep it private. */
  readonly secretKey: Uint8Array;
  /** The public key as 64 lowercase hex characters, exactly as it appears in `sender`. */
  readonly publicKey: string;
}

/**
 * Throws a TypeError/RangeError naming `name` unless `value` is a 32-byte secret seed: the
 * message says the length expected and the length got.
 */
export function assertSecretKey(value: unknown, name = 'secretKey'): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name}: expected a ${SECRET_KEY_BYTES}-byte Ed25519 secret seed (Uint8Array), got ${describe(value)}`);
  }
  if (value.length !== SECRET_KEY_BYTES) {
    throw new RangeError(`${name}: expected a ${SECRET_KEY_BYTES}-byte Ed25519 secret seed, got ${value.length} bytes`);
  }
  return value;
}

/** The public key (64 lowercase hex characters, a `sender`) of a 32-byte secret seed. */
export function publicKeyOf(secretKey: Uint8Array, ed: Ed25519 = nobleEd25519): string {
  return bytesToHex(ed.publicKey(assertSecretKey(secretKey)));
}

/** A fresh key pair from a random secret seed ({@link randomSecretSeed}). */
export function createKeyPair(ed: Ed25519 = nobleEd25519): KeyPair {
  const secretKey = randomSecretSeed();
  return Object.freeze({ secretKey, publicKey: publicKeyOf(secretKey, ed) });
}
