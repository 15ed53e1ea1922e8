import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes, isHex64, isPlainObject } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';

/** A key file: JSON `{"secretSeed": <64 hex>, "publicKey": <64 hex>}`, mode 0600. */
export interface KeyFile {
  readonly secretSeed: string;
  readonly publicKey: string;
}

/** A fresh Ed25519 key. */
export function generateKey(): KeyFile {
  const seed = new Uint8Array(randomBytes(32));
  return { secretSeed: bytesToHex(seed), publicKey: bytesToHex(nodeEd25519.publicKey(seed)) };
}

/** Write a key file that only its owner can read. Refuses to overwrite. */
export function writeKeyFile(path: string, key: KeyFile): void {
  try {
    writeFileSync(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${path} already exists; remove it or choose another --out`);
    throw new Error(`cannot write key file ${path}: ${(err as Error).message}`);
  }
}

/** Read and check a key file; errors name the file and what is wrong. */
export function readKeyFile(path: string): KeyFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read key file ${path}: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed) || !isHex64(parsed.secretSeed)) {
    throw new Error(`key file ${path}: expected {"secretSeed": "<64 lowercase hex>", "publicKey": "<64 lowercase hex>"}`);
  }
  const publicKey = bytesToHex(nodeEd25519.publicKey(hexToBytes(parsed.secretSeed)));
  if (parsed.publicKey !== undefined && parsed.publicKey !== publicKey) {
    throw new Error(`key file ${path}: publicKey does not belong to secretSeed`);
  }
  return { secretSeed: parsed.secretSeed, publicKey };
}
