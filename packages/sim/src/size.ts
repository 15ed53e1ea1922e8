/**
 * The bytes a value takes as JSON (UTF-8), as `Buffer.byteLength(JSON.stringify(value))` would
 * say for plain data, without building the string. Frozen objects and arrays are remembered
 * (weakly): a block relayed to eight neighbours, or a pool transaction in every `hb` reply, is
 * measured once (the peers' checked blocks and transactions are frozen).
 */
const sizes = new WeakMap<object, number>();

/** Printable ASCII other than `"` and `\`: one byte a character, no escapes (hashes, addresses, most content). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function stringBytes(s: string): number {
  if (PLAIN.test(s)) return s.length + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 2;
    else if (c < 0x20) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function jsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
    case 'function':
    case 'symbol':
      return 0;
    case 'bigint':
      throw new TypeError('a bigint has no JSON form');
    default:
      break;
  }
  if (value === null) return 4;
  const o = value as object;
  // Only frozen values are remembered: they cannot change, and they are the ones sent again and
  // again (checked transactions and blocks). A fresh request object is measured once and dropped.
  const frozen = Object.isFrozen(o);
  if (frozen) {
    const known = sizes.get(o);
    if (known !== undefined) return known;
  }
  let n: number;
  if (Array.isArray(o)) {
    n = 2 + Math.max(0, o.length - 1);
    for (const item of o) n += item === undefined || typeof item === 'function' ? 4 : jsonBytes(item);
  } else {
    n = 2;
    let fields = 0;
    for (const key of Object.keys(o)) {
      const v = (o as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      n += stringBytes(key) + 1 + jsonBytes(v);
      fields++;
    }
    n += Math.max(0, fields - 1);
  }
  if (frozen) sizes.set(o, n);
  return n;
}

/** Bytes of a frame on the wire (docs/spec.md §5): 4 of length, 2 of opcode, then the JSON payload (none when absent). */
export function frameBytes(payload: unknown): number {
  return 6 + (payload === undefined ? 0 : jsonBytes(payload));
}
