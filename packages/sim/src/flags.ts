import { formatBandwidth, formatDuration, parseBandwidth, parseDuration } from './units';

/** How a flag's text becomes a value. */
export type FlagKind = 'int' | 'number' | 'duration' | 'bandwidth' | 'text' | 'choice';

/** A setting of a scenario as the command line names it. */
export interface FlagSpec {
  /** Without the dashes: `tx-per-block`. */
  readonly name: string;
  readonly kind: FlagKind;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** The value's name in `--help`: `n`, `duration`. */
  readonly value: string;
  readonly help: string;
}

const flag = (name: string, kind: FlagKind, value: string, help: string, min?: number, max?: number): FlagSpec => ({
  name,
  kind,
  value,
  help,
  ...(min === undefined ? {} : { min, max }),
});

/** A whole number of things (`n` in `--help`) from `min` to `max`. */
const count = (name: string, help: string, min: number, max: number): FlagSpec => flag(name, 'int', 'n', help, min, max);

/** A time with its unit (`10s`, `5m`); `--help` names it `duration`. */
const duration = (name: string, help: string): FlagSpec => flag(name, 'duration', 'duration', help);

const choice = (name: string, choices: readonly string[], value: string, help: string): FlagSpec => ({
  name,
  kind: 'choice',
  choices,
  value,
  help,
});

/** Every setting a scenario may take; each scenario says which it takes (scenarios/registry.ts). */
export const SIM_FLAGS: readonly FlagSpec[] = [
  count('peers', 'peers (propagation, partition: all of them; eclipse: honest miners)', 2, 100_000),
  flag('topology', 'text', 'spec', 'regular:K (random K-regular), mesh, or a file of edges "a b" a line'),
  flag('latency', 'text', 'spec', 'constant:MS, uniform:MIN-MAX, lognormal:MEDIAN,SIGMA or regions (SimBlock 2019)'),
  flag('bandwidth', 'bandwidth', 'bits/s', 'upload and download of every peer, e.g. 20M'),
  flag('loss', 'number', 'p', 'probability that a segment is lost and resent after a timeout', 0, 0.99),
  duration('heartbeat', 'heartbeat of every peer (sync)'),
  choice('wire', ['object', 'json'], 'mode', 'payloads by reference or through JSON and the checks'),
  choice('protocol', ['1.1', '1.2'], 'version', 'the protocol version every peer speaks at most (1.1: push gossip, whole blocks, hb sync)'),
  flag(
    'validation-us-per-tx',
    'number',
    'µs',
    'virtual time a peer spends checking each transaction it receives, alone or in a block, handling nothing else meanwhile (0: free)',
    0,
    1_000_000,
  ),
  duration('interval', 'mean time between blocks (virtual time)'),
  count('blocks', 'blocks to find', 1, 10_000_000),
  count('tx-per-block', 'transactions a block holds at most', 1, 10_000),
  flag('tx-rate', 'number', 'tx/s', 'transactions users send a second', 0, 1_000_000),
  count('content-bytes', "characters of each transaction's content", 12, 70),
  count('miners', 'peers that mine, chosen at random with equal shares', 1, 100_000),
  flag('alpha', 'number', 'share', "the attacker's share of the hash power", 0, 0.999),
  flag('gamma', 'number', 'share', 'share of honest hash power the pool aims to reach first in a race', 0, 1),
  count('honest', 'honest miners', 1, 1000),
  flag('q', 'number', 'share', "the attacker's share of the hash power", 0.001, 0.499),
  count('z', 'confirmations the merchant waits for', 1, 100),
  count('trials', 'attempts', 1, 10_000_000),
  count('give-up', 'the attacker gives up when more than this many blocks behind', 1, 10_000),
  duration('split-at', 'when the network splits'),
  duration('heal-at', 'when it heals'),
  flag('share', 'number', 'fraction', 'share of the peers on the second side', 0.01, 0.99),
  count('attackers', 'attacker peers', 1, 1000),
  duration('duration', 'how long the attack runs'),
];

const BY_NAME = new Map(SIM_FLAGS.map((f) => [f.name, f]));

/** The flag called `name`, or an error listing them. */
export function flagSpec(name: string): FlagSpec {
  const f = BY_NAME.get(name);
  if (f === undefined)
    throw new RangeError(`--${name} is not a flag of chain-peer sim; its settings are ${SIM_FLAGS.map((s) => `--${s.name}`).join(', ')}`);
  return f;
}

/** Whether a flag takes a number (and so can be swept). */
export function isNumeric(f: FlagSpec): boolean {
  return f.kind === 'int' || f.kind === 'number' || f.kind === 'duration' || f.kind === 'bandwidth';
}

/** A flag's value from its text, checked against its range; the error names the flag. */
export function parseFlag(f: FlagSpec, text: string): number | string {
  const what = `--${f.name}`;
  switch (f.kind) {
    case 'duration':
      return parseDuration(text, what);
    case 'bandwidth':
      return parseBandwidth(text, what);
    case 'text':
      if (text === '') throw new RangeError(`${what} needs a value`);
      return text;
    case 'choice':
      if (!f.choices?.includes(text)) throw new RangeError(`${what} "${text}": choose one of ${f.choices?.join(', ')}`);
      return text;
    default: {
      const n = (f.kind === 'int' ? /^\d+$/ : /^\d+(\.\d+)?$/).test(text.trim()) ? Number(text) : NaN;
      const range = `from ${f.min} to ${f.max}`;
      if (!(n >= (f.min as number) && n <= (f.max as number)) || (f.kind === 'int' && !Number.isSafeInteger(n)))
        throw new RangeError(`${what} must be ${f.kind === 'int' ? 'an integer' : 'a number'} ${range}, got "${text}"`);
      return n;
    }
  }
}

/** A value as its flag would take it back: `10m`, `20M`, `0.3`. */
export function formatFlag(f: FlagSpec, value: unknown): string {
  if (typeof value !== 'number') return String(value);
  if (f.kind === 'duration') return formatDuration(value);
  if (f.kind === 'bandwidth') return formatBandwidth(value);
  return String(Number(value.toPrecision(12)));
}
