import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Explorer } from '@chain/explorer';
import { ChainMetrics, type MetricsServer } from '@chain/metrics';
import type { Logger } from '@chain/net';
import type { Peer } from '@chain/peer';
import { explorerPort, guideLines, reachableAddress } from '../devnet/guide';
import { DevnetDisplay, type DisplayMode } from '../devnet/display';
import { eventOfLogLine } from '../devnet/frame';
import { defaultLogPath, LogFile } from '../devnet/log-file';
import { PeerMeters } from '../devnet/peer-meters';
import { MAX_TRAFFIC, TrafficGenerator } from '../devnet/traffic';
import { EXIT } from '../errors';
import { createLogger } from '../logger';
import { intArg, numberArg, portArg } from '../parse';
import type { CommandContext } from './context';
import { dataDirOf, nameOf, startPeers, type DevnetPeerFlags } from './devnet-peers';
import type { LogFlags } from './peer-logging';
import { serveExplorer, type ExplorerFlags } from './explorer';
import { metricsHostOption, metricsOption, metricsPort, serveScrapes, type MetricsFlags } from './metrics';
import * as flag from './options';

export interface DevnetFlags extends LogFlags, Omit<ExplorerFlags, 'http'>, MetricsFlags, DevnetPeerFlags {
  readonly workers?: number;
  /** How often the status is drawn (ms); undefined: LIVE_INTERVAL_MS redrawn in place, PLAIN_INTERVAL_MS printed. */
  readonly interval?: number;
  /** `auto`: redrawn in place at a terminal whose logs go to the file, printed in full otherwise. */
  readonly display: DisplayMode | 'auto';
  /** Where the logs go unless --verbose or --json-logs (default: a new file in the temporary directory). */
  readonly logFile?: string;
  /** The explorer's port; false with --no-http; undefined: the base port + 80. */
  readonly http?: number | false;
  /** Test transactions a second; 0 for none. */
  readonly traffic: number;
}

/** The default of `--traffic`: enough that blocks keep coming, few enough to read them. */
const DEFAULT_TRAFFIC = 2;
/** Redraws in place cost nothing to read; a pipe or a log gets a table every few seconds. */
const LIVE_INTERVAL_MS = 500;
const PLAIN_INTERVAL_MS = 5000;

/** The explorer on the planned port; a default port that is taken gives way to a free one. */
async function startExplorer(
  peers: Peer[],
  flags: DevnetFlags,
  log: Logger,
  metrics: ChainMetrics | undefined,
): Promise<{ explorer: Explorer | undefined; moved: number | undefined }> {
  const plan = explorerPort(flags.http, flags.basePort);
  if (!plan) return { explorer: undefined, moved: undefined };
  const names = peers.map((_, i) => nameOf(i));
  const serve = (port: number) => serveExplorer(peers, names, { http: port, httpHost: flags.httpHost }, log, metrics);
  try {
    return { explorer: await serve(plan.port), moved: undefined };
  } catch (err) {
    if (!plan.fallback || !/already in use/.test((err as Error).message)) throw err;
    return { explorer: await serve(0), moved: plan.port };
  }
}

/** The explorer, then the metrics port of `--metrics`; the explorer is closed should the metrics fail. */
async function serveAll(
  peers: Peer[],
  flags: DevnetFlags,
  log: Logger,
  metrics: ChainMetrics | undefined,
  scrapePort: number | undefined,
): Promise<{ explorer: Explorer | undefined; moved: number | undefined; scrapes: MetricsServer | undefined }> {
  const { explorer, moved } = await startExplorer(peers, flags, log, metrics);
  if (scrapePort === undefined || !metrics) return { explorer, moved, scrapes: undefined };
  const scrapes = await serveScrapes(metrics, scrapePort, flags.metricsHost).catch(async (err) => {
    await explorer?.close();
    throw err;
  });
  return { explorer, moved, scrapes };
}

/** Where the logs go and how the status is shown, from the flags and whether stdout is a terminal. */
function outputPlan(flags: DevnetFlags, tty: boolean): { toTerminal: boolean; mode: DisplayMode } {
  // --json-logs keeps its stderr stream for whatever collects it; --verbose shows everything here.
  const toTerminal = flags.verbose === true || flags.jsonLogs === true;
  const mode: DisplayMode = flags.display === 'auto' ? (tty && !toTerminal ? 'live' : 'plain') : flags.display;
  return { toTerminal, mode };
}

