import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { PRESETS } from '@chain/core';
import { version } from '../package.json';
import { EXIT, exitCodeOf, oneLine } from './errors';
import { generateKey, writeKeyFile } from './keys';
import { chain, status } from './commands/client';
import { send } from './commands/send';
import { DEFAULT_TRAFFIC, devnet, type DevnetFlags } from './commands/devnet';
import { MAX_TRAFFIC } from './devnet/traffic';
import { addMineCommand } from './commands/mine';
import { addSimCommand } from './commands/sim';
import { runPeer, type RunFlags } from './commands/run';
import { collectHostPort, hostPortArg, intArg, portArg } from './parse';

/** `--traffic`: transactions a second, 0 (none) to MAX_TRAFFIC, fractions allowed. */
function trafficArg(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= MAX_TRAFFIC))
    throw new InvalidArgumentError(`--traffic must be a number of transactions a second from 0 (none) to ${MAX_TRAFFIC}, e.g. 2 or 0.5`);
  return n;
}

export { EXIT } from './errors';

function presetName(value: string): keyof typeof PRESETS {
  if (value === 'default' || value === 'comp3221') return value;
  throw new InvalidArgumentError(`unknown preset "${value}" (choose default or comp3221)`);
}

const RUN_EXAMPLES = `
The original form: chain-peer <peer-id> <port> <config-file>
  runs peer <peer-id> on 127.0.0.1:<port> with the neighbours of <config-file>
  (first line the number of neighbours, then one "NAME PORT" line each) on the
  comp3221 network unless --network is given.

The prompt (read from stdin, a terminal or a pipe): tx, pb, pool, peers, status, cc, help.

Examples:
  chain-peer                                    a peer on 127.0.0.1:6000, data in ./chain-data/6000
  chain-peer --port 6001 --peer 127.0.0.1:6000  a second peer that joins the first
  chain-peer A 6000 configA.txt                 the original invocation
  chain-peer devnet                             three mining peers, explorer on http://127.0.0.1:6080/
  chain-peer send 127.0.0.1:6000 "hello"        a transaction, signed with your key (made on first use)
  chain-peer --http 8080                        a peer with its explorer on http://127.0.0.1:8080/
  chain-peer status 127.0.0.1:6000              ask a running peer

Exit codes: 0 success, 1 failure (port in use, peer unreachable, rejected),
2 bad usage (flag, argument, or an unreadable or invalid config, network or key file),
3 the data directory is in use by another running peer.
`;

const DEVNET_HELP = `
The explorer serves every peer on the base port + 80 (http://127.0.0.1:6080/ by
default; a free port if that one is taken, and with --base-port 0). The first
lines printed say where it is and give a send command ready to paste.

Examples:
  chain-peer devnet                              three peers, the explorer, 2 tx/s of traffic
  chain-peer devnet --traffic 50                 busier blocks
  chain-peer devnet --traffic 0 --no-http        quiet: blocks only for what you send
  chain-peer devnet --peers 5 --base-port 7000   explorer on http://127.0.0.1:7080/
  chain-peer devnet --network comp3221           the original rules (classic transactions)
`;

const SEND_HELP = `
The peer is asked first which transactions it takes. On a signed network (the
default) the transaction is signed with your key, $CHAIN_PEER_HOME/key.json or
else ~/.config/chain-peer/key.json ($XDG_CONFIG_HOME/chain-peer/key.json when that
is set), created on first use; --key FILE signs with another. A classic network
needs --sender.

Examples:
  chain-peer send 127.0.0.1:6000 "hello"                      signed, with your key
  chain-peer send 127.0.0.1:6000 "hello" --key my.key         signed, with my.key
  chain-peer send 127.0.0.1:6000 "hello" --sender abcd1234    classic networks
`;

