import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

/**
 * node:crypto's SHA-256 where the platform has it (Node, Deno, Bun), found without importing
 * node:crypto so that this module stays portable; pure JavaScript elsewhere. Same bytes in, same
 * digest out: strings are hashed as UTF-8, lone surrogates as U+FFFD, exactly as TextEncoder does.
 * The one-shot `crypto.hash` (Node 20.12+) is used when present: for the short inputs of ids and
 * block hashes it costs a fifth of a `createHash` object.
 */
type NativeHash = { update(data: string | Uint8Array, encoding?: 'utf8'): NativeHash; digest(encoding: 'hex'): string };
type NativeCrypto = {
  createHash?: (a: 'sha256') => NativeHash;
  hash?: (algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex') => string;
};
const nativeSha256Hex: ((data: string | Uint8Array) => string) | undefined = (() => {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const crypto = typeof get === 'function' ? (get('node:crypto') as NativeCrypto | undefined) : undefined;
    const oneShot = crypto?.hash;
    if (typeof oneShot === 'function') return (data) => oneShot('sha256', data, 'hex');
    const createHash = crypto?.createHash;
    if (typeof createHash === 'function')
      return (data) =>
        (typeof data === 'string' ? createHash('sha256').update(data, 'utf8') : createHash('sha256').update(data)).digest('hex');
    return undefined;
  } catch {
    return undefined;
  }
})();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Lowercase hex SHA-256 of bytes (the specification: `sha256hex`). */
export function sha256hex(bytes: Uint8Array): string {
  return nativeSha256Hex ? nativeSha256Hex(bytes) : nobleBytesToHex(sha256(bytes));
}

/** `sha256hex(utf8(text))`. */
export function sha256hexOfText(text: string): string {
  return nativeSha256Hex ? nativeSha256Hex(text) : nobleBytesToHex(sha256(encoder.encode(text)));
}

/** The pure-JavaScript `sha256hexOfText`, whatever the platform (to check the native one against). */
export function sha256hexOfTextPortable(text: string): string {
  return nobleBytesToHex(sha256(encoder.encode(text)));
}

/**
 * The specification's canonical form: `JSON.stringify` of an array of strings and
 * integers (no spaces, integers in plain decimal).
 */
export function canonical(items: readonly (string | number)[]): string {
  return JSON.stringify(items);
}

/** `sha256hex(utf8(canonical(items)))`: every hash in the specification has this form. */
export function hashCanonical(items: readonly (string | number)[]): string {
  return sha256hexOfText(canonical(items));
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** True for 64 lowercase hex characters (a hash or an Ed25519 public key). */
export function isHex64(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

/** True for 128 lowercase hex characters (an Ed25519 signature). */
export function isHex128(value: unknown): value is string {
  return typeof value === 'string' && HEX128.test(value);
}

/*
 * Declared here rather than re-exported from @noble/hashes, so that the published type declarations
 * name no ESM-only module and CommonJS consumers type-check under `moduleResolution: node16`.
 */

/** Lowercase hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  return nobleBytesToHex(bytes);
}

/** Bytes of an even-length hex string; throws on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  return nobleHexToBytes(hex);
}
