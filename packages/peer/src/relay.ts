import type { EventEmitter } from 'node:events';
import { BoundedMap, RecentIds, type Block, type Transaction } from '@chain/core';
import type { Neighbour } from './neighbours';
import type { IntakeEvents } from './intake';
import type { Source } from './source';
import type { PeerChange } from './events';

/** Transaction ids remembered per neighbour (what it sent us or took from us). */
export const KNOWN_PER_NEIGHBOUR = 16_384;
/** Neighbours remembered at most (the oldest is forgotten first). */
const NEIGHBOURS_REMEMBERED = 1024;
/** Own blocks announced early and not yet durable, remembered at most. */
const EARLY_REMEMBERED = 64;

/** What the relay needs: the neighbours and a way to sync from one. */
export interface RelayContext {
  /** Connections to neighbours (configured or verified): those that get gossip. */
  list(): readonly Neighbour[];
  /** The connection to a neighbour (not to a candidate). */
  get(address: string): Neighbour | undefined;
  /** Send `hb` to `n` and add what comes back (one sync per neighbour at a time). */
  syncFrom(n: Neighbour): void;
  /** Sync from the one neighbour furthest ahead (rate-limited; nothing while a download runs). */
  syncOne(): void;
  /** How gossip goes on connections that speak version 1.2; without it, they get 1.1 gossip too. */
  readonly v12?: RelayV12;
}

/** Gossip on a version 1.2 connection: announced, not pushed. */
export interface RelayV12 {
  /** Announce a transaction to `n` (its id goes in the next trickled `ia` batch). */
  announceTx(n: Neighbour, id: string, tx: Transaction): void;
  /** Send a new best block to `n` as a compact block (`cb`). */
  sendBlock(n: Neighbour, block: Block): void;
  /** The neighbour at `address` has transaction `id` by its own doing: an announcement of it waiting for it is dropped. */
  known(address: string, id: string): void;
}

/**
 * Gossip (docs/spec.md §6), listening to what enters the chain and pool: a transaction admitted is
 * forwarded with `tx` to every open neighbour but its source and those known to have it; a new
 * best block is announced with `nb` the same way. A neighbour is known to have a transaction it
 * sent us (admitted or a duplicate) or that it took from us (`Accepted`, or `Rejected duplicate`);
 * that memory is bounded per neighbour (oldest forgotten first, ids as raw bytes) and dropped when the
 * connection to the neighbour leaves `open` (it may have restarted with an empty pool).
 * Duplicates stop at the first peer that knows them, so nothing loops. A block this peer mined is
 * announced as soon as it passed the rules (`ready`), while it is being stored, and not again when
 * it becomes the tip. A block announced to this peer whose parent is unknown starts a sync from
 * the neighbour that announced it (from one neighbour when a stranger did); a neighbour that
 * answers this peer's `nb` so fetches the ancestors itself.
 */
