import { readFileSync } from 'node:fs';

/** Read a JSON file next to the tests. */
export function readVector<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

/** Build a frame by hand: length, opcode, raw body text or bytes. */
export function rawFrame(op: string, body: string | Uint8Array = ''): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const head = Buffer.alloc(6);
  head.writeUInt32BE(2 + payload.length, 0);
  head.write(op, 4, 'latin1');
  return Buffer.concat([head, payload]);
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = '0123456789abcdef'.repeat(4);
