import { DEFAULT_LIMITS, ProtocolError, type GpReply, type HbReply, type PbReply } from '@chain/protocol';
import type { AddBlockResult, AddBlocksOptions, AddTxResult, Block, ChainState, Transaction } from '@chain/core';
import type { Logger, TransportServer } from '@chain/net';
import type { Inbound } from './inbound';
import { FRAME_MARGIN, ReplyRoom, jsonBytes, type BlocksWithin } from './reply-room';
import type { UploadBudget } from './upload-budget';
import type { Source } from './source';
import type { SubmitResult } from './work';

/** Blocks per `hb` reply at most (docs/spec.md §5). */
export const SYNC_BATCH = DEFAULT_LIMITS.maxHbBlocks;
/** Pool transactions per `hb` reply at most (docs/spec.md §5). */
export const HB_POOL = DEFAULT_LIMITS.maxHbPool;

/** Take items in order while their JSON (and a separator each) fits in `budget` bytes. */
export function takeWithin<T>(items: Iterable<T>, budget: number): T[] {
  const room = new ReplyRoom(budget);
  const out: T[] = [];
  for (const item of items) {
    if (!room.take(jsonBytes(item))) break;
    out.push(item);
  }
  return out;
}

/**
 * Best-chain blocks from height `from`, `limit` at most, while their JSON fits in `room` bytes:
 * read one at a time, so that a request makes this peer read what it sends and one block more,
 * never a whole batch. Stops where the chain changed under the reads (a reorg).
 */
export async function blocksWithin(chain: ChainState, from: number, limit: number, room: number): Promise<BlocksWithin> {
  const blocks: Block[] = [];
  const space = new ReplyRoom(room);
  for (let h = Math.max(1, from); h <= chain.height && blocks.length < limit; h++) {
    const b = await chain.blockAt(h);
    if (!b) throw new Error(`block store is missing the best-chain block at height ${h}`);
    const before = blocks[blocks.length - 1];
    if (before && b.previousHash !== before.currentHash) break;
    if (!space.take(jsonBytes(b))) break;
    blocks.push(b);
  }
  return { blocks, bytes: space.bytes };
}

/** What the handlers need: nothing of the peer but this. */
export interface HandlerContext {
  readonly chain: ChainState;
  readonly maxFrame: number;
  readonly logger: Logger;
  /** Who the inbound connections are. */
  readonly inbound: Inbound;
  /** Bytes of blocks each connection may still be sent. */
  readonly upload: UploadBudget;
  /** The `host:port` this peer tells others in `hb`. */
  listenAddress(): string;
  /** Admit a transaction received by `tx` (a burst's signatures checked on every core first). */
  admitReceived(tx: unknown, source: Source): Promise<AddTxResult>;
  accept(blocks: readonly unknown[], source: Source, options?: AddBlocksOptions): Promise<AddBlockResult[]>;
  /** `gp` (a long poll) and `up`. */
  poll(known: string | null, waitMs: number, signal: AbortSignal): Promise<GpReply>;
  submit(proof: number, templateHash: string): Promise<SubmitResult>;
  /** A block arrived whose parent this peer does not know: sync from its source. */
  unknownParent(source: Source): void;
  /** A neighbour sent an invalid block. */
  distrust(address: string, why: string): Promise<void>;
  /** True when the requester is known to have transaction `id` (it is then left out of an `hb` reply's pool). */
  knows(source: Source, id: string): boolean;
}

/** Register a handler for every opcode the peer answers (`cc` is the server's own). */
export function registerHandlers(server: TransportServer, ctx: HandlerContext): void {
  const { chain, maxFrame, inbound, upload } = ctx;
  const budget = maxFrame - FRAME_MARGIN;
  server.on('disconnect', (info) => {
    inbound.closed(info.id);
    upload.release(info.id);
  });

  /**
   * Run a step that makes something durable. When storage fails (a full disk, say) the
   * request is answered `er internal` with a message naming the file, and the failure is logged.
   */
  const stored = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const message = `could not store ${what}: ${(err as Error).message}`;
      ctx.logger.error(message);
      throw new ProtocolError('internal', message);
    }
  };

  /** Pool transactions for an `hb` reply, oldest first: those the requester is not known to have. */
  const poolFor = (source: Source): Transaction[] => {
    const knows = ctx.knows;
    if (source.kind !== 'neighbour') return chain.pool.list(HB_POOL).map((e) => e.tx);
    const out: Transaction[] = [];
    for (const e of chain.pool.values()) {
      if (out.length >= HB_POOL) break;
      if (!knows(source, e.id)) out.push(e.tx);
    }
    return out;
  };

  server.handle('tx', async (tx, rc) => {
    const source = inbound.sourceOf(rc.connectionId);
    const r = await stored('the transaction', () => ctx.admitReceived(tx, source));
    return r.ok ? { status: 'Accepted', id: r.id } : { status: 'Rejected', reason: r.reason, message: r.message };
  });

  server.handle('pb', async (req, rc): Promise<PbReply> => {
    const from = req?.from ?? 1;
    const limit = Math.min(req?.limit ?? Number.MAX_SAFE_INTEGER, chain.height);
    // Block by block, within the frame and what the connection may still be sent.
    const { blocks, bytes } = await blocksWithin(chain, from, limit, Math.min(budget, upload.allowance(rc.connectionId)));
    upload.spend(rc.connectionId, bytes);
    return { height: chain.height, blocks };
  });

  server.handle('gp', (req, rc) => ctx.poll(req?.known ?? null, req?.wait ?? 0, rc.signal));

  server.handle('up', async (req) => {
    const r = await stored('the block', () => ctx.submit(req.proof, req.templateHash));
    return r.status === 'Reward' ? { status: 'Reward', block: r.block } : { status: 'No reward', reason: r.reason };
  });

  server.handle('hb', async (req, rc): Promise<HbReply> => {
    if (req.genesis !== chain.genesisHash) {
      throw new ProtocolError('wrong-network', `this peer is on network ${chain.params.name} with genesis ${chain.genesisHash}`);
    }
    if (req.listen !== null && req.listen !== ctx.listenAddress()) {
      // A candidate at most, and only the first address this connection announces (docs/spec.md §7).
      inbound.announce(rc.connectionId, rc.remote.host, req.listen);
    }
    const fork = chain.findFork(req.locator);
    if (fork === null) throw new ProtocolError('wrong-network', 'no locator hash is on this chain, not even the genesis');
    const room = Math.min(budget / 2, upload.allowance(rc.connectionId));
    const { blocks, bytes } = await blocksWithin(chain, fork + 1, SYNC_BATCH, room);
    upload.spend(rc.connectionId, bytes);
    const pool = takeWithin(poolFor(inbound.sourceOf(rc.connectionId)), budget / 2);
    return { height: chain.height, hash: chain.tip.hash, blocks, pool };
  });

  server.handle('nb', async (req, rc) => {
    const source = inbound.sourceOf(rc.connectionId);
    // Announced, not asked for: a block that can only go below the tip is refused `stale`, not stored.
    const [r] = (await stored('the block', () => ctx.accept([req.block], source, { unrequested: true }))) as [AddBlockResult];
    if (r.ok) return { status: 'Accepted' };
    if (r.reason === 'unknown-parent') ctx.unknownParent(source);
    else if (r.reason !== 'future' && r.reason !== 'stale') {
      if (source.kind === 'neighbour') void ctx.distrust(source.address, `announced invalid block: ${r.reason}: ${r.message}`);
      else server.disconnect(rc.connectionId);
    }
    return { status: 'Rejected', reason: r.reason };
  });
}
