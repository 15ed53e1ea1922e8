import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PRESETS } from '@chain/core';
import { generateKey, writeKeyFile } from './keyfile';

/** Exit codes: 0 success, 1 runtime failure, 2 bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function presetName(value: string): keyof typeof PRESETS {
  if (value === 'default' || value === 'comp3221') return value;
  throw new InvalidArgumentError(`unknown preset "${value}" (choose default or comp3221)`);
}

/** Build the command-line program; `out` receives normal output. */
export function buildProgram(out: (text: string) => void = (t) => process.stdout.write(t)): Command {
  const program = new Command('chain-peer')
    .description('Run and talk to peers of a chain network (a peer-to-peer proof-of-work blockchain).')
    .configureOutput({ writeOut: out, writeErr: (t) => process.stderr.write(t) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('network')
    .description('print a network file: the parameters every peer of a network shares')
    .requiredOption('--preset <name>', 'default or comp3221', presetName)
    .action((opts: { preset: keyof typeof PRESETS }) => {
      out(`${JSON.stringify(PRESETS[opts.preset], null, 2)}\n`);
    });

  program
    .command('keygen')
    .description('create an Ed25519 key for signing transactions')
    .option('--out <file>', 'write the key to this file (mode 0600) instead of printing it')
    .option('--json', 'print the key as JSON')
    .action((opts: { out?: string; json?: boolean }) => {
      const key = generateKey();
      if (opts.out) {
        writeKeyFile(opts.out, key);
        out(opts.json ? `${JSON.stringify({ file: opts.out, publicKey: key.publicKey })}\n` : `wrote ${opts.out}\npublic key ${key.publicKey}\n`);
      } else {
        out(`${JSON.stringify(key, null, 2)}\n`);
      }
    });

  program.action(() => {
    // Running a peer arrives with @chain/peer; until then the program explains itself.
    program.help();
  });
  return program;
}

/** Run the CLI with `argv` (as process.argv); resolves to an exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`chain-peer: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
}
