import { readFileSync } from 'node:fs';
import { NetworkParamsError, parseNetwork, PRESETS, type NetworkParams } from '@chain/core';
import { UsageError } from './errors';
import { whyUnreadable } from './unreadable';

/** The presets by the name their peers carry on the wire and print (`"name"`), which is the name users type. */
const BY_NAME: Readonly<Record<string, NetworkParams>> = Object.freeze(Object.fromEntries(Object.values(PRESETS).map((p) => [p.name, p])));

/** Older names of presets, still taken: core calls the `devnet` preset `default`. */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({ default: 'devnet' });

/** The preset names to offer: `devnet`, `comp3221`, `retarget`. */
export const PRESET_NAMES: readonly string[] = Object.freeze(Object.keys(BY_NAME));

/** The preset names as a choice in a sentence: `devnet, comp3221 or retarget`. */
export const PRESET_CHOICE = `${PRESET_NAMES.slice(0, -1).join(', ')} or ${PRESET_NAMES.at(-1)}`;

/** The preset called `value` (or by an alias of its name); undefined when none is. */
export function presetOf(value: string): NetworkParams | undefined {
  const name = Object.prototype.hasOwnProperty.call(ALIASES, value) ? (ALIASES[value] as string) : value;
  return Object.prototype.hasOwnProperty.call(BY_NAME, name) ? BY_NAME[name] : undefined;
}

/** `--network`: a preset name (`devnet`, alias `default`; `comp3221`; `retarget`) or a network file (JSON, docs/spec.md §1). */
export function loadNetwork(value: string): NetworkParams {
  const preset = presetOf(value);
  if (preset) return preset;
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    const why = whyUnreadable(err);
    throw new UsageError(`--network ${value}: cannot read network file: ${why} (give a file, or a preset: ${PRESET_NAMES.join(', ')})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `network file ${value} is not JSON: ${(err as Error).message} (print a valid one with: chain-peer network --preset devnet)`,
    );
  }
  try {
    return parseNetwork(json);
  } catch (err) {
    if (err instanceof NetworkParamsError || err instanceof TypeError || err instanceof RangeError) {
      throw new UsageError(`network file ${value}: ${(err as Error).message}`);
    }
    throw err;
  }
}
