import type { Logger } from '@chain/net';
import type { Peer, PeerEvents } from '@chain/peer';
import { short } from '../format';
import { createLogger, type LogLevel } from '../logger';

/** Flags every command that runs peers shares. */
export interface LogFlags {
  readonly jsonLogs?: boolean;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
}

/** The logger the flags ask for; `quietByDefault` makes `warn` the default level (a live display owns the terminal). */
export function loggerFromFlags(flags: LogFlags, name?: string, quietByDefault = false) {
  const level: LogLevel = flags.verbose ? 'debug' : flags.quiet || quietByDefault ? 'warn' : 'info';
  return createLogger({ level, json: flags.jsonLogs === true, name });
}

/** Blocks older than this are history arriving by sync: progress lines cover them. */
const FRESH_MS = 120_000;
const PROGRESS_EVERY_MS = 1_000;

/** Log a peer's events (blocks, reorgs, neighbours, sync progress); returns a function that stops it. */
export function attachPeerLogging(peer: Peer, log: Logger): () => void {
  const lastProgress = new Map<string, number>();
  const down = new Set<string>();
  let stopping = false;
  const handlers: { [K in keyof PeerEvents]?: (...args: PeerEvents[K]) => void } = {
    block: ({ block, status, source }) => {
      const from =
        source.kind === 'neighbour' ? `from ${source.address}` : source.kind === 'local' ? 'mined for this peer' : 'from a client';
      const fields = { hash: block.currentHash, transactions: block.transactions.length };
      const text = `block ${block.index} ${short(block.currentHash)} ${status === 'side' ? 'on a side branch' : status === 'reorg' ? 'is the new tip after a reorganisation' : 'is the new tip'} (${from})`;
      if (peer.now() - block.timestamp > FRESH_MS) log.debug(fields, text);
      else log.info(fields, text);
    },
    reorg: ({ connected, disconnected, returnedToPool }) => {
      log.info(
        `reorganisation: ${disconnected.length} block(s) replaced by ${connected.length}, ${returnedToPool.length} transaction(s) back in the pool`,
      );
    },
    tx: ({ id, source }) => {
      log.debug(`transaction ${short(id)} in the pool (${source.kind === 'neighbour' ? `from ${source.address}` : source.kind})`);
    },
    peer: ({ address, state }) => {
      if (stopping) return; // neighbours going away while this peer (or its devnet) stops are no news
      if (state === 'ready') {
        down.delete(address);
        log.info(`neighbour ${address} is connected`);
      } else if (state === 'distrusted') {
        log.info(`neighbour ${address} is distrusted`);
      } else if (state === 'backoff' && !down.has(address)) {
        // Once per outage: start order never matters, the connection is retried with backoff.
        down.add(address);
        log.info(`neighbour ${address} is not reachable; retrying`);
      } else log.debug(`neighbour ${address}: ${state}`);
    },
    stopping: () => {
      stopping = true;
    },
    'sync-progress': ({ neighbour, height, target, received }) => {
      const now = Date.now();
      const done = height >= target;
      if (!done && now - (lastProgress.get(neighbour) ?? 0) < PROGRESS_EVERY_MS) return;
      lastProgress.set(neighbour, now);
      const pct = target > 0 ? Math.floor((100 * height) / target) : 100;
      log.info(
        { received },
        done ? `synced from ${neighbour}: height ${height}` : `syncing from ${neighbour}: height ${height} of ${target} (${pct}%)`,
      );
    },
  };
  for (const [event, fn] of Object.entries(handlers)) peer.on(event as keyof PeerEvents, fn as never);
  return () => {
    for (const [event, fn] of Object.entries(handlers)) peer.off(event as keyof PeerEvents, fn as never);
  };
}
