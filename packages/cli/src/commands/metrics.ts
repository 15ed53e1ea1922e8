import { Option } from 'commander';
import { ChainMetrics, serveMetrics, type MetricsServer } from '@chain/metrics';
import { observedTcpTransport, type Transport } from '@chain/net';
import type { Peer } from '@chain/peer';
import { UsageError } from '../errors';
import { portArg } from '../parse';

/** `--metrics` alone serves on the peer's port plus this: each peer of a machine gets its own without being told, as its data directory does. */
export const METRICS_PORT_OFFSET = 1000;

/** Flags of the commands that can serve Prometheus metrics. */
export interface MetricsFlags {
  /** A port, or `true` for `--metrics` alone. */
  readonly metrics?: number | true;
  readonly metricsHost: string;
}

/** `--metrics [port]`; `from` is the port the default is counted from and the flag that sets it. */
export function metricsOption(from = "the peer's port", flag = '--port'): Option {
  return new Option(
    '--metrics [port]',
    `serve Prometheus metrics at http://<metrics-host>:<port>/metrics; without a port, ${from} + ${METRICS_PORT_OFFSET} (a free one with ${flag} 0); 0 picks a free one`,
  ).argParser(portArg);
}

/** `--metrics-host`: loopback unless asked, like the explorer. */
export function metricsHostOption(): Option {
  return new Option('--metrics-host <host>', 'address the metrics listen on').default('127.0.0.1');
}

/** The port `--metrics` asks for, given the port the peer was asked to listen on. */
export function metricsPort(flag: number | true, peerPort: number): number {
  if (flag !== true) return flag;
  if (peerPort === 0) return 0;
  const port = peerPort + METRICS_PORT_OFFSET;
  if (port > 65535)
    throw new UsageError(
      `--metrics without a port would use ${peerPort} + ${METRICS_PORT_OFFSET} = ${port}, which is no port; give one: --metrics <port>`,
    );
  return port;
}

/** A name the metrics accept as the `peer` label: the peer's own, or A. */
export function metricsName(name: string | undefined): string {
  return name !== undefined && /^[\w.:-]{1,64}$/.test(name) ? name : 'A';
}

/** The metrics of one peer run from the command line: the transport to start it on, then its scrapes. */
export class PeerMetrics {
  readonly metrics = new ChainMetrics();
  readonly transport: Transport;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
    this.transport = observedTcpTransport(this.metrics.frames(name));
  }

  /** Follow the started peer; serve at `port` on `host` when a port is given. */
  async start(peer: Peer, port: number | undefined, host: string): Promise<MetricsServer | undefined> {
    this.metrics.watch(peer, this.#name);
    return port === undefined ? undefined : serveScrapes(this.metrics, port, host);
  }

  close(): void {
    this.metrics.close();
  }
}

/** Serve `metrics` at `http://host:port/metrics`; a port or host that cannot be used names the flag to change. */
export async function serveScrapes(metrics: ChainMetrics, port: number, host: string): Promise<MetricsServer> {
  try {
    return await serveMetrics({ metrics, port, host });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new Error(`metrics port ${port} on ${host} is already in use; choose another with --metrics <port> (0 picks a free one)`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      throw new Error(`cannot serve metrics on ${host}: no such address on this machine; choose another with --metrics-host`);
    if (e.code === 'EACCES') throw new Error(`not allowed to serve metrics on ${host}:${port}; choose a port above 1023 with --metrics`);
    throw err;
  }
}
