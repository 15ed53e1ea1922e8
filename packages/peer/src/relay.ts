import type { EventEmitter } from 'node:events';
import type { Block, Transaction } from '@chain/core';
import type { Neighbour } from './neighbours';
import type { IntakeEvents } from './intake';
import type { Source } from './source';

/** What the relay needs: the neighbours and a way to sync from one. */
export interface RelayContext {
  /** Connections to neighbours (configured or verified): those that get gossip. */
  list(): readonly Neighbour[];
  /** The connection to a neighbour (not to a candidate). */
  get(address: string): Neighbour | undefined;
  /** Send `hb` to `n` and add what comes back (one sync per neighbour at a time). */
  syncFrom(n: Neighbour): void;
}

/**
 * Gossip (SPEC §6), listening to what enters the chain and pool: a transaction admitted is
 * forwarded with `tx` to every open neighbour but its source; a new best block is announced with
 * `nb` the same way. Duplicates stop at the first peer that knows them, so nothing loops. A block
 * whose parent is unknown, whether announced to this peer or answered so by a neighbour this
 * peer announced to, starts a sync from the one that has the missing ancestors.
 */
export class Relay {
  readonly #ctx: RelayContext;
  readonly #events: EventEmitter<IntakeEvents>;
  readonly #onTx = (e: { readonly tx: Transaction; readonly source: Source }): void => this.#forward('tx', e.tx, e.source);
  readonly #onTip = (e: { readonly block: Block; readonly source: Source }): void => this.#forward('nb', { block: e.block }, e.source);

  constructor(events: EventEmitter<IntakeEvents>, ctx: RelayContext) {
    this.#ctx = ctx;
    this.#events = events;
    events.on('tx', this.#onTx);
    events.on('tip', this.#onTip);
  }

  /** A block whose parent this peer does not know came from `source`. */
  unknownParent(source: Source): void {
    this.#resync(source.kind === 'neighbour' ? this.#ctx.get(source.address) : undefined);
  }

  /** Stop listening. */
  close(): void {
    this.#events.off('tx', this.#onTx);
    this.#events.off('tip', this.#onTip);
  }

  /** Sync from the neighbour that has a block's ancestors, or, not knowing which, from every open one. */
  #resync(from: Neighbour | undefined): void {
    if (from) return void this.#ctx.syncFrom(from);
    for (const n of this.#ctx.list()) if (n.state === 'open') this.#ctx.syncFrom(n);
  }

  #forward(op: 'tx' | 'nb', payload: Transaction | { block: Block }, source: Source): void {
    for (const n of this.#ctx.list()) {
      if (source.kind === 'neighbour' && source.address === n.address) continue;
      if (n.state !== 'open') continue;
      n.client.request(op, payload as never).then(
        (reply) => {
          if (op === 'nb' && (reply as { reason?: string }).reason === 'unknown-parent') this.#resync(n);
        },
        () => undefined, // a neighbour that fails to answer is retried by the heartbeat
      );
    }
  }
}
