import { Command } from 'commander';
import { generateKey, keyFileText, writeKeyFile } from '../keys';
import type { CommandContext } from './context';
import * as flag from './options';

interface KeygenFlags {
  readonly out?: string;
  readonly json?: boolean;
}

export function keygenCommand(ctx: CommandContext): Command {
  return new Command('keygen')
    .description('create an Ed25519 key for signing transactions')
    .option('--out <file>', 'write the key to this file (mode 0600) instead of printing it')
    .addOption(flag.json('with --out: print the file and the public key as JSON (without --out the key is printed as JSON anyway)'))
    .addHelpText('after', '\nExample:\n  chain-peer keygen --out my.key\n')
    .action((flags: KeygenFlags) => {
      const key = generateKey();
      if (flags.out === undefined) {
        ctx.out(keyFileText(key));
        return;
      }
      writeKeyFile(flags.out, key);
      ctx.out(
        flags.json
          ? `${JSON.stringify({ file: flags.out, publicKey: key.publicKey })}\n`
          : `wrote ${flags.out}\npublic key ${key.publicKey}\n`,
      );
    });
}
