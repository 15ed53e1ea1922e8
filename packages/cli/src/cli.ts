import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { EXIT, exitCodeOf, oneLine } from './errors';
import { chainCommand } from './commands/chain';
import type { CommandContext } from './commands/context';
import { devnetCommand } from './commands/devnet';
import { keygenCommand } from './commands/keygen';
import { mineCommand } from './commands/mine';
import { networkCommand } from './commands/network';
import { runCommand } from './commands/run';
import { sendCommand } from './commands/send';
import { simCommand } from './commands/sim';
import { statusCommand } from './commands/status';
import { txCommand } from './commands/tx';

export { EXIT } from './errors';

/** The commands after the program's own (running a peer), in the order --help lists them. */
const COMMANDS = [
  devnetCommand,
  sendCommand,
  txCommand,
  chainCommand,
  statusCommand,
  mineCommand,
  simCommand,
  keygenCommand,
  networkCommand,
];

/** Build the command-line program; `out` receives normal output. */
export function buildProgram(
  out: (text: string) => void = (t) => process.stdout.write(t),
  setExit: (code: number) => void = () => undefined,
): Command {
  const err = (t: string) => process.stderr.write(t);
  const ctx: CommandContext = { out, err, setExit };
  const program = new Command('chain-peer')
    .description('Run and talk to peers of a chain network (a peer-to-peer proof-of-work blockchain).')
    .version(version, '-V, --version')
    .usage('[options] | <peer-id> <port> <config-file> | <command> [options]')
    .configureOutput({
      writeOut: out,
      writeErr: err,
      outputError: (text, write) => write(`chain-peer: ${text.replace(/^error: /, '').trim()} (see --help)\n`),
    })
    .enablePositionalOptions()
    .exitOverride();
  runCommand(program, ctx);
  // A command built apart from the program takes its output, errors and exit handling from it.
  for (const build of COMMANDS) {
    const command = build(ctx).copyInheritedSettings(program);
    for (const sub of command.commands) sub.copyInheritedSettings(command);
    program.addCommand(command);
  }
  return program;
}

/** Run the CLI with `argv` (as process.argv); resolves to an exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let code: number = EXIT.ok;
  // Output piped into a program that stopped reading (`chain-peer chain … | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(code);
    throw err;
  });
  const program = buildProgram(undefined, (c) => (code = c));
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`chain-peer: ${oneLine(err)}\n`);
    return exitCodeOf(err);
  }
  // A command that ran peers has stopped them; should anything still hold the event loop, do not hang.
  setTimeout(() => process.exit(code), 3000).unref();
  return code;
}
