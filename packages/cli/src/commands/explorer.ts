import { startExplorer, type Explorer } from '@chain/explorer';
import { ChainMetrics } from '@chain/metrics';
import type { Logger } from '@chain/net';
import type { Peer } from '@chain/peer';

/** Flags of the commands that can serve the explorer. */
export interface ExplorerFlags {
  readonly http?: number;
  readonly httpHost: string;
}

/**
 * Serve the explorer of `peers` when `--http` was given, with their Prometheus metrics at
 * `/metrics` (`metrics` when the caller follows them already, else metrics of the peers made
 * here); undefined otherwise. The caller stops the peers should this throw.
 */
export async function serveExplorer(
  peers: readonly Peer[],
  names: readonly string[],
  flags: ExplorerFlags,
  log: Logger,
  metrics?: ChainMetrics,
): Promise<Explorer | undefined> {
  if (flags.http === undefined) return undefined;
  let explorer: Explorer;
  const usable = names.map((n, i) => (/^[\w.:-]{1,64}$/.test(n) ? n : String.fromCharCode(65 + i)));
  const own = metrics === undefined ? new ChainMetrics() : undefined;
  if (own) peers.forEach((p, i) => own.watch(p, usable[i] as string));
  try {
    explorer = await startExplorer({
      peers,
      names: usable,
      port: flags.http,
      host: flags.httpHost,
      onError: (err) => log.error(`explorer: ${err.message}`),
      metrics: metrics ?? own,
    });
  } catch (err) {
    own?.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new Error(
        `explorer port ${flags.http} on ${flags.httpHost} is already in use; choose another with --http (0 picks a free one)`,
      );
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      throw new Error(`cannot serve the explorer on ${flags.httpHost}: no such address on this machine; choose another with --http-host`);
    if (e.code === 'EACCES')
      throw new Error(`not allowed to serve the explorer on ${flags.httpHost}:${flags.http}; choose a port above 1023 with --http`);
    throw err;
  }
  if (!own) return explorer;
  const close = explorer.close;
  return { ...explorer, close: () => close().finally(() => own.close()) };
}
