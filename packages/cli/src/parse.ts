import { InvalidArgumentError } from 'commander';
import { parseHostPort } from '@chain/peer';

/** Commander parser: an integer from `min` to `max`. */
export function intArg(what: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** A port number; 0 picks a free one. */
export const portArg = intArg('the port', 0, 65535);

/** Check `host:port` and return it unchanged. */
export function hostPortArg(value: string): string {
  try {
    parseHostPort(value);
  } catch {
    throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:6001');
  }
  return value;
}

/** Commander parser for a repeatable `host:port` option. */
export function collectHostPort(value: string, previous: string[] = []): string[] {
  return [...previous, hostPortArg(value)];
}

/** Split `host:port` (checked). */
export function splitHostPort(value: string): { host: string; port: number } {
  return parseHostPort(value);
}
