import type { AddTxResult, ChainState, Transaction } from '@chain/core';
import type { Logger, TransportServer } from '@chain/net';
import { ProtocolError, type HiReply, type RejectReason, type TbReply } from '@chain/protocol';
import { HB_POOL, takeWithin } from '../handlers';
import type { Inbound } from '../inbound';
import type { Source } from '../source';
import { strangerKey, type AnnouncerRef, type Fetcher } from './fetcher';

/** Room kept in a reply frame for everything but the ids or bodies. */
const FRAME_MARGIN = 4096;

/** What the handlers of announcements and the 1.2 heartbeat need. */
export interface AnnounceHandlerContext {
  /** Read only: the pool, the tip, the network. */
  readonly chain: ChainState;
  readonly maxFrame: number;
  readonly logger: Logger;
  /** Who the inbound connections are. */
  readonly inbound: Pick<Inbound, 'sourceOf' | 'announce'>;
  /** The `host:port` this peer tells others. */
  listenAddress(): string;
  /** Admit a transaction received from the network (the rules, then the journal). */
  admitReceived(tx: unknown, source: Source): Promise<AddTxResult>;
  /** True when the requester is known to have transaction `id`. */
  knows(source: Source, id: string): boolean;
  /** The neighbour at `address` has transaction `id`. */
  note(address: string, id: string): void;
  /** What is being fetched, from whom. */
  readonly fetcher: Pick<Fetcher, 'announced' | 'received'>;
}

/** The announcer behind a connection: the neighbour it is, else the connection itself. */
function announcerOf(source: Source, connectionId: number): AnnouncerRef {
  return source.kind === 'neighbour' ? { key: source.address, address: source.address } : { key: strangerKey(connectionId), address: null };
}

/** Register the handlers of `hi`, `ia`, `tb` and `gt` (docs/spec.md §8). */
export function registerAnnounceHandlers(server: TransportServer, ctx: AnnounceHandlerContext): void {
  const { chain, inbound } = ctx;
  const budget = ctx.maxFrame - FRAME_MARGIN;

  server.handle('hi', async (req, rc): Promise<HiReply> => {
    if (req.genesis !== chain.genesisHash)
      throw new ProtocolError('wrong-network', `this peer is on network ${chain.params.name} with genesis ${chain.genesisHash}`);
    // A candidate at most, and only the first address this connection announces (docs/spec.md §7).
    if (req.listen !== null && req.listen !== ctx.listenAddress()) inbound.announce(rc.connectionId, rc.remote.host, req.listen);
    const source = inbound.sourceOf(rc.connectionId);
    const ids: string[] = [];
    for (const e of chain.pool.values()) {
      if (ids.length >= HB_POOL) break;
      if (!ctx.knows(source, e.id)) ids.push(e.id);
    }
    return { height: chain.height, hash: chain.tip.hash, pool: takeWithin(ids, budget) };
  });

  server.handle('ia', async (req, rc) => {
    const from = announcerOf(inbound.sourceOf(rc.connectionId), rc.connectionId);
    return { want: ctx.fetcher.announced(from, req.ids) };
  });

  server.handle('tb', async (req, rc): Promise<TbReply> => {
    const source = inbound.sourceOf(rc.connectionId);
    const { key } = announcerOf(source, rc.connectionId);
    // Together: the journal commits them with one sync; the reply waits until they are durable.
    const results = await Promise.allSettled(req.txs.map((tx) => ctx.admitReceived(tx, source)));
    let accepted = 0;
    const rejected: { index: number; reason: RejectReason }[] = [];
    let failure: Error | null = null;
    for (const [index, r] of results.entries()) {
      if (r.status === 'rejected') {
        failure ??= r.reason as Error;
        continue;
      }
      const v = r.value;
      if (v.id !== undefined) ctx.fetcher.received(key, v.id, v);
      if (v.ok) accepted++;
      else rejected.push({ index, reason: v.reason });
    }
    if (failure !== null) {
      const message = `could not store the transactions: ${failure.message}`;
      ctx.logger.error(message);
      throw new ProtocolError('internal', message);
    }
    return { accepted, rejected };
  });

  server.handle('gt', async (req, rc) => {
    const found: { id: string; tx: Transaction }[] = [];
    for (const id of req.ids) {
      const e = chain.pool.get(id);
      if (e) found.push({ id, tx: e.tx });
    }
    const txs = takeWithin(
      found.map((f) => f.tx),
      budget,
    );
    // The requester takes them (or refuses them): they are not announced to it again.
    const source = inbound.sourceOf(rc.connectionId);
    if (source.kind === 'neighbour') for (let i = 0; i < txs.length; i++) ctx.note(source.address, (found[i] as { id: string }).id);
    return { txs };
  });
}
