import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { NetworkParams } from '@chain/core';
import { DataDirLockedError, Peer } from '@chain/peer';
import { readConfig } from '../config-file';
import { EXIT, UsageError } from '../errors';
import { PeerKey } from '../keys';
import { loadNetwork } from '../network';
import { collectHostPort, hostPortArg, portArg } from '../parse';
import { Prompt } from '../prompt';
import type { CommandContext } from './context';
import { attachPeerLogging, loggerFromFlags, type LogFlags } from './peer-logging';
import { serveExplorer, type ExplorerFlags } from './explorer';
import { PeerMetrics, metricsHostOption, metricsName, metricsOption, metricsPort, type MetricsFlags } from './metrics';
import * as flag from './options';

/** The port a peer listens on when neither `--port` nor the original form names one. */
const DEFAULT_PORT = 6000;

/** Flags of `chain-peer [options]` (running one peer). */
export interface RunFlags extends LogFlags, ExplorerFlags, MetricsFlags {
  readonly port?: number;
  readonly host: string;
  readonly peer?: string[];
  readonly config?: string;
  readonly data?: string;
  readonly memory?: boolean;
  readonly network?: string;
  readonly mine: boolean;
  readonly workers?: number;
  readonly heartbeat?: number;
  readonly key?: string;
  readonly prompt: boolean;
  readonly advertise?: string;
}

export interface RunPlan {
  readonly name: string | undefined;
  readonly network: NetworkParams;
  readonly port: number;
  readonly neighbours: string[];
  readonly dataDir: string | null;
}

/**
 * Work out what to run from the flags and the original positional form
 * `<peer-id> <port> <config-file>` (which defaults to the comp3221 network).
 */
export function planRun(args: readonly string[], flags: RunFlags): RunPlan {
  let name: string | undefined;
  let port = flags.port;
  const neighbours: string[] = [];
  if (args.length > 0) {
    if (args.length !== 3) {
      const what =
        args.length === 1
          ? `unknown command ${JSON.stringify(args[0])}`
          : `expected <peer-id> <port> <config-file>, got ${args.length} arguments`;
      throw new UsageError(`${what} (run chain-peer --help for the commands)`);
    }
    name = args[0] as string;
    let positional: number;
    try {
      positional = portArg(args[1] as string);
    } catch {
      throw new UsageError(
        `port ${JSON.stringify(args[1])} must be an integer from 0 to 65535 (usage: chain-peer <peer-id> <port> <config-file>)`,
      );
    }
    if (port !== undefined && port !== positional)
      throw new UsageError(`give the port once: as the second argument (${positional}) or with --port (${port}), not both`);
    port = positional;
    neighbours.push(...readConfig(args[2] as string).map((n) => n.address));
  }
  if (flags.config) neighbours.push(...readConfig(flags.config).map((n) => n.address));
  neighbours.push(...(flags.peer ?? []));
  port ??= DEFAULT_PORT;
  const network = loadNetwork(flags.network ?? (name !== undefined ? 'comp3221' : 'devnet'));
  if (flags.memory && flags.data) throw new UsageError('give either --data DIR or --memory, not both');
  const dataDir = flags.memory ? null : (flags.data ?? (port === 0 ? null : join('chain-data', String(port))));
  return { name, network, port, neighbours: [...new Set(neighbours)], dataDir };
}

