/**
 * `@chain/core/node`: Node.js-only helpers. Import this entry only on Node;
 * the main entry stays portable.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { Ed25519 } from './crypto/ed25519';
import { BoundedMap } from './primitives/bounded-map';

// DER prefixes of RFC 8410 keys: SubjectPublicKeyInfo and PKCS#8 for Ed25519.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const MAX_CACHED_KEYS = 4096;
const publicKeys = new BoundedMap<string, KeyObject>(MAX_CACHED_KEYS);

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    publicKeys.set(id, key);
  }
  return key;
}

const MAX_CACHED_SIGNERS = 64;
const privateKeys = new BoundedMap<string, { key: KeyObject; publicKey: Uint8Array }>(MAX_CACHED_SIGNERS);

function signer(secretSeed: Uint8Array): { key: KeyObject; publicKey: Uint8Array } {
  const id = Buffer.from(secretSeed).toString('hex');
  let entry = privateKeys.get(id);
  if (!entry) {
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretSeed]), format: 'der', type: 'pkcs8' });
    const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
    entry = { key, publicKey: new Uint8Array(der.subarray(der.length - 32)) };
    privateKeys.set(id, entry);
  }
  return entry;
}

/** Ed25519 backed by node:crypto (OpenSSL): many times faster than pure JS. */
export const nodeEd25519: Ed25519 = {
  verify(signature, message, publicKey) {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    try {
      return nodeVerify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
  sign(message, secretSeed) {
    return new Uint8Array(nodeSign(null, message, signer(secretSeed).key));
  },
  publicKey(secretSeed) {
    return signer(secretSeed).publicKey.slice();
  },
};
