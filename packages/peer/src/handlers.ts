import type { Block, Transaction } from '@chain/core';
import { ProtocolError, type HbReply, type PbReply } from '@chain/protocol';
import type { Server } from '@chain/net';
import type { Peer, Source } from './peer';
import type { Synchronizer } from './sync';
import { HB_POOL, SYNC_BATCH } from './sync';
import { plausibleClaim } from './address-book';

/** Room kept in a reply frame for everything but the blocks and transactions. */
const FRAME_MARGIN = 4096;

/** Take items in order while their JSON fits in `budget` bytes. */
export function takeWithin<T>(items: readonly T[], budget: number): T[] {
  const out: T[] = [];
  let used = 0;
  for (const item of items) {
    used += Buffer.byteLength(JSON.stringify(item)) + 1;
    if (used > budget) break;
    out.push(item);
  }
  return out;
}

/** Register a handler for every opcode the peer answers (`cc` is the server's own). */
export function registerHandlers(
  peer: Peer,
  server: Server,
  sync: Synchronizer,
): { disconnect(address: string): void; canEvict(connectionId: number): boolean } {
  const chain = peer.chain;
  const maxFrame = peer.options.maxFrame;
  /**
   * Inbound connections that said, in their first `hb` with a listen address, which peer they
   * are, when that is believable (a listen address naming an IP only from that IP).
   */
  const knownConnections = new Map<number, string>();
  server.on('disconnect', (info) => {
    knownConnections.delete(info.id);
    peer.neighbours.release(info.id);
  });
  const sourceOf = (connectionId: number): Source => {
    const address = knownConnections.get(connectionId);
    return address ? { kind: 'neighbour', address } : { kind: 'remote' };
  };

  /**
   * Run a step that makes something durable. When storage fails (a full disk, say) the
   * request is answered `er internal` with a message naming the file, and the failure is logged.
   */
  const stored = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const message = `could not store ${what}: ${(err as Error).message}`;
      peer.options.logger.error(message);
      throw new ProtocolError('internal', message);
    }
  };

  server.handle('tx', async (tx, ctx) => {
    const r = await stored('the transaction', () => peer.submitTransaction(tx, sourceOf(ctx.connectionId)));
    return r.ok ? { status: 'Accepted', id: r.id } : { status: 'Rejected', reason: r.reason, message: r.message };
  });

  server.handle('pb', async (req): Promise<PbReply> => {
    const from = req?.from ?? 1;
    const limit = Math.min(req?.limit ?? Number.MAX_SAFE_INTEGER, chain.height);
    const blocks: Block[] = [];
    let used = 0;
    for (let h = Math.max(1, from); h <= chain.height && blocks.length < limit; h++) {
      const b = (await chain.blockAt(h)) as Block;
      used += Buffer.byteLength(JSON.stringify(b)) + 1;
      if (used > maxFrame - FRAME_MARGIN) break;
      blocks.push(b);
    }
    return { height: chain.height, blocks };
  });

  server.handle('gp', (req, ctx) => peer.work.poll(req?.known ?? null, req?.wait ?? 0, ctx.signal));

  server.handle('up', async (req) => {
    const r = await stored('the block', () => peer.work.submit(req.proof, req.templateHash));
    return r.status === 'Reward' ? { status: 'Reward', block: r.block } : { status: 'No reward', reason: r.reason };
  });

  server.handle('hb', async (req, ctx): Promise<HbReply> => {
    if (req.genesis !== chain.genesisHash) {
      throw new ProtocolError('wrong-network', `this peer is on network ${peer.network.name} with genesis ${chain.genesisHash}`);
    }
    if (req.listen !== null && req.listen !== peer.listenAddress) {
      // A candidate at most, and only the first address this connection announces (SPEC §7).
      const outcome = peer.neighbours.learn(ctx.connectionId, ctx.remote.host, req.listen);
      if (outcome !== 'ignored' && outcome !== 'invalid' && !knownConnections.has(ctx.connectionId) && plausibleClaim(req.listen, ctx.remote.host)) {
        knownConnections.set(ctx.connectionId, req.listen);
      }
    }
    const fork = chain.findFork(req.locator);
    if (fork === null) throw new ProtocolError('wrong-network', 'no locator hash is on this chain, not even the genesis');
    const candidates = await chain.blocksFrom(fork + 1, SYNC_BATCH);
    const blocks = takeWithin(candidates, (maxFrame - FRAME_MARGIN) / 2);
    const pool: Transaction[] = takeWithin(chain.pool.list(HB_POOL).map((e) => e.tx), (maxFrame - FRAME_MARGIN) / 2);
    return { height: chain.height, hash: chain.tip.hash, blocks, pool };
  });

  server.handle('nb', async (req, ctx) => {
    const source = sourceOf(ctx.connectionId);
    const r = await stored('the block', () => peer.acceptBlock(req.block, source));
    if (r.ok) return { status: 'Accepted' };
    if (r.reason === 'unknown-parent') {
      const n = source.kind === 'neighbour' ? peer.neighbours.get(source.address) : undefined;
      if (n) void sync.syncFrom(n);
      else sync.syncAll();
    } else if (r.reason !== 'future') {
      if (source.kind === 'neighbour') void peer.distrust(source.address, `announced invalid block: ${r.reason}: ${r.message}`);
      else server.disconnect(ctx.connectionId);
    }
    return { status: 'Rejected', reason: r.reason };
  });

  return {
    /** Close every inbound connection that said it is `address`. */
    disconnect(address: string): void {
      for (const [id, a] of knownConnections) if (a === address) server.disconnect(id);
    },
    /** Whether an inbound connection may give way to a newcomer: not when it is a neighbour's. */
    canEvict(connectionId: number): boolean {
      const address = knownConnections.get(connectionId);
      return address === undefined || !peer.neighbours.book.isNeighbour(address);
    },
  };
}
