/**
 * Field validators used by the payload schemas. Each one checks a value that
 * came out of JSON.parse and throws a FieldError naming the field; the
 * decoders catch it and turn it into a `malformed` result.
 */
import { FORBIDDEN_KEYS, preview } from './json';

/** A payload field that does not have the expected shape. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`field ${field}: ${problem}`);
    this.field = field;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${preview(value)}`;
  if (typeof value === 'number') return `number ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Join a parent path and a key. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return path === '' ? shown : `${path}.${shown}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * An object with exactly the given keys: every `required` key present, no key
 * outside `required` and `optional`.
 */
export function exactObject(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (!isPlainObject(value)) throw new FieldError(path || '(payload)', `expected an object, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new FieldError(at(path, key), 'unexpected field');
    }
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) throw new FieldError(at(path, key), 'missing');
  }
  return value;
}

/**
 * A plain JSON object with a bounded number of keys, none of them forbidden.
 * Used for blocks and transactions, whose exact rules belong to @chain/core.
 */
export function plainObject<T>(value: unknown, path: string, maxKeys: number): T {
  if (!isPlainObject(value)) throw new FieldError(path || '(payload)', `expected an object, got ${describe(value)}`);
  const keys = Object.keys(value);
  if (keys.length > maxKeys) throw new FieldError(path || '(payload)', `more than ${maxKeys} fields`);
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) throw new FieldError(at(path, key), 'key is not allowed');
  }
  return value as T;
}

/** A safe integer in [min, max]. */
export function safeInt(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new FieldError(path, `expected a safe integer, got ${describe(value)}`);
  }
  if (value < min || value > max) throw new FieldError(path, `${value} is outside ${min}..${max}`);
  return value;
}

/** 64 lowercase hex digits (a SHA-256 hash or an Ed25519 public key). */
export function hex64(value: unknown, path: string): string {
  if (typeof value !== 'string' || !HEX64.test(value)) {
    throw new FieldError(path, `expected 64 lowercase hex digits, got ${describe(value)}`);
  }
  return value;
}

/** 12 lowercase hex digits: a compact block's short transaction id. */
export function hex12(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{12}$/.test(value)) {
    throw new FieldError(path, `expected 12 lowercase hex digits, got ${describe(value)}`);
  }
  return value;
}

/** A string of at most `max` UTF-16 code units. */
export function text(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string') throw new FieldError(path, `expected a string, got ${describe(value)}`);
  if (value.length > max) throw new FieldError(path, `longer than ${max} characters`);
  return value;
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.length <= 8 ? ` (one of ${allowed.join(', ')})` : '';
    throw new FieldError(path, `unexpected value ${describe(value)}${list}`);
  }
  return value as T;
}

/** An array of at most `max` items, each checked by `item`. */
export function arrayOf<T>(value: unknown, path: string, max: number, item: (v: unknown, p: string) => T, min = 0): T[] {
  if (!Array.isArray(value)) throw new FieldError(path, `expected an array, got ${describe(value)}`);
  if (value.length > max) throw new FieldError(path, `more than ${max} entries`);
  if (value.length < min) throw new FieldError(path, `fewer than ${min} entries`);
  return value.map((v, i) => item(v, at(path, i)));
}

/** A `host:port` listen address; hosts are names, IPv4 or bracketed IPv6. */
export function listenAddress(value: unknown, path: string, max: number): string {
  const s = text(value, path, max);
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})$/.exec(s);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port < 1 || port > 65535) {
    throw new FieldError(path, `expected "host:port" with port 1..65535, got ${describe(value)}`);
  }
  return s;
}
