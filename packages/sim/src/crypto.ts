import { BoundedMap, bytesToHex, type Ed25519 } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';

/**
 * One Ed25519 for every simulated peer that verifies each (message, key, signature) once per
 * process: the answer is a pure function of those bytes, so a thousand peers asking the same
 * question get the same answer a thousand times. Signing and keys go straight to node:crypto.
 */
export function memoEd25519(base: Ed25519 = nodeEd25519, capacity = 1 << 18): Ed25519 & { readonly hits: () => number } {
  const known = new BoundedMap<string, boolean>(capacity);
  let hits = 0;
  return {
    verify(signature, message, publicKey) {
      const key = `${bytesToHex(signature)}${bytesToHex(message)}${bytesToHex(publicKey)}`;
      const seen = known.get(key);
      if (seen !== undefined) {
        hits++;
        return seen;
      }
      const ok = base.verify(signature, message, publicKey);
      known.set(key, ok);
      return ok;
    },
    sign: (message, secretSeed) => base.sign(message, secretSeed),
    publicKey: (secretSeed) => base.publicKey(secretSeed),
    hits: () => hits,
  };
}
