/**
 * Guarded JSON parsing for payloads.
 *
 * Before `JSON.parse` sees a payload, one linear pass over the text:
 * - bounds nesting depth (no stack overflow on 100,000 nested brackets),
 * - rejects the keys `__proto__`, `constructor` and `prototype` anywhere,
 * - rejects number literals with a fraction or exponent, so a value can never
 *   be silently rounded (`1e309`, `1.0000000000000001`): every number of the
 *   protocol is an integer, and integers travel in plain decimal.
 * Errors name the field by its path, e.g. `block.transactions[0].timestamp`.
 */

/** Keys refused anywhere in a payload. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Outcome of parsing a payload. */
export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Level {
  obj: boolean;
  expectKey: boolean;
  key: string;
  index: number;
}

/** Render a path such as `block.transactions[0]` from the scanner stack. */
function pathOf(stack: readonly Level[], extraKey?: string): string {
  let out = '';
  for (const level of stack) {
    if (level.obj) {
      if (level.expectKey) continue;
      const key = level.key.length > 40 ? `${level.key.slice(0, 40)}…` : level.key;
      out += out === '' ? key : `.${key}`;
    } else {
      out += `[${level.index}]`;
    }
  }
  if (extraKey !== undefined) {
    const key = extraKey.length > 40 ? `${extraKey.slice(0, 40)}…` : extraKey;
    out += out === '' ? key : `.${key}`;
  }
  if (out.length > 160) out = `…${out.slice(-160)}`;
  return out === '' ? '(payload)' : out;
}

/** Shorten untrusted text before it goes into an error message. */
export function preview(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}

function isNumberChar(c: number): boolean {
  // 0-9 + - . e E
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 101 || c === 69;
}

/**
 * Scan JSON text for depth, forbidden keys and non-integer number literals.
 * Returns an error message or undefined. Grammar errors are left to JSON.parse.
 */
export function scanJson(text: string, maxDepth: number): string | undefined {
  const stack: Level[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // string: find the closing quote that is not escaped
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return undefined; // unterminated: JSON.parse reports it
        let backslashes = 0;
        while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) {
          j = q;
          break;
        }
        j = q + 1;
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && top.obj && top.expectKey) {
        const raw = text.slice(i + 1, j);
        let key = raw;
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(`"${raw}"`) as string;
          } catch {
            return undefined; // bad escape: JSON.parse reports it
          }
        }
        if (FORBIDDEN_KEYS.has(key)) {
          return `field ${pathOf(stack, key)}: key ${preview(key)} is not allowed`;
        }
        top.key = key;
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      if (stack.length >= maxDepth) {
        return `field ${pathOf(stack)}: nesting deeper than ${maxDepth} levels`;
      }
      stack.push({ obj: c === 123, expectKey: c === 123, key: '', index: 0 });
      i++;
    } else if (c === 125 || c === 93) {
      if (stack.pop() === undefined) return undefined; // unbalanced: JSON.parse reports it
      i++;
    } else if (c === 44) {
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        if (top.obj) top.expectKey = true;
        else top.index++;
      }
      i++;
    } else if (c === 58) {
      const top = stack[stack.length - 1];
      if (top !== undefined) top.expectKey = false;
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let plain = true;
      while (j < n && isNumberChar(text.charCodeAt(j))) {
        const d = text.charCodeAt(j);
        if (d === 46 || d === 101 || d === 69 || d === 43) plain = false;
        j++;
      }
      if (!plain) {
        return `field ${pathOf(stack)}: number ${preview(text.slice(i, j))} is not a plain decimal integer`;
      }
      i = j;
    } else {
      i++;
    }
  }
  return undefined;
}

/** Decode strict UTF-8, scan, then JSON.parse. Never throws. */
export function parseJsonPayload(bytes: Uint8Array, maxDepth: number): JsonResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, message: 'payload is not valid UTF-8' };
  }
  const problem = scanJson(text, maxDepth);
  if (problem !== undefined) return { ok: false, message: problem };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `payload is not valid JSON: ${why.slice(0, 200)}` };
  }
}