/** Run one peer until `cc`, Ctrl-C or SIGTERM; resolves to the exit code. */
export async function runPeer(args: readonly string[], flags: RunFlags): Promise<number> {
  const plan = planRun(args, flags);
  const log = loggerFromFlags(flags, plan.name);
  if (flags.key && plan.network.txFormat === 'classic')
    log.warn(`--key ${flags.key} is not used: network ${plan.network.name} has classic transactions`);
  const key = new PeerKey({
    file: plan.network.txFormat === 'signed' ? flags.key : undefined,
    dataDir: plan.dataDir,
    onCreate: (where, k) => log.info({ publicKey: k.publicKey }, `created this peer's signing key in ${where}`),
  });
  const scrapePort = flags.metrics === undefined ? undefined : metricsPort(flags.metrics, plan.port);
  // Frames are counted from the start, for --metrics and for the explorer's /metrics alike.
  const metrics = scrapePort !== undefined || flags.http !== undefined ? new PeerMetrics(metricsName(plan.name)) : undefined;
  let peer: Peer;
  try {
    peer = await Peer.start({
      transport: metrics?.transport,
      network: plan.network,
      host: flags.host,
      port: plan.port,
      advertise: flags.advertise,
      dataDir: plan.dataDir,
      neighbours: plan.neighbours,
      mine: flags.mine,
      workers: flags.workers,
      heartbeatMs: flags.heartbeat,
      logger: log,
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw err; // exit code 3 (errors.ts); the message names the directory and the holder
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new Error(`port ${plan.port} on ${flags.host} is already in use; choose another with --port (0 picks a free one)`);
    if (e.code === 'EADDRNOTAVAIL')
      throw new Error(`cannot listen on ${flags.host}: no such address on this machine; choose another with --host`);
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      throw new Error(`cannot listen on ${flags.host}: unknown host; choose another with --host`);
    if (e.code === 'EACCES' && (e.syscall === 'listen' || e.syscall === 'bind')) {
      throw new Error(`not allowed to listen on ${flags.host}:${plan.port}; choose a port above 1023 with --port`);
    }
    if (e.path !== undefined && plan.dataDir !== null) {
      throw new Error(`cannot use the data directory ${plan.dataDir}: ${e.message}; choose another with --data, or run with --memory`);
    }
    throw err;
  }
  const detach = attachPeerLogging(peer, log);
  const scrapes = await metrics?.start(peer, scrapePort, flags.metricsHost).catch(async (err) => {
    detach();
    await peer.stop();
    throw err;
  });
  const explorer = await serveExplorer([peer], [plan.name ?? 'A'], flags, log, metrics?.metrics).catch(async (err) => {
    detach();
    await scrapes?.close();
    await peer.stop();
    throw err;
  });
  // Absolute: the default ./chain-data/<port> lands wherever the peer was started from.
  const where = plan.dataDir === null ? 'in memory' : `in ${resolve(plan.dataDir)}`;
  const mining = flags.mine
    ? flags.workers
      ? `mining with ${flags.workers} worker${flags.workers === 1 ? '' : 's'}`
      : 'mining'
    : 'not mining';
  process.stdout.write(
    `${plan.name ? `${plan.name} ` : ''}listening on ${peer.address.host}:${peer.address.port} ` +
      `(network ${plan.network.name}, height ${peer.chain.height}, data ${where}, ${mining})\n` +
      (explorer ? `explorer on ${explorer.url}\n` : '') +
      (scrapes ? `metrics on ${scrapes.url}\n` : ''),
  );

  return new Promise<number>((resolve) => {
    let prompt: Prompt | undefined;
    let stopping = false;
    const stop = (why: string, reply: boolean) => {
      if (stopping) return;
      stopping = true;
      prompt?.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.info(`stopping (${why})`);
      Promise.all([explorer?.close(), scrapes?.close()])
        .then(() => peer.stop())
        .then(() => metrics?.close())
        .then(
          () => {
            detach();
            log.info('stopped');
            if (reply) process.stdout.write('Stopped\n');
            resolve(EXIT.ok);
          },
          (err) => {
            log.error(`stopping failed: ${(err as Error).message}`);
            resolve(EXIT.failure);
          },
        );
    };
    const onSignal = (signal: NodeJS.Signals) => stop(signal, false);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (flags.prompt) {
      if (process.stdin.isTTY) process.stdout.write('type help for commands\n');
      prompt = new Prompt({
        peer,
        key,
        input: process.stdin,
        write: (text) => process.stdout.write(text),
        onQuit: () => stop('cc', true),
        onEnd: () => {
          if (!stopping) log.info('input ended; running headless (stop with Ctrl-C or SIGTERM)');
        },
      });
    }
  });
}

const RUN_HELP = `
The original form: chain-peer <peer-id> <port> <config-file>
  runs peer <peer-id> on 127.0.0.1:<port> with the neighbours of <config-file>
  (first line the number of neighbours, then one "NAME PORT" line each) on the
  comp3221 network unless --network is given.

The prompt (read from stdin, a terminal or a pipe): tx, pb, pool, peers, status, cc, help.

Examples:
  chain-peer                                    a peer on 127.0.0.1:6000, data in ./chain-data/6000 (printed in full at start)
  chain-peer --port 6001 --peer 127.0.0.1:6000  a second peer that joins the first
  chain-peer A 6000 configA.txt                 the original invocation
  chain-peer devnet                             three mining peers, explorer on http://127.0.0.1:6080/
  chain-peer send 127.0.0.1:6000 "hello"        a transaction, signed with your key (made on first use)
  chain-peer --http 8080                        a peer with its explorer on http://127.0.0.1:8080/
  chain-peer status 127.0.0.1:6000              ask a running peer

Exit codes: 0 success, 1 failure (port in use, peer unreachable, rejected),
2 bad usage (flag, argument, or an unreadable or invalid config, network or key file),
3 the data directory is in use by another running peer,
4 the peer does not know the transaction asked about (tx).
`;

/** Make `program` run one peer when it is given no command: the original form's arguments, the flags, the help. */
export function runCommand(program: Command, ctx: CommandContext): Command {
  program
    .argument('[peer-id]', 'original form: the name of this peer')
    .argument('[port]', 'original form: the port to listen on')
    .argument('[config-file]', 'original form: the neighbours file')
    .addOption(
      new Option('--port <n>', `port to listen on; 0 picks a free one and prints it (default: ${DEFAULT_PORT})`).argParser(portArg),
    )
    .addOption(flag.host())
    .option('--peer <host:port>', 'a neighbour to connect to (repeat for more)', collectHostPort)
    .option('--config <file>', 'neighbours from a config file in the original format')
    .addOption(new Option('--data <dir>', 'data directory (default: ./chain-data/<port>; in memory with --port 0)').conflicts('memory'))
    .option('--memory', 'keep the chain in memory only')
    .addOption(flag.network('default: devnet; comp3221 in the original form'))
    .addOption(flag.noMine('do not run the miner'))
    .addOption(flag.workers())
    .addOption(flag.heartbeat())
    .option('--key <file>', 'signing key for tx at the prompt (default: <data>/peer.key, made on first use)')
    .option('--advertise <host:port>', 'the address other peers should use to reach this one', hostPortArg)
    .option('--no-prompt', 'do not read commands from stdin')
    .addOption(flag.http('serve the explorer (a web page and a JSON API) on this port; 0 picks a free one'))
    .addOption(flag.httpHost())
    .addOption(metricsOption())
    .addOption(metricsHostOption());
  flag.addLogging(program);
  return program
    .addHelpText('after', RUN_HELP)
    .action(async (peerId: string | undefined, port: string | undefined, config: string | undefined, flags: RunFlags) => {
      const args = [peerId, port, config].filter((a): a is string => a !== undefined);
      ctx.setExit(await runPeer(args, flags));
    });
}
