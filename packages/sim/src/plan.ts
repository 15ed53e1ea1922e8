import { createHash } from 'node:crypto';
import { flagSpec, formatFlag, isNumeric, parseFlag } from './flags';
import { checkTaken, scenarioOptions, type GivenFlags } from './config';
import { scenarioOf, type ScenarioName } from './scenarios/registry';

/** One swept flag and its values (in the flag's unit: ms for durations). */
export interface Axis {
  readonly flag: string;
  readonly values: readonly number[];
}

/** What a run of many seeds or points is: everything that decides its results, and nothing else. */
export interface Plan {
  readonly scenario: ScenarioName;
  /** Flags given, parsed, by flag name (swept ones not among them). */
  readonly flags: GivenFlags;
  readonly seeds: readonly string[];
  readonly sweep: readonly Axis[];
  /** A document of runs (seeds or a sweep asked for) rather than one run's result. */
  readonly multi: boolean;
}

/** One run of a plan: a point of the grid and a seed. */
export interface Task {
  /** Its place in the plan: point-major, seed-minor. */
  readonly index: number;
  readonly point: number;
  readonly seed: string;
  /** The swept flags' values at its point. */
  readonly values: Readonly<Record<string, number>>;
}

/** The most runs one plan may hold (points × seeds). */
export const MAX_TASKS = 1_000_000;

/** `--seeds`: `20` (seeds 1 to 20), `5..9`, or a list `3,7,11`. */
export function parseSeeds(text: string): string[] {
  const t = text.trim();
  let seeds: string[];
  const range = /^(\d+)\.\.(\d+)$/.exec(t);
  if (/^\d+$/.test(t)) seeds = Array.from({ length: Number(t) }, (_, i) => String(i + 1));
  else if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b < a) throw new RangeError(`--seeds "${text}": the range ${a}..${b} runs backwards`);
    seeds = Array.from({ length: Math.min(b - a + 1, MAX_TASKS + 1) }, (_, i) => String(a + i));
  } else seeds = t.split(',').map((s) => s.trim());
  if (seeds.length === 0 || seeds.some((s) => s === ''))
    throw new RangeError(`--seeds "${text}": give a count (20), a range (1..20) or a list (3,7,11)`);
  if (seeds.length > MAX_TASKS) throw new RangeError(`--seeds "${text}": at most ${MAX_TASKS} seeds`);
  if (new Set(seeds).size !== seeds.length) throw new RangeError(`--seeds "${text}" names a seed twice`);
  return seeds;
}

/** Values from `start:end:step` (either direction) or a list `a,b,c`, each checked as the flag checks it. */
function axisValues(name: string, text: string): number[] {
  const f = flagSpec(name);
  if (!isNumeric(f)) throw new RangeError(`--sweep ${name}: --${name} is not a number and cannot be swept`);
  const one = (v: string) => parseFlag(f, v) as number;
  if (!text.includes(':')) return text.split(',').map((v) => one(v.trim()));
  const parts = text.split(':');
  if (parts.length !== 3) throw new RangeError(`--sweep ${name}=${text}: a range is start:end:step, e.g. ${name}=0.1:0.45:0.05`);
  const [start, end, step] = parts.map((v) => one(v.trim())) as [number, number, number];
  if (!(step > 0)) throw new RangeError(`--sweep ${name}=${text}: the step must be positive`);
  const count = Math.floor(Math.abs(end - start) / step + 1e-9) + 1;
  if (count > MAX_TASKS) throw new RangeError(`--sweep ${name}=${text}: more than ${MAX_TASKS} values`);
  const sign = end >= start ? 1 : -1;
  // Rounded to 12 digits so that 0.1 + 2·0.05 is 0.2, not 0.20000000000000004; checked again in range.
  return Array.from({ length: count }, (_, i) => one(formatFlag(f, Number((start + sign * i * step).toPrecision(12)))));
}

/** `--sweep alpha=0.1:0.45:0.05` or `--sweep interval=10m,10s`. */
export function parseSweep(text: string): Axis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new RangeError(`--sweep "${text}": expected FLAG=START:END:STEP or FLAG=A,B,C, e.g. alpha=0.1:0.45:0.05`);
  const flag = text.slice(0, eq).trim().replace(/^--/, '');
  const values = axisValues(flag, text.slice(eq + 1));
  if (new Set(values).size !== values.length) throw new RangeError(`--sweep ${text} gives a value twice`);
  return { flag, values };
}

/** The grid's points, the first axis outermost; one empty point without a sweep. */
export function gridPoints(sweep: readonly Axis[]): Record<string, number>[] {
  let points: Record<string, number>[] = [{}];
  for (const axis of sweep) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.flag]: v })));
  return points;
}

/**
 * A plan, checked before anything runs: every flag and swept flag one the scenario takes, no flag
 * both given and swept, no axis twice, and the options of every point within their ranges.
 */
export function makePlan(scenario: string, flags: GivenFlags, seeds: readonly string[], sweep: readonly Axis[], multi: boolean): Plan {
  const s = scenarioOf(scenario);
  checkTaken(s, [...Object.keys(flags), ...sweep.map((a) => a.flag)]);
  const seen = new Set<string>();
  for (const a of sweep) {
    if (seen.has(a.flag)) throw new RangeError(`--${a.flag} is swept twice`);
    if (flags[a.flag] !== undefined) throw new RangeError(`--${a.flag} is both given and swept: give one of them`);
    seen.add(a.flag);
  }
  const points = gridPoints(sweep);
  if (points.length * seeds.length > MAX_TASKS)
    throw new RangeError(`${points.length} points × ${seeds.length} seeds is more than ${MAX_TASKS} runs`);
  for (const p of points) s.resolve(scenarioOptions(s, seeds[0] as string, { ...flags, ...p }));
  return { scenario: s.name, flags, seeds, sweep, multi };
}

/** Every run of the plan, in order: point-major, seed-minor. */
export function planTasks(plan: Plan): Task[] {
  const points = gridPoints(plan.sweep);
  const n = plan.seeds.length;
  return points.flatMap((values, point) => plan.seeds.map((seed, i) => ({ index: point * n + i, point, seed, values })));
}

/** SHA-256 of the plan: shards of one plan carry the same. */
export function planHash(plan: Plan): string {
  const flags = Object.fromEntries(Object.entries(plan.flags).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256')
    .update(JSON.stringify({ ...plan, flags }))
    .digest('hex');
}
