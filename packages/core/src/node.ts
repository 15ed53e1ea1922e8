/**
 * `@chain/core/node`: Node.js-only helpers. Import this entry only on Node;
 * the main entry stays portable.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { Ed25519 } from './crypto/ed25519';

// DER prefixes of RFC 8410 keys: SubjectPublicKeyInfo and PKCS#8 for Ed25519.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const publicKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 4096;

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.delete(publicKeys.keys().next().value as string);
    publicKeys.set(id, key);
  }
  return key;
}

function privateKeyObject(secretSeed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretSeed]), format: 'der', type: 'pkcs8' });
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
    return new Uint8Array(nodeSign(null, message, privateKeyObject(secretSeed)));
  },
  publicKey(secretSeed) {
    const der = createPublicKey(privateKeyObject(secretSeed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(der.length - 32));
  },
};
