import { Command, InvalidArgumentError } from 'commander';
import { PRESETS } from '@chain/core';
import { isPresetName, type PresetName } from '../network';
import type { CommandContext } from './context';

function presetArg(value: string): PresetName {
  if (isPresetName(value)) return value;
  throw new InvalidArgumentError(`unknown preset "${value}" (choose ${Object.keys(PRESETS).join(' or ')})`);
}

export function networkCommand(ctx: CommandContext): Command {
  return new Command('network')
    .description('print a network file: the parameters every peer of a network shares')
    .requiredOption('--preset <name>', Object.keys(PRESETS).join(' or '), presetArg)
    .addHelpText('after', '\nExample:\n  chain-peer network --preset default > my-network.json\n')
    .action((flags: { preset: PresetName }) => ctx.out(`${JSON.stringify(PRESETS[flags.preset], null, 2)}\n`));
}