/** Build the command-line program; `out` receives normal output. */
export function buildProgram(
  out: (text: string) => void = (t) => process.stdout.write(t),
  setExit: (code: number) => void = () => undefined,
): Command {
  const err = (t: string) => process.stderr.write(t);
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

  program
    .argument('[peer-id]', 'original form: the name of this peer')
    .argument('[port]', 'original form: the port to listen on')
    .argument('[config-file]', 'original form: the neighbours file')
    .addOption(new Option('--port <n>', 'port to listen on; 0 picks a free one and prints it (default: 6000)').argParser(portArg))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--peer <host:port>', 'a neighbour to connect to (repeat for more)', collectHostPort)
    .option('--config <file>', 'neighbours from a config file in the original format')
    .addOption(new Option('--data <dir>', 'data directory (default: ./chain-data/<port>; in memory with --port 0)').conflicts('memory'))
    .option('--memory', 'keep the chain in memory only')
    .option('--network <file|preset>', 'network file, or a preset: default, comp3221 (default: default; comp3221 in the original form)')
    .option('--no-mine', 'do not run the miner')
    .option('--workers <n>', 'miner worker threads (default: one per core)', intArg('--workers', 1, 256))
    .option('--heartbeat <ms>', 'heartbeat period in ms', intArg('--heartbeat', 10, 3_600_000))
    .option('--key <file>', 'signing key for tx at the prompt (default: <data>/peer.key, made on first use)')
    .option('--advertise <host:port>', 'the address other peers should use to reach this one', hostPortArg)
    .option('--no-prompt', 'do not read commands from stdin')
    .addOption(
      new Option('--http <port>', 'serve the explorer (a web page and a JSON API) on this port; 0 picks a free one').argParser(portArg),
    )
    .option('--http-host <host>', 'address the explorer listens on', '127.0.0.1')
    .option('--json-logs', 'write logs as JSON lines')
    .addOption(new Option('--verbose', 'log debug messages too').conflicts('quiet'))
    .option('--quiet', 'log warnings and errors only')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (peerId: string | undefined, port: string | undefined, config: string | undefined, flags: RunFlags) => {
      const args = [peerId, port, config].filter((a): a is string => a !== undefined);
      setExit(await runPeer(args, flags));
    });

  program
    .command('devnet')
    .description(
      'run a local network of mining peers with the explorer, test traffic and a live status line per peer; Ctrl-C stops them all',
    )
    .option('--peers <n>', 'number of peers', intArg('--peers', 1, 26), 3)
    .option('--base-port <n>', 'port of the first peer, the others follow; 0 picks free ports', portArg, 6000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--network <file|preset>', 'network file, or a preset: default, comp3221', 'default')
    .option('--data <dir>', "keep each peer's data in <dir>/<port> (default: in memory)")
    .option('--no-mine', 'do not run miners')
    .option('--workers <n>', 'miner worker threads per peer (default: cores / peers)', intArg('--workers', 1, 256))
    .option('--heartbeat <ms>', 'heartbeat period in ms', intArg('--heartbeat', 10, 3_600_000))
    .option('--interval <ms>', 'how often the status lines are refreshed', intArg('--interval', 50, 60_000), 500)
    .addOption(
      new Option(
        '--http <port>',
        "the explorer's port (one web page and JSON API for every peer); 0 picks a free one (default: base port + 80, or a free one if that is taken)",
      ).argParser(portArg),
    )
    .option('--no-http', 'do not serve the explorer')
    .option('--http-host <host>', 'address the explorer listens on', '127.0.0.1')
    .addOption(
      new Option(
        '--traffic <tx/s>',
        `test transactions a second, signed by the devnet's own keys and spread over the peers, so that blocks keep coming; 0 turns it off (at most ${MAX_TRAFFIC})`,
      )
        .argParser(trafficArg)
        .default(DEFAULT_TRAFFIC),
    )
    .option('--json-logs', 'write logs as JSON lines')
    .addOption(new Option('--verbose', 'log debug messages too').conflicts('quiet'))
    .option('--quiet', 'log warnings and errors only')
    .addHelpText('after', DEVNET_HELP)
    .action(async (flags: DevnetFlags) => setExit(await devnet(flags)));

  const timeout = () =>
    new Option('--timeout <ms>', 'how long to wait for the peer').argParser(intArg('--timeout', 1, 3_600_000)).default(10_000);

  program
    .command('send')
    .description('send a transaction to a peer (signed with your key on signed networks, made on first use)')
    .argument('<host:port>', 'the peer', hostPortArg)
    .argument('<content>', '1-70 printable ASCII characters, no "|"')
    .addOption(new Option('--key <file>', 'signed networks: sign with this key instead of yours (see keygen)').conflicts('sender'))
    .option('--sender <id>', 'classic networks: 4 letters and 4 digits, e.g. abcd1234')
    .option('--json', 'print the reply as JSON')
    .addOption(timeout())
    .addHelpText('after', SEND_HELP)
    .action(async (target: string, content: string, flags) => setExit(await send(target, content, flags, out, err)));

  program
    .command('chain')
    .description("print a peer's chain")
    .argument('<host:port>', 'the peer', hostPortArg)
    .option('--from <n>', 'first block (1 is genesis)', intArg('--from', 1, Number.MAX_SAFE_INTEGER), 1)
    .option('--limit <n>', 'most blocks to print', intArg('--limit', 1, Number.MAX_SAFE_INTEGER))
    .option('--json', 'print blocks as JSON lines')
    .addOption(timeout())
    .addHelpText('after', '\nExamples:\n  chain-peer chain 127.0.0.1:6000\n  chain-peer chain 127.0.0.1:6000 --from 2 --limit 10 --json\n')
    .action(async (target: string, flags) => setExit(await chain(target, flags, out, err)));

  program
    .command('status')
    .description("print a peer's height, tip, pool and proof-of-work settings")
    .argument('<host:port>', 'the peer', hostPortArg)
    .option('--json', 'print JSON')
    .option(
      '--explorer <url>',
      "also print the peer's address book (neighbours, candidates, quarantined addresses) from the explorer serving it (chain-peer --http)",
    )
    .addOption(timeout())
    .addHelpText(
      'after',
      '\nExamples:\n  chain-peer status 127.0.0.1:6000 --json\n  chain-peer status 127.0.0.1:6000 --explorer http://127.0.0.1:8080/\n',
    )
    .action(async (target: string, flags) => setExit(await status(target, flags, out)));

  addMineCommand(program, setExit);
  addSimCommand(program, out, setExit);

  program
    .command('keygen')
    .description('create an Ed25519 key for signing transactions')
    .option('--out <file>', 'write the key to this file (mode 0600) instead of printing it')
    .option('--json', 'print the key as JSON')
    .addHelpText('after', '\nExample:\n  chain-peer keygen --out my.key\n')
    .action((opts: { out?: string; json?: boolean }) => {
      const key = generateKey();
      if (opts.out) {
        writeKeyFile(opts.out, key);
        out(
          opts.json
            ? `${JSON.stringify({ file: opts.out, publicKey: key.publicKey })}\n`
            : `wrote ${opts.out}\npublic key ${key.publicKey}\n`,
        );
      } else {
        out(`${JSON.stringify(key, null, 2)}\n`);
      }
    });

  program
    .command('network')
    .description('print a network file: the parameters every peer of a network shares')
    .requiredOption('--preset <name>', 'default or comp3221', presetName)
    .addHelpText('after', '\nExample:\n  chain-peer network --preset default > my-network.json\n')
    .action((opts: { preset: keyof typeof PRESETS }) => {
      out(`${JSON.stringify(PRESETS[opts.preset], null, 2)}\n`);
    });

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
