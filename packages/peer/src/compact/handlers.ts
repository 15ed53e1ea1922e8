import { shortTxId, type AddBlockResult, type AddBlocksOptions, type ChainState } from '@chain/core';
import type { Logger, RequestContext, TransportServer } from '@chain/net';
import { ProtocolError, type CompactReply } from '@chain/protocol';
import { factsAfterStored } from '../retarget-view';
import type { Source } from '../source';
import { CompactReceiver, type From, type Outcome } from './receiver';
import type { ShortId } from './reconstruct';

/** What the `cb` and `bt` handlers need of the peer. */
export interface CompactHandlerContext {
  readonly chain: ChainState;
  readonly logger: Logger;
  now(): number;
  /** Who an inbound connection is (a neighbour, or a stranger). */
  sourceOf(connectionId: number): Source;
  accept(blocks: readonly unknown[], source: Source, options?: AddBlocksOptions): Promise<AddBlockResult[]>;
  /** A block arrived whose parent this peer does not know: sync from its source. */
  unknownParent(source: Source): void;
  /** A neighbour sent an invalid block. */
  distrust(address: string, why: string): Promise<void>;
  /** The short-id function; core's `shortTxId` unless a test chooses collisions. */
  readonly shortId?: ShortId;
}

/**
 * Register `cb` and `bt` (version 1.2). A verdict on the block has the consequences of the same
 * verdict on an `nb`: an unknown parent starts a sync, an invalid block distrusts the neighbour
 * that sent it or closes a stranger's connection; `future` and `stale` cost nothing.
 */
export function registerCompactHandlers(server: TransportServer, ctx: CompactHandlerContext): CompactReceiver {
  const { chain } = ctx;
  const receiver = new CompactReceiver({
    params: chain.params,
    genesisHash: chain.genesisHash,
    now: () => ctx.now(),
    tipIndex: () => chain.tip.index,
    meta: (hash) => chain.meta(hash),
    retarget: (hash) => factsAfterStored(chain, hash),
    invalidReason: (hash) => chain.invalidReason(hash),
    pool: () => chain.pool.values(),
    accept: (blocks, source, options) => ctx.accept(blocks, source, options),
    shortId: ctx.shortId ?? shortTxId,
  });
  server.on('disconnect', (info) => receiver.closed(info.id));

  const answer = async (rc: RequestContext, run: (from: From) => Promise<Outcome>): Promise<CompactReply> => {
    const from: From = { connectionId: rc.connectionId, source: ctx.sourceOf(rc.connectionId) };
    let outcome: Outcome;
    try {
      outcome = await run(from);
    } catch (err) {
      // A block that could not be made durable (a full disk): named, as for `nb`.
      const message = `could not store the block: ${(err as Error).message}`;
      ctx.logger.error(message);
      throw new ProtocolError('internal', message);
    }
    const r = outcome.reply;
    if (r.status === 'Rejected') {
      if (r.reason === 'unknown-parent') ctx.unknownParent(from.source);
      else if (r.reason !== 'future' && r.reason !== 'stale') {
        if (from.source.kind === 'neighbour')
          void ctx.distrust(from.source.address, `announced invalid compact block: ${r.reason}: ${outcome.message ?? ''}`);
        else server.disconnect(rc.connectionId);
      }
    }
    return r;
  };

  server.handle('cb', async (req, rc) => {
    // The wire's schema holds this already; a transport that hands payloads over unchecked may not.
    if (!Array.isArray(req.short) || req.short.length !== req.header.txCount)
      throw new ProtocolError('malformed', 'short: one short id per transaction of the header');
    return answer(rc, (from) => receiver.compact(req, from));
  });
  server.handle('bt', (req, rc) => answer(rc, (from) => receiver.missing(req, from)));
  return receiver;
}
