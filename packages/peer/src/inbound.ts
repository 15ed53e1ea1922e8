import { plausibleClaim, type LearnOutcome } from './address-book';
import type { Source } from './source';

/** What the inbound registry needs to know and do. */
export interface InboundContext {
  /** Close one inbound connection. */
  disconnect(connectionId: number): void;
  /** Whether `address` is a neighbour (configured, or learned and verified). */
  isNeighbour(address: string): boolean;
}

/**
 * Which inbound connection is which peer: a connection that said, in its first `hb` with a
 * listen address, which peer it is, when that is believable (an IP literal, from that IP).
 * Entries live as long as their connection; one a connection.
 */
export class Inbound {
  readonly #ctx: InboundContext;
  readonly #known = new Map<number, string>();

  constructor(ctx: InboundContext) {
    this.#ctx = ctx;
  }

  /**
   * Where a request on this connection comes from: a neighbour when the connection announced, from
   * its own IP, an address that is a neighbour now (configured, or dialled and verified); else remote.
   */
  sourceOf(connectionId: number): Source {
    const address = this.#known.get(connectionId);
    return address !== undefined && this.#ctx.isNeighbour(address) ? { kind: 'neighbour', address } : { kind: 'remote' };
  }

  /** The connection from `host` announced `listen`, and the address book answered `outcome`. */
  announced(connectionId: number, host: string, listen: string, outcome: LearnOutcome): void {
    if (outcome === 'ignored' || outcome === 'invalid' || this.#known.has(connectionId)) return;
    if (plausibleClaim(listen, host)) this.#known.set(connectionId, listen);
  }

  /** A connection closed. */
  closed(connectionId: number): void {
    this.#known.delete(connectionId);
  }

  /** Close every inbound connection that said it is `address`. */
  disconnect(address: string): void {
    for (const [id, a] of this.#known) if (a === address) this.#ctx.disconnect(id);
  }

  /** Whether an inbound connection may give way to a newcomer: not when it is a neighbour's. */
  canEvict(connectionId: number): boolean {
    const address = this.#known.get(connectionId);
    return address === undefined || !this.#ctx.isNeighbour(address);
  }
}
