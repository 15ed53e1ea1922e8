import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Peer } from '@chain/peer';
import { EXIT } from '../errors';
import { formatStatusLine } from '../format';
import { loadNetwork } from '../network';
import { attachPeerLogging, loggerFromFlags, type LogFlags } from './peer-logging';
import { serveExplorer, type ExplorerFlags } from './explorer';

export interface DevnetFlags extends LogFlags, ExplorerFlags {
  readonly peers: number;
  readonly basePort: number;
  readonly host: string;
  readonly network: string;
  readonly data?: string;
  readonly mine: boolean;
  readonly workers?: number;
  readonly heartbeat?: number;
  readonly interval: number;
}

function nameOf(i: number): string {
  return String.fromCharCode(65 + i);
}

/**
 * `devnet`: several interconnected peers in this process, with a live status
 * line per peer. With `--base-port 0` every peer takes a free port and knows
 * the ones started before it (one known address is enough to join).
 */
export async function devnet(flags: DevnetFlags): Promise<number> {
  const network = loadNetwork(flags.network);
  // At a terminal the status lines are redrawn in place: logs would tear them, so only warnings show unless --verbose.
  const log = loggerFromFlags(flags, undefined, process.stdout.isTTY === true && process.stderr.isTTY === true && !flags.jsonLogs);
  const workers = flags.workers ?? Math.max(1, Math.floor(availableParallelism() / flags.peers));
  const peers: Peer[] = [];
  const detach: (() => void)[] = [];
  const stopAll = () => Promise.allSettled(peers.map((p) => p.stop()));
  try {
    for (let i = 0; i < flags.peers; i++) {
      const port = flags.basePort === 0 ? 0 : flags.basePort + i;
      const neighbours =
        flags.basePort === 0
          ? peers.map((p) => `${p.address.host}:${p.address.port}`)
          : Array.from({ length: flags.peers }, (_, j) => `${flags.host}:${flags.basePort + j}`).filter((_, j) => j !== i);
      const peerLog = log.child(nameOf(i));
      const peer = await Peer.start({
        network,
        host: flags.host,
        port,
        dataDir: flags.data ? join(flags.data, String(port || i + 1)) : null,
        neighbours,
        mine: flags.mine,
        workers,
        heartbeatMs: flags.heartbeat,
        logger: peerLog,
      });
      peers.push(peer);
      detach.push(attachPeerLogging(peer, peerLog));
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  const explorer = await serveExplorer(peers, peers.map((_, i) => nameOf(i)), flags, log).catch(async (err) => {
    await stopAll();
    throw err;
  });

  const out = process.stdout;
  const tty = out.isTTY === true;
  out.write(
    `devnet: ${peers.length} peer${peers.length === 1 ? '' : 's'} on network ${network.name} (${flags.mine ? `mining, ${workers} worker${workers === 1 ? '' : 's'} each` : 'not mining'}): ` +
      `${peers.map((p, i) => `${nameOf(i)} ${p.address.host}:${p.address.port}`).join(', ')}\n` +
      `${explorer ? `explorer on ${explorer.url} (every peer: ?peer=${peers.map((_, i) => nameOf(i)).join('|')} in the API, a selector on the page)\n` : ''}press Ctrl-C to stop\n`,
  );
  const last: string[] = [];
  let drawn = false;
  const draw = () => {
    const lines = peers.map((p, i) => formatStatusLine(nameOf(i), p.status()));
    if (tty) {
      out.write(`${drawn ? `\x1b[${lines.length}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
      drawn = true;
    } else {
      // A pipe gets a line when a peer's line changes, so that logs stay short.
      lines.forEach((line, i) => {
        if (last[i] !== line) out.write(`${line}\n`);
      });
    }
    lines.forEach((l, i) => (last[i] = l));
  };
  draw();
  const timer = setInterval(draw, flags.interval);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (tty) out.write('\n');
      log.info(`stopping ${peers.length} peers (${signal})`);
      detach.forEach((d) => d()); // the peers stop together: their neighbours going away is no news
      void Promise.resolve(explorer?.close()).then(stopAll).then((results) => {
        const failed = results.filter((r) => r.status === 'rejected');
        for (const r of failed) log.error(`stopping a peer failed: ${(r as PromiseRejectedResult).reason}`);
        out.write('devnet stopped\n');
        resolve(failed.length === 0 ? EXIT.ok : EXIT.failure);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
