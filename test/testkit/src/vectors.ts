import { readFileSync } from 'node:fs';

/** Where the one copy of the specification's test vectors lives. */
export const VECTORS_FILE = new URL('../vectors/spec-v1.json', import.meta.url);

let cached: unknown;

/** The specification's test vectors (`vectors/spec-v1.json` beside the specification), parsed once. */
export function specVectors<T = Record<string, unknown>>(): T {
  cached ??= JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));
  return cached as T;
}
