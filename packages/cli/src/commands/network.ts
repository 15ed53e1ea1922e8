import { Command, InvalidArgumentError } from 'commander';
import type { NetworkParams } from '@chain/core';
import { PRESET_CHOICE, presetOf } from '../network';
import type { CommandContext } from './context';

function presetArg(value: string): NetworkParams {
  const preset = presetOf(value);
  if (preset) return preset;
  throw new InvalidArgumentError(`unknown preset "${value}" (choose ${PRESET_CHOICE})`);
}

export function networkCommand(ctx: CommandContext): Command {
  return new Command('network')
    .description('print a network file: the parameters every peer of a network shares')
    .requiredOption('--preset <name>', `${PRESET_CHOICE} (default is an alias of devnet)`, presetArg)
    .addHelpText('after', '\nExample:\n  chain-peer network --preset devnet > my-network.json\n')
    .action((flags: { preset: NetworkParams }) => ctx.out(`${JSON.stringify(flags.preset, null, 2)}\n`));
}
