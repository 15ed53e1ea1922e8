import { join } from 'node:path';
import type { ChainMetrics } from '@chain/metrics';
import { observedTcpTransport, type Logger } from '@chain/net';
import { Peer } from '@chain/peer';
import { loadNetwork } from '../network';
import { attachPeerLogging } from './peer-logging';

/** What the devnet's peers are started from. */
export interface DevnetPeerFlags {
  readonly peers: number;
  readonly basePort: number;
  readonly host: string;
  readonly network: string;
  readonly data?: string;
  readonly mine: boolean;
  readonly heartbeat?: number;
}

/** The name of the devnet's `i`th peer: A, B, C, … */
export function nameOf(i: number): string {
  return String.fromCharCode(65 + i);
}

/** Where the `i`th peer keeps its data: `<data>/<port>`, or `<data>/<i + 1>` when its port is picked afresh each run. */
export function dataDirOf(flags: DevnetPeerFlags, i: number): string | null {
  if (!flags.data) return null;
  return join(flags.data, String(flags.basePort === 0 ? i + 1 : flags.basePort + i));
}

/** A peer that could not take its port: name `--base-port`, the devnet's flag, not `--port`. */
function portTaken(err: unknown, flags: DevnetPeerFlags): Error | undefined {
  const m = /^port (\d+) on (\S+) is already in use/.exec((err as Error)?.message ?? '');
  if (!m) return undefined;
  const last = flags.basePort + flags.peers - 1;
  const range = flags.peers === 1 ? `port ${flags.basePort}` : `ports ${flags.basePort}-${last}`;
  return new Error(
    `port ${m[1]} on ${m[2]} is already in use; choose another first port with --base-port (the peers take ${range}; 0 picks free ones)`,
  );
}

/**
 * Start the devnet's peers, each knowing the others (or, with base port 0, the ones before it);
 * with `metrics`, each on a transport that counts its frames there and watched under its name.
 */
export async function startPeers(
  flags: DevnetPeerFlags,
  log: Logger & { child(name: string): Logger },
  workers: number,
  metrics?: ChainMetrics,
): Promise<{ peers: Peer[]; detach: (() => void)[] }> {
  const network = loadNetwork(flags.network);
  const peers: Peer[] = [];
  const detach: (() => void)[] = [];
  try {
    for (let i = 0; i < flags.peers; i++) {
      const port = flags.basePort === 0 ? 0 : flags.basePort + i;
      const neighbours =
        flags.basePort === 0
          ? peers.map((p) => `${p.address.host}:${p.address.port}`)
          : Array.from({ length: flags.peers }, (_, j) => `${flags.host}:${flags.basePort + j}`).filter((_, j) => j !== i);
      const peerLog = log.child(nameOf(i));
      const peer = await Peer.start({
        // Frames are counted from the first connection, or the traffic metrics would miss the joining.
        transport: metrics && observedTcpTransport(metrics.frames(nameOf(i))),
        network,
        host: flags.host,
        port,
        dataDir: dataDirOf(flags, i),
        neighbours,
        mine: flags.mine,
        workers,
        heartbeatMs: flags.heartbeat,
        logger: peerLog,
      }).catch((err: unknown) => {
        throw portTaken(err, flags) ?? err;
      });
      peers.push(peer);
      detach.push(attachPeerLogging(peer, peerLog));
      if (metrics) detach.push(metrics.watch(peer, nameOf(i)));
    }
  } catch (err) {
    await Promise.allSettled(peers.map((p) => p.stop()));
    throw err;
  }
  return { peers, detach };
}
