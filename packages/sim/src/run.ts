import { GERVAIS_INTERVALS } from './scenarios/propagation-sweep';
import { makePlan, parseSeeds, parseSweep, type Axis, type Plan } from './plan';
import { render, runPlan } from './experiment';
import type { GivenFlags } from './config';

export { SCENARIOS, type ScenarioName } from './scenarios/registry';
export { parseDuration, parseDurations } from './units';

/** What decides a run, as the command line gives it: flags by name (parsed), and the run's own flags as text. */
export interface RunRequest {
  readonly scenario: string;
  readonly flags: GivenFlags;
  /** `--seed`: one seed (default 1). */
  readonly seed?: string;
  /** `--seeds`: `20`, `1..20` or `3,7,11`. */
  readonly seeds?: string;
  /** `--sweep`, each `FLAG=START:END:STEP` or `FLAG=A,B,C`. */
  readonly sweep?: readonly string[];
  /** `--sweep-interval`: `true` for Gervais et al.'s intervals, or a list (ms): `--sweep interval=…` by another name. */
  readonly sweepInterval?: true | readonly number[];
}

/** The plan of a request, checked before anything runs (every error names the flag). */
export function planOf(req: RunRequest): Plan {
  if (req.seed !== undefined && req.seeds !== undefined) throw new RangeError('give one of --seed and --seeds');
  const seeds = req.seeds !== undefined ? parseSeeds(req.seeds) : [req.seed ?? '1'];
  const sweep: Axis[] = (req.sweep ?? []).map(parseSweep);
  if (req.sweepInterval !== undefined) {
    if (req.scenario !== 'propagation') throw new RangeError(`--sweep-interval is a setting of propagation; use --sweep interval=A,B,C`);
    if (sweep.some((a) => a.flag === 'interval')) throw new RangeError('--sweep-interval and --sweep interval=… say the same: give one');
    const values = req.sweepInterval === true ? GERVAIS_INTERVALS : req.sweepInterval;
    if (values.length === 0) throw new RangeError('the sweep needs at least one interval');
    sweep.unshift({ flag: 'interval', values: [...values] });
  }
  return makePlan(req.scenario, req.flags, seeds, sweep, req.seeds !== undefined || sweep.length > 0);
}

/** Flags as the library once took them: camelCase keys of the command line's flags. */
export interface SimFlags {
  readonly seed?: string;
  readonly sweepInterval?: true | readonly number[];
  readonly [flag: string]: number | string | true | readonly number[] | undefined;
}

/** What a run produced: the result (JSON), its table, and its chart. */
export interface SimOutput {
  readonly result: object;
  readonly text: string;
  readonly svg: string;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Run a scenario with command-line flags (camelCase: `txPerBlock`), in this thread. */
export async function runScenario(name: string, f: SimFlags): Promise<SimOutput> {
  const { seed, sweepInterval, ...rest } = f;
  const flags: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) flags[kebab(k)] = v as number | string;
  const plan = planOf({ scenario: name, flags, seed, sweepInterval });
  const out = render(plan, await runPlan(plan, { jobs: 1 }));
  return { result: out.json(), text: out.table(), svg: out.svg() };
}