export class Relay {
  readonly #ctx: RelayContext;
  readonly #events: EventEmitter<IntakeEvents>;
  readonly #known = new BoundedMap<string, RecentIds>(NEIGHBOURS_REMEMBERED);
  readonly #onTx = (e: { readonly id: string; readonly tx: Transaction; readonly source: Source }): void => {
    this.#noteSource(e.id, e.source);
    this.#forwardTx(e.id, e.tx, e.source);
  };
  readonly #onSeen = (e: { readonly id: string; readonly source: Source }): void => this.#noteSource(e.id, e.source);
  /** This peer's own blocks announced before they were durable (their `tip` announces nothing again). */
  readonly #early = new BoundedMap<string, true>(EARLY_REMEMBERED);
  readonly #onReady = (e: { readonly block: Block; readonly source: Source }): void => {
    this.#early.set(e.block.currentHash, true);
    this.#announce(e.block, e.source);
  };
  readonly #onTip = (e: { readonly block: Block; readonly source: Source }): void => {
    if (this.#early.delete(e.block.currentHash)) return;
    this.#announce(e.block, e.source);
  };

  constructor(events: EventEmitter<IntakeEvents>, ctx: RelayContext) {
    this.#ctx = ctx;
    this.#events = events;
    events.on('tx', this.#onTx);
    events.on('seen', this.#onSeen);
    events.on('tip', this.#onTip);
    events.on('ready', this.#onReady);
  }

  /** True when the neighbour at `address` is known to have transaction `id`. */
  knows(address: string, id: string): boolean {
    return this.#known.get(address)?.has(id) ?? false;
  }

  /** Note that the neighbour at `address` has transaction `id` (it announced it, or took it). */
  note(address: string, id: string): void {
    if (this.#ctx.get(address)) this.#learned(address, id);
  }

  /** The neighbour at `address` did not take transaction `id` after all: it may be sent again. */
  unnote(address: string, id: string): void {
    this.#known.get(address)?.delete(id);
  }

  /** Forget what the neighbour at `address` has (its connection closed: it may have restarted). */
  forget(address: string): void {
    this.#known.delete(address);
  }

  /**
   * A neighbour's connection or book entry changed state (the peer's `peer` event): what it has is
   * forgotten unless the connection is still up (`open`, or `ready` once it answered).
   */
  neighbourState(address: string, state: PeerChange): void {
    if (state !== 'open' && state !== 'ready') this.forget(address);
  }

  /**
   * A block whose parent this peer does not know came from `source`: a neighbour is asked for
   * its chain; a stranger's claim starts at most one sync, from one neighbour.
   */
  unknownParent(source: Source): void {
    const from = source.kind === 'neighbour' ? this.#ctx.get(source.address) : undefined;
    if (from) this.#ctx.syncFrom(from);
    else this.#ctx.syncOne();
  }

  /** Stop listening. */
  close(): void {
    this.#events.off('tx', this.#onTx);
    this.#events.off('seen', this.#onSeen);
    this.#events.off('tip', this.#onTip);
    this.#events.off('ready', this.#onReady);
  }

  #memory(address: string): RecentIds {
    let m = this.#known.get(address);
    if (!m) this.#known.set(address, (m = new RecentIds(KNOWN_PER_NEIGHBOUR)));
    return m;
  }

  #noteSource(id: string, source: Source): void {
    // Memory is kept for neighbours only: a claimed address that is not one keeps nothing here.
    if (source.kind === 'neighbour' && this.#ctx.get(source.address)) this.#learned(source.address, id);
  }

  /** The neighbour has `id` by its own doing: known to it, and not announced to it even if queued already (docs/spec.md §8.3.4). */
  #learned(address: string, id: string): void {
    this.#memory(address).add(id);
    this.#ctx.v12?.known(address, id);
  }

  #forwardTx(id: string, tx: Transaction, source: Source): void {
    for (const n of this.#ctx.list()) {
      if (n.state !== 'open') continue;
      if (source.kind === 'neighbour' && source.address === n.address) continue;
      const memory = this.#memory(n.address);
      if (memory.has(id)) continue;
      // Noted before it is sent, so a copy arriving meanwhile is not sent back; unnoted when not taken.
      memory.add(id);
      if (n.version === '1.2' && this.#ctx.v12) {
        this.#ctx.v12.announceTx(n, id, tx);
        continue;
      }
      n.client.request('tx', tx).then(
        (reply) => {
          if (reply.status !== 'Accepted' && reply.reason !== 'duplicate') this.#known.get(n.address)?.delete(id);
        },
        () => void this.#known.get(n.address)?.delete(id), // a neighbour that fails to answer is retried by the heartbeat
      );
    }
  }

  #announce(block: Block, source: Source): void {
    for (const n of this.#ctx.list()) {
      if (n.state !== 'open') continue;
      if (source.kind === 'neighbour' && source.address === n.address) continue;
      if (n.version === '1.2' && this.#ctx.v12) {
        this.#ctx.v12.sendBlock(n, block);
        continue;
      }
      // `unknown-parent` means the neighbour lacks ancestors: it fetches them from this peer by `hb`.
      n.client.request('nb', { block }).catch(() => undefined); // one that fails to answer is synced by the heartbeat
    }
  }
}
