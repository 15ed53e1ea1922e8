/** Quantities as the command line writes them: durations with a unit, bandwidth with a prefix. */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * `500ms`, `10s`, `2m` (or `2min`), `1h` → milliseconds. A bare number is refused: `--interval 10`
 * once meant 10 ms to the program and ten seconds or minutes to the reader.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t))
    throw new RangeError(`${what} "${text}" needs a unit: ${t}ms, ${t}s, ${t}m or ${t}h (a bare number is ambiguous)`);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)$/.exec(t);
  if (!m) throw new RangeError(`${what} "${text}" is not a duration: a number with a unit, e.g. 500ms, 10s, 2m, 1h`);
  const ms = Number(m[1]) * (UNITS[m[2] as string] as number);
  if (!(ms > 0)) throw new RangeError(`${what} must be positive, got "${text}"`);
  return ms;
}

/** `a,b,c` durations → ms. */
export function parseDurations(text: string, what = 'durations'): number[] {
  return text.split(',').map((s) => parseDuration(s, what));
}

type Units = readonly (readonly [string, number])[];

/** A value as a whole number of the largest unit that divides it (`units` largest first), or null. */
function inWholeUnits(value: number, units: Units): string | null {
  for (const [unit, size] of units) if (value >= size && Number.isInteger(value / size)) return `${value / size}${unit}`;
  return null;
}

const DURATION_UNITS: Units = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];
const BANDWIDTH_PREFIXES: Units = [
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

/** Milliseconds as the shortest duration text that parses back to them: `10m`, `90s`, `500ms`. */
export function formatDuration(ms: number): string {
  const whole = inWholeUnits(ms, DURATION_UNITS);
  if (whole !== null) return whole;
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(12))}s`;
  return `${Number(ms.toPrecision(12))}ms`;
}

/** Bits a second with an optional k, M or G: `20M` → 20 000 000. */
export function parseBandwidth(text: string, what = 'bandwidth'): number {
  const m = /^(\d+(?:\.\d+)?)([kMG]?)$/.exec(text.trim());
  if (!m) throw new RangeError(`${what} "${text}" must be bits a second, e.g. 20000000 or 20M`);
  const bps = Number(m[1]) * (BANDWIDTH_PREFIXES.find(([p]) => p === m[2])?.[1] ?? 1);
  if (!(bps > 0)) throw new RangeError(`${what} must be positive, got "${text}"`);
  return bps;
}

/** Bits a second as the shortest text that parses back to them: `20M`, `1500k`, `300`. */
export function formatBandwidth(bps: number): string {
  return inWholeUnits(bps, BANDWIDTH_PREFIXES) ?? String(Number(bps.toPrecision(12)));
}
