import { readFileSync } from 'node:fs';
import { NetworkParamsError, parseNetwork, PRESETS, type NetworkParams } from '@chain/core';
import { UsageError } from './errors';
import { whyUnreadable } from './unreadable';

export type PresetName = keyof typeof PRESETS;

export function isPresetName(value: string): value is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, value);
}

/** `--network`: a preset name (`default`, `comp3221`) or a network file (JSON, docs/spec.md §1). */
export function loadNetwork(value: string): NetworkParams {
  if (isPresetName(value)) return PRESETS[value];
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    const why = whyUnreadable(err);
    throw new UsageError(
      `--network ${value}: cannot read network file: ${why} (give a file, or a preset: ${Object.keys(PRESETS).join(', ')})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `network file ${value} is not JSON: ${(err as Error).message} (print a valid one with: chain-peer network --preset default)`,
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
