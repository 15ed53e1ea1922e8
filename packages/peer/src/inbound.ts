import { plausibleClaim, type LearnOutcome } from './address-book';
import type { Source } from './source';

/** What the inbound registry needs to know and do. */
export interface InboundContext {
  /** Close one inbound connection. */
  disconnect(connectionId: number): void;
  /** Whether `address` is a neighbour (configured, or learned and verified). */
  isNeighbour(address: string): boolean;
  /** Offer an address announced by a connection from `host` to the address book. */
  learn(host: string, address: string): LearnOutcome;
}

/** The address an inbound connection announced, and whether its claim can be believed. */
interface Announced {
  readonly address: string;
  /** An IP literal equal to the connection's own IP. */
  readonly plausible: boolean;
}

/**
 * Which inbound connection announced which address (docs/spec.md §7): the one owner of that fact. A
 * connection contributes its first announced address only; the same address announced again is
 * offered to the book again (it may be learnable again after a quarantine). A connection is taken
 * for that peer only while the claim is plausible and the address is a neighbour. Entries live as
 * long as their connection.
 */
export class Inbound {
  readonly #ctx: InboundContext;
  readonly #announced = new Map<number, Announced>();

  constructor(ctx: InboundContext) {
    this.#ctx = ctx;
  }

  /** The connection from `host` announced `address` in an `hb`; what the book made of it. */
  announce(connectionId: number, host: string, address: string): LearnOutcome {
    const known = this.#announced.get(connectionId);
    if (known !== undefined && known.address !== address) return 'ignored';
    const outcome = this.#ctx.learn(host, address);
    if (known === undefined && outcome !== 'invalid')
      this.#announced.set(connectionId, { address, plausible: plausibleClaim(address, host) });
    return outcome;
  }

  /** The address a connection announced, if any. */
  announced(connectionId: number): string | undefined {
    return this.#announced.get(connectionId)?.address;
  }

  /**
   * Where a request on this connection comes from: a neighbour when the connection announced, from
   * its own IP, an address that is a neighbour now (configured, or dialled and verified); else remote.
   */
  sourceOf(connectionId: number): Source {
    const a = this.#announced.get(connectionId);
    return a !== undefined && a.plausible && this.#ctx.isNeighbour(a.address)
      ? { kind: 'neighbour', address: a.address }
      : { kind: 'remote' };
  }

  /** A connection closed. */
  closed(connectionId: number): void {
    this.#announced.delete(connectionId);
  }

  /** Close every inbound connection that is taken for `address`. */
  disconnect(address: string): void {
    for (const [id, a] of this.#announced) if (a.address === address && a.plausible) this.#ctx.disconnect(id);
  }

  /** Whether an inbound connection may give way to a newcomer: not when it is a neighbour's. */
  canEvict(connectionId: number): boolean {
    return this.sourceOf(connectionId).kind !== 'neighbour';
  }
}
