import { InvalidArgumentError } from 'commander';
import { parseHostPort } from '@chain/peer';

/** Commander parser: a number from `min` to `max` in digits, with a decimal part when `fractions`. */
function rangeArg(fractions: boolean, min: number, max: number, message: string): (value: string) => number {
  const digits = fractions ? /^\d+(\.\d+)?$/ : /^\d+$/;
  return (value) => {
    const n = digits.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max) || (!fractions && !Number.isSafeInteger(n))) throw new InvalidArgumentError(message);
    return n;
  };
}

/** Commander parser: an integer from `min` to `max`. */
export function intArg(what: string, min: number, max: number): (value: string) => number {
  return rangeArg(false, min, max, `${what} must be an integer from ${min} to ${max}`);
}

/** Commander parser: a number from `min` to `max`, fractions allowed; `message` replaces the usual error. */
export function numberArg(
  what: string,
  min: number,
  max: number,
  message = `${what} must be a number from ${min} to ${max}`,
): (value: string) => number {
  return rangeArg(true, min, max, message);
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
