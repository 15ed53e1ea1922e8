import { readFileSync } from 'node:fs';

/** Where the one copy of the specification's test vectors lives. */
export const VECTORS_FILE = new URL('../vectors/spec-v1.json', import.meta.url);

/** The vectors of retargeting networks (docs/spec.md §9, Appendix A). */
export const RETARGET_VECTORS_FILE = new URL('../vectors/retarget-v1.3.json', import.meta.url);

const cached = new Map<string, unknown>();

function readVectors(file: URL): unknown {
  if (!cached.has(file.href)) cached.set(file.href, JSON.parse(readFileSync(file, 'utf8')));
  return cached.get(file.href);
}

/** The specification's test vectors (`vectors/spec-v1.json` beside the specification), parsed once. */
export function specVectors<T = Record<string, unknown>>(): T {
  return readVectors(VECTORS_FILE) as T;
}

/** The vectors of §9 (`vectors/retarget-v1.3.json`), parsed once. */
export function retargetVectors<T = Record<string, unknown>>(): T {
  return readVectors(RETARGET_VECTORS_FILE) as T;
}