/**
 * `devnet`: several interconnected peers in this process, the explorer for all
 * of them, test traffic so that blocks keep coming, and one status table: at a
 * terminal redrawn in place, with the peers' logs in a file; through a pipe
 * printed every few seconds. With `--base-port 0` every peer takes a free port
 * and knows the ones started before it (one known address is enough to join).
 */
export async function devnet(flags: DevnetFlags): Promise<number> {
  const out = process.stdout;
  const scrapePort = flags.metrics === undefined ? undefined : metricsPort(flags.metrics, flags.basePort);
  const plan = outputPlan(flags, out.isTTY === true);
  const file = plan.toTerminal ? undefined : new LogFile(flags.logFile ?? defaultLogPath());
  let lastEvent: string | undefined;
  const log = createLogger({
    level: flags.verbose ? 'debug' : flags.quiet ? 'warn' : 'info',
    json: flags.jsonLogs === true,
    write: (line) => {
      lastEvent = eventOfLogLine(line);
      if (file) file.write(line);
      else process.stderr.write(line);
    },
  });
  const workers = flags.workers ?? Math.max(1, Math.floor(availableParallelism() / flags.peers));
  // One registry for every peer, made before they start so that their first frames are counted.
  const explorerPlanned = explorerPort(flags.http, flags.basePort) !== null;
  const metrics = explorerPlanned || scrapePort !== undefined ? new ChainMetrics() : undefined;
  const { peers, detach } = await startPeers(flags, log, workers, metrics).catch((err) => {
    file?.close();
    throw err;
  });
  const network = peers[0]!.network;
  const { explorer, moved, scrapes } = await serveAll(peers, flags, log, metrics, scrapePort).catch(async (err) => {
    await Promise.allSettled(peers.map((p) => p.stop()));
    file?.close();
    throw err;
  });
  const meters = peers.map((p) => new PeerMeters(p));
  detach.push(...meters.map((m) => () => m.stop()));
  const traffic =
    flags.traffic > 0
      ? new TrafficGenerator({
          targets: peers,
          txFormat: network.txFormat,
          genesisHash: peers[0]!.chain.genesisHash,
          rate: flags.traffic,
          onError: (err) => log.warn(`traffic: ${err.message}`),
        })
      : undefined;

  const names = peers.map((_, i) => nameOf(i));
  const first = reachableAddress(peers[0]!.address);
  const header = [
    `devnet: ${peers.length} peer${peers.length === 1 ? '' : 's'} on network ${network.name} (${flags.mine ? `mining, ${workers} worker${workers === 1 ? '' : 's'} each` : 'not mining'}): ` +
      `${peers.map((p, i) => `${nameOf(i)} ${p.address.host}:${p.address.port}`).join(', ')}`,
    file ? `logs in ${file.path} (--verbose shows them here instead)` : `logs on stderr`,
    ...(flags.data ? [`data in ${peers.map((_, i) => `${nameOf(i)} ${resolve(dataDirOf(flags, i)!)}`).join(', ')}`] : []),
    ...(scrapes ? [`metrics on ${scrapes.url}`] : []),
    ...guideLines({ network, mining: flags.mine, names, explorerUrl: explorer?.url, explorerMoved: moved, traffic: flags.traffic, first }),
  ];
  const display = new DevnetDisplay({
    mode: plan.mode,
    out,
    intervalMs: flags.interval ?? (plan.mode === 'live' ? LIVE_INTERVAL_MS : PLAIN_INTERVAL_MS),
    header,
    state: () => ({
      rows: peers.map((p, i) => ({ name: nameOf(i), status: p.status(), confirmed: meters[i]!.confirmed.perSecond() })),
      traffic,
      lastEvent,
    }),
  });
  traffic?.start();
  display.start();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      traffic?.stop();
      display.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.info(`stopping ${peers.length} peers (${signal})`);
      detach.forEach((d) => d()); // the peers stop together: their neighbours going away is no news
      void Promise.all([explorer?.close(), scrapes?.close()])
        .then(() => Promise.allSettled(peers.map((p) => p.stop())))
        .then((results) => {
          const failed = results.filter((r) => r.status === 'rejected');
          for (const r of failed) log.error(`stopping a peer failed: ${(r as PromiseRejectedResult).reason}`);
          metrics?.close();
          file?.close();
          out.write('devnet stopped\n');
          resolve(failed.length === 0 ? EXIT.ok : EXIT.failure);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

const DEVNET_HELP = `
The explorer serves every peer on the base port + 80 (http://127.0.0.1:6080/ by
default; a free port if that one is taken, and with --base-port 0). The first
lines printed say where it is and give a send command ready to paste.

At a terminal the status table is redrawn in place and the peers' logs go to
the file the second line names; through a pipe the table is printed every 5 s.
--verbose puts the logs on the terminal instead.

Examples:
  chain-peer devnet                              three peers, the explorer, 2 tx/s of traffic
  chain-peer devnet --traffic 50                 busier blocks
  chain-peer devnet --traffic 0 --no-http        quiet: blocks only for what you send
  chain-peer devnet --peers 5 --base-port 7000   explorer on http://127.0.0.1:7080/
  chain-peer devnet --network comp3221           the original rules (classic transactions)
  chain-peer devnet --network retarget           a block a second whatever the machine (difficulty retargets)
  chain-peer devnet | tee devnet.txt             the table every 5 s, as plain text
  chain-peer devnet --verbose                    every log line on the terminal
  chain-peer devnet --metrics                    Prometheus metrics on http://127.0.0.1:7000/metrics
`;

/** `--traffic`: transactions a second, 0 (none) to MAX_TRAFFIC, fractions allowed. */
const trafficArg = numberArg(
  '--traffic',
  0,
  MAX_TRAFFIC,
  `--traffic must be a number of transactions a second from 0 (none) to ${MAX_TRAFFIC}, e.g. 2 or 0.5`,
);

export function devnetCommand(ctx: CommandContext): Command {
  const command = new Command('devnet')
    .description(
      "run a local network of mining peers with the explorer, test traffic and one live status table (the peers' logs in a file); Ctrl-C stops them all",
    )
    .option('--peers <n>', 'number of peers', intArg('--peers', 1, 26), 3)
    .option('--base-port <n>', 'port of the first peer, the others follow; 0 picks free ports', portArg, 6000)
    .addOption(flag.host())
    .addOption(flag.network().default('devnet'))
    .option('--data <dir>', "keep each peer's data in <dir>/<port> (<dir>/1, <dir>/2, … with --base-port 0; default: in memory)")
    .addOption(flag.noMine('do not run miners'))
    .addOption(flag.workers('miner worker threads per peer (default: cores / peers)'))
    .addOption(flag.heartbeat())
    .option(
      '--interval <ms>',
      `how often the status table is drawn (default: ${LIVE_INTERVAL_MS} at a terminal, ${PLAIN_INTERVAL_MS} through a pipe)`,
      intArg('--interval', 50, 60_000),
    )
    .addOption(
      new Option('--display <mode>', 'live: one table redrawn in place; plain: the table printed every interval, no escape codes')
        .choices(['auto', 'live', 'plain'])
        .default('auto'),
    )
    .option('--log-file <file>', "where the peers' logs go (default: a new file in the temporary directory; --verbose: the terminal)")
    .addOption(
      flag.http(
        "the explorer's port (one web page and JSON API for every peer); 0 picks a free one (default: base port + 80, or a free one if that is taken)",
      ),
    )
    .option('--no-http', 'do not serve the explorer')
    .addOption(flag.httpHost())
    .addOption(metricsOption('the base port', '--base-port'))
    .addOption(metricsHostOption())
    .addOption(
      new Option(
        '--traffic <tx/s>',
        `test transactions a second, signed by the devnet's own keys and spread over the peers, so that blocks keep coming; 0 turns it off (at most ${MAX_TRAFFIC})`,
      )
        .argParser(trafficArg)
        .default(DEFAULT_TRAFFIC),
    );
  flag.addLogging(command);
  return command.addHelpText('after', DEVNET_HELP).action(async (flags: DevnetFlags) => ctx.setExit(await devnet(flags)));
}
