import { EventEmitter } from 'node:events';
import type { AddBlockResult, Block, ChainState, Transaction } from '@chain/core';
import { ClientError, type Logger } from '@chain/net';
import { ProtocolError } from '@chain/protocol';
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
    for (let round = 0; ; round++) {
      let reply;
      try {
        reply = await n.client.request('hb', { genesis: chain.genesisHash, locator: chain.locator(), listen: ctx.listenAddress() });
      } catch (err) {
        ctx.logger.debug(`hb to ${n.address} failed: ${(err as Error).message}`);
        // A refusal, a bad or missing reply counts against the address; a lost connection is counted when it ends.
        if (breaksProtocol(err)) ctx.failed(n);
        return;
      }
      // A valid reply: the same network (a different genesis is answered `er`). A candidate becomes a neighbour.
      ctx.replied(n);
      n.height = reply.height;
      const before = chain.tip.hash;
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

  /** Add blocks in order; false when the neighbour sent an invalid one (it is then distrusted). */
  async #addBlocks(n: Neighbour, blocks: readonly Block[]): Promise<boolean> {
    // Together: validated in order, stored with one group commit.
    const results = await this.#ctx.accept(blocks, fromNeighbour(n.address));
    const last = results[results.length - 1];
    if (last === undefined || last.ok) return true;
    if (last.reason === 'future' || last.reason === 'unknown-parent') return true; // not proven invalid: try again later
    const block = blocks[results.length - 1];
    await this.#ctx.distrust(n.address, `sent invalid block ${(block as { currentHash?: unknown }).currentHash}: ${last.reason}: ${last.message}`);
    return false;
  }

  async #addPool(n: Neighbour, pool: readonly Transaction[]): Promise<void> {
    await this.#ctx.admitAll(pool, fromNeighbour(n.address));
  }
}

const LOCAL_OR_LOST: ReadonlySet<string> = new Set(['connection-closed', 'not-connected', 'client-closed', 'queue-full']);

/** An `hb` that failed because of the other side: an `er` reply, an invalid one, or none in time. */
function breaksProtocol(err: unknown): boolean {
  if (err instanceof ProtocolError) return true;
  // Not the connection going away (counted when the attempt ends) nor this peer closing it.
  return err instanceof ClientError && !LOCAL_OR_LOST.has(err.code);
}
