import { EventEmitter } from 'node:events';
import type { AddBlockResult, Block, ChainState, Transaction } from '@chain/core';
import { ClientError, type Logger } from '@chain/net';
import { DEFAULT_LIMITS, ProtocolError, type HbReply } from '@chain/protocol';
import type { Neighbour } from './neighbours';
import type { PeerEvents } from './events';
import { fromNeighbour, type Source } from './source';

/** What the synchroniser needs: nothing of the peer but this. */
export interface SyncContext {
  /** Read only: the locator and the tip. */
  readonly chain: ChainState;
  readonly logger: Logger;
  /** The `host:port` this peer tells others in `hb`. */
  listenAddress(): string;
  accept(blocks: readonly unknown[], source: Source): Promise<AddBlockResult[]>;
  /** Admit transactions received together (journal failures are logged, not thrown). */
  admitAll(txs: readonly unknown[], source: Source): Promise<void>;
  /** A valid `hb` reply came from `n` (a candidate becomes a neighbour). */
  replied(n: Neighbour): void;
  /** An `hb` to `n` failed because of the other side. */
  failed(n: Neighbour): void;
  /** A neighbour sent an invalid block. */
  distrust(address: string, why: string): Promise<void>;
}

/** Events of a {@link Synchronizer}. */
export interface SyncEvents {
  progress: PeerEvents['sync-progress'];
}

/**
 * Heartbeat sync (SPEC §6): send `hb` with this peer's locator, add the blocks
 * that come back in order, and ask again while the neighbour is ahead and each
 * round makes progress. One sync per neighbour at a time.
 */
export class Synchronizer extends EventEmitter<SyncEvents> {
  readonly #ctx: SyncContext;
  readonly #running = new Set<Neighbour>();

  constructor(ctx: SyncContext) {
    super();
    this.#ctx = ctx;
  }

  syncFrom(n: Neighbour): Promise<void> {
    n.syncing ??= this.#run(n)
      .catch((err: Error) => this.#ctx.logger.error(`sync with ${n.address} failed: ${err.message}`))
      .finally(() => {
        n.syncing = null;
        this.#running.delete(n);
      });
    this.#running.add(n);
    return n.syncing;
  }

  /** Resolves when no sync is running. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running].map((n) => n.syncing));
  }

  async #run(n: Neighbour): Promise<void> {
    const ctx = this.#ctx;
    const chain = ctx.chain;
    let next: Promise<HbReply> | null = null;
    for (let round = 0; ; round++) {
      let reply: HbReply;
      try {
        reply = await (next ?? this.#hb(n, chain.locator()));
      } catch (err) {
        ctx.logger.debug(`hb to ${n.address} failed: ${(err as Error).message}`);
        // A refusal, a bad or missing reply counts against the address; a lost connection is counted when it ends.
        if (breaksProtocol(err)) ctx.failed(n);
        return;
      }
      next = null;
      // A valid reply: the same network (a different genesis is answered `er`). A candidate becomes a neighbour.
      ctx.replied(n);
      n.height = reply.height;
      const before = chain.tip.hash;
      // Still behind after this batch: ask for the next one while this one is added (its locator
      // starts at this batch's last block, then this peer's own, so any answer is still right).
      const last = reply.blocks[reply.blocks.length - 1] as Partial<Block> | undefined;
      if (
        last &&
        typeof last.index === 'number' &&
        reply.height > last.index &&
        typeof last.currentHash === 'string' &&
        HASH.test(last.currentHash)
      ) {
        next = this.#hb(n, [last.currentHash, ...chain.locator()].slice(0, MAX_LOCATOR));
        next.catch(() => undefined); // handled when awaited; dropped when this sync ends first
      }
      const ok = await this.#addBlocks(n, reply.blocks);
      if (!ok) return;
      await this.#addPool(n, reply.pool);
      if (reply.blocks.length > 0) {
        this.emit('progress', { neighbour: n.address, height: chain.height, target: reply.height, received: reply.blocks.length });
      }
      const progressed = chain.tip.hash !== before;
      if (!progressed || chain.height >= reply.height || reply.blocks.length === 0) return;
    }
  }

  #hb(n: Neighbour, locator: string[]): Promise<HbReply> {
    return n.client.request('hb', { genesis: this.#ctx.chain.genesisHash, locator, listen: this.#ctx.listenAddress() });
  }

  /** Add blocks in order; false when the neighbour sent an invalid one (it is then distrusted). */
  async #addBlocks(n: Neighbour, blocks: readonly Block[]): Promise<boolean> {
    // Together: validated in order, stored with one group commit.
    const results = await this.#ctx.accept(blocks, fromNeighbour(n.address));
    const last = results[results.length - 1];
    if (last === undefined || last.ok) return true;
    if (last.reason === 'future' || last.reason === 'unknown-parent') return true; // not proven invalid: try again later
    const block = blocks[results.length - 1];
    await this.#ctx.distrust(
      n.address,
      `sent invalid block ${(block as { currentHash?: unknown }).currentHash}: ${last.reason}: ${last.message}`,
    );
    return false;
  }

  async #addPool(n: Neighbour, pool: readonly Transaction[]): Promise<void> {
    await this.#ctx.admitAll(pool, fromNeighbour(n.address));
  }
}

/** A block hash as the protocol writes it. */
const HASH = /^[0-9a-f]{64}$/;
/** Most locator entries a request carries. */
const MAX_LOCATOR = DEFAULT_LIMITS.maxLocator;

const LOCAL_OR_LOST: ReadonlySet<string> = new Set(['connection-closed', 'not-connected', 'client-closed', 'queue-full']);

/** An `hb` that failed because of the other side: an `er` reply, an invalid one, or none in time. */
function breaksProtocol(err: unknown): boolean {
  if (err instanceof ProtocolError) return true;
  // Not the connection going away (counted when the attempt ends) nor this peer closing it.
  return err instanceof ClientError && !LOCAL_OR_LOST.has(err.code);
}
