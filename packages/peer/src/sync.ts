import type { Block, Transaction } from '@chain/core';
import { ClientError } from '@chain/net';
import { ProtocolError } from '@chain/protocol';
import type { Neighbour } from './neighbours';
import type { Peer } from './peer';

/** Blocks per `hb` reply at most (SPEC §5). */
export const SYNC_BATCH = 500;
/** Pool transactions per `hb` reply at most (SPEC §5). */
export const HB_POOL = 1000;

/**
 * Heartbeat sync (SPEC §6): send `hb` with this peer's locator, add the blocks
 * that come back in order, and ask again while the neighbour is ahead and each
 * round makes progress. One sync per neighbour at a time.
 */
export class Synchronizer {
  readonly #peer: Peer;
  readonly #running = new Set<Neighbour>();

  constructor(peer: Peer) {
    this.#peer = peer;
  }

  syncFrom(n: Neighbour): Promise<void> {
    n.syncing ??= this.#run(n)
      .catch((err: Error) => this.#peer.options.logger.error(`sync with ${n.address} failed: ${err.message}`))
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

  /** Sync from every open neighbour (an `nb` whose parent nobody here knows, from an unknown sender). */
  syncAll(): void {
    for (const n of this.#peer.neighbours.list()) if (n.state === 'open') void this.syncFrom(n);
  }

  async #run(n: Neighbour): Promise<void> {
    const peer = this.#peer;
    const chain = peer.chain;
    for (let round = 0; ; round++) {
      let reply;
      try {
        reply = await n.client.request('hb', { genesis: chain.genesisHash, locator: chain.locator(), listen: peer.listenAddress });
      } catch (err) {
        peer.options.logger.debug(`hb to ${n.address} failed: ${(err as Error).message}`);
        // A refusal, a bad or missing reply counts against the address; a lost connection is counted when it ends.
        if (breaksProtocol(err)) peer.neighbours.hbFailed(n);
        return;
      }
      // A valid reply: the same network (a different genesis is answered `er`). A candidate becomes a neighbour.
      peer.neighbours.replied(n);
      n.height = reply.height;
      const before = chain.tip.hash;
      const ok = await this.#addBlocks(n, reply.blocks);
      if (!ok) return;
      await this.#addPool(n, reply.pool);
      if (reply.blocks.length > 0) {
        peer.emit('sync-progress', { neighbour: n.address, height: chain.height, target: reply.height, received: reply.blocks.length });
      }
      const progressed = chain.tip.hash !== before;
      if (!progressed || chain.height >= reply.height || reply.blocks.length === 0) return;
    }
  }

  /** Add blocks in order; false when the neighbour sent an invalid one (it is then distrusted). */
  async #addBlocks(n: Neighbour, blocks: readonly Block[]): Promise<boolean> {
    const peer = this.#peer;
    // Together: validated in order, stored with one group commit.
    const results = await peer.acceptBlocks(blocks, { kind: 'neighbour', address: n.address });
    const last = results[results.length - 1];
    if (last === undefined || last.ok) return true;
    if (last.reason === 'future' || last.reason === 'unknown-parent') return true; // not proven invalid: try again later
    const block = blocks[results.length - 1];
    await peer.distrust(n.address, `sent invalid block ${(block as { currentHash?: unknown }).currentHash}: ${last.reason}: ${last.message}`);
    return false;
  }

  async #addPool(n: Neighbour, pool: readonly Transaction[]): Promise<void> {
    const peer = this.#peer;
    // Concurrently: the journal commits them together.
    await Promise.all(
      pool.map((tx) =>
        peer.submitTransaction(tx, { kind: 'neighbour', address: n.address }).catch((err) => {
          peer.options.logger.error(`pool journal: ${(err as Error).message}`);
        }),
      ),
    );
  }
}

const LOCAL_OR_LOST: ReadonlySet<string> = new Set(['connection-closed', 'not-connected', 'client-closed', 'queue-full']);

/** An `hb` that failed because of the other side: an `er` reply, an invalid one, or none in time. */
function breaksProtocol(err: unknown): boolean {
  if (err instanceof ProtocolError) return true;
  // Not the connection going away (counted when the attempt ends) nor this peer closing it.
  return err instanceof ClientError && !LOCAL_OR_LOST.has(err.code);
}
