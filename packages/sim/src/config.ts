import { flagSpec, formatFlag } from './flags';
import type { Scenario } from './scenarios/registry';

/** Flag values as given on the command line (parsed), by flag name: `{ alpha: 0.3, interval: 600000 }`. */
export type GivenFlags = Readonly<Record<string, number | string>>;

/** Why a scenario refuses a flag: it does not take it, and what it takes. */
function notTaken(s: Scenario, name: string): string {
  const instead = s.instead[name];
  const takes = Object.keys(s.flags)
    .map((f) => `--${f}`)
    .join(', ');
  return `--${name} is not a setting of ${s.name}${instead === undefined ? '' : ` (${instead})`}; ${s.name} takes ${takes}`;
}

/** Refuse flags the scenario does not take, naming them and what it takes. */
export function checkTaken(s: Scenario, names: Iterable<string>): void {
  for (const name of names) {
    flagSpec(name);
    if (!(name in s.flags)) throw new RangeError(notTaken(s, name));
  }
}

/**
 * The scenario's options for one run: its base, then each flag under its option's key. Every
 * flag must be one the scenario takes and every required one given: a flag that would be ignored
 * is an error, never a silent default.
 */
export function scenarioOptions(s: Scenario, seed: string, given: GivenFlags): Record<string, unknown> {
  checkTaken(s, Object.keys(given));
  for (const [name, req] of Object.entries(s.required)) if (given[name] === undefined) throw new RangeError(req.message);
  const o: Record<string, unknown> = { ...s.base, seed };
  for (const [name, value] of Object.entries(given)) o[s.flags[name] as string] = value;
  return o;
}

/** Every setting of one run, defaults included, checked (the scenario's own ranges). */
export function resolvedSettings(s: Scenario, options: Record<string, unknown>): Record<string, unknown> {
  return s.resolve(options);
}

/** Each flag the scenario takes with its default as `--help` shows it: `10m`, `required`, or in words. */
export function flagDefaults(s: Scenario): Record<string, string> {
  const example: Record<string, number> = {};
  for (const [name, req] of Object.entries(s.required)) example[name] = req.example;
  const settings = resolvedSettings(s, scenarioOptions(s, '1', example));
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(s.flags)) {
    if (name in s.required) out[name] = 'required';
    else if (s.derived[name] !== undefined) out[name] = s.derived[name] as string;
    else out[name] = formatFlag(flagSpec(name), settings[key]);
  }
  return out;
}
