import type { ClientState, Logger, Transport, TransportClient } from '@chain/net';
import type { ProtocolVersion } from '@chain/protocol';
import { AddressBook, type BookEntry, type BookOptions, type LearnOutcome } from './address-book';
import type { NeighbourState, NeighbourStatus, PeerChange } from './events';
import { parseHostPort } from './options';
import type { TimerHandle, Timers } from './timers';

/** How long a configured neighbour that sent an invalid block stays disconnected (ms). */
export const DISTRUST_MS = 60_000;
/** Reconnection backoff of neighbour connections (docs/spec.md §7: from 100 ms doubling to 60 s, with jitter). */
export const NEIGHBOUR_BACKOFF = Object.freeze({ initialMs: 100, maxMs: 60_000 });

/** A neighbour's `hb` (and gossip) gets a reply within this long or counts as unanswered (ms). */
export const NEIGHBOUR_REQUEST_TIMEOUT_MS = 15_000;

/** One connection this peer opened: to a neighbour, or to a candidate being verified. */
export class Neighbour {
  readonly address: string;
  readonly client: TransportClient;
  readonly configured: boolean;
  state: ClientState = 'connecting';
  /** Its tip height from its last `hb` reply. */
  height = 0;
  /** Its tip hash from its last `hb` reply, or null before one. */
  tip: string | null = null;
  /** A tip it reported and then did not deliver blocks towards (a download from it stalled there). */
  stalledTip: string | null = null;
  /** The protocol version agreed on the current connection (null until it is). */
  version: ProtocolVersion | null = null;
  /** The sync in progress with it, if any (one at a time). */
  syncing: Promise<void> | null = null;
  /** What the current connection attempt has shown so far: nothing, a valid `hb` reply, or a failure. */
  outcome: 'none' | 'valid' | 'failed' = 'none';
  /** Stops listening to the connection's events (set by whoever listens). */
  detach: () => void = () => {};

  constructor(address: string, configured: boolean, client: TransportClient) {
    this.address = address;
    this.configured = configured;
    this.client = client;
  }

  /** Connect to `address` (`host:port`) over `transport` with the settings of neighbour connections. */
  static dial(transport: Transport, address: string, configured: boolean, maxFrame: number, logger: Logger): Neighbour {
    const { host, port } = parseHostPort(address, 'neighbour');
    const client = transport.createClient({
      host,
      port,
      maxFrame,
      requestTimeoutMs: NEIGHBOUR_REQUEST_TIMEOUT_MS,
      whileDisconnected: 'fail',
      backoff: NEIGHBOUR_BACKOFF,
      logger,
    });
    return new Neighbour(address, configured, client);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export interface NeighboursOptions {
  readonly book: BookOptions;
  readonly now: () => number;
  /** Where the dial timer is set. */
  readonly timers: Timers;
  /** Open a connection to an address. */
  readonly connect: (address: string, configured: boolean) => Neighbour;
  /** A connection changed state or the book changed an address (the `peer` event). */
  readonly changed: (address: string, state: PeerChange) => void;
  /** A connection opened: agree on a version, then send it `hb`. */
  readonly opened: (n: Neighbour) => void;
}

/**
 * The neighbours of a peer (docs/spec.md §6, §7): the address book and the connections it calls for.
 * Configured neighbours are connected for ever; learned addresses are candidates, dialled one at a
 * time at most every `dialIntervalMs`, and neighbours once they answer `hb`; failures drop them.
 */
export class Neighbours {
  readonly book: AddressBook;
  readonly #o: NeighboursOptions;
  readonly #links = new Map<string, Neighbour>();
  /** Configured neighbours kept away after an invalid block, until when. */
  readonly #away = new Map<string, number>();
  #dialTimer: TimerHandle | undefined;
  #closed = false;

  constructor(options: NeighboursOptions) {
    this.#o = options;
    this.book = new AddressBook(options.book);
  }

  /** Neighbours (configured or verified). */
  get size(): number {
    return this.book.neighbours().length;
  }

  /** The connection to a neighbour (not to a candidate). */
  get(address: string): Neighbour | undefined {
    return this.book.isNeighbour(address) ? this.#links.get(address) : undefined;
  }

  /** Connections to neighbours (configured or verified): those that get gossip. */
  list(): Neighbour[] {
    return [...this.#links.values()].filter((n) => this.book.isNeighbour(n.address));
  }

  /** Every connection, candidates being verified included: those that get `hb`. */
  links(): Neighbour[] {
    return [...this.#links.values()];
  }

  /** Add a configured neighbour and connect to it. */
  configure(address: string): void {
    this.book.configure(address, this.#o.now());
    if (!this.#links.has(address) && !this.#away.has(address)) this.#link(address, true);
  }

  /** An inbound connection from `host` announced `address` (its `hb` `listen`). */
  learn(host: string, address: string): LearnOutcome {
    const outcome = this.book.announce(host, address, this.#o.now(), (gone) => this.#unlink(gone.address, 'forgotten'));
    if (outcome === 'learned') {
      this.#o.changed(address, 'candidate');
      this.#schedule();
    }
    return outcome;
  }

  /** A valid `hb` reply: failures reset; a candidate becomes a neighbour. */
  replied(n: Neighbour): void {
    if (this.#links.get(n.address) !== n) return;
    const first = n.outcome !== 'valid';
    n.outcome = 'valid';
    // A neighbour is `open` once it answers, not when TCP connects: a server that accepts and then
    // breaks the protocol is reported once per backoff step, never as connected.
    if (this.book.succeeded(n.address, this.#o.now()) || first) this.#o.changed(n.address, 'ready');
  }

  /** An `hb` answered `er`, not answered in time, or answered against the protocol. */
  hbFailed(n: Neighbour): void {
    if (this.#links.get(n.address) !== n) return;
    n.outcome = 'failed';
    this.#failure(n);
  }

  /**
   * An invalid block came from `address`: a learned neighbour is dropped and quarantined, a
   * configured one disconnected for DISTRUST_MS. False when it is not in the book.
   */
  async distrust(address: string): Promise<boolean> {
    const entry = this.book.get(address);
    if (!entry) return false;
    if (entry.configured) this.#away.set(address, this.#o.now() + DISTRUST_MS);
    else this.book.distrust(address, this.#o.now());
    await this.#unlink(address, 'distrusted');
    this.#schedule();
    return true;
  }

  /** Heartbeat housekeeping: reconnect configured neighbours whose time away ran out; dial if due. */
  tick(): void {
    const now = this.#o.now();
    for (const [address, until] of this.#away) {
      if (until > now) continue;
      this.#away.delete(address);
      if (!this.#links.has(address) && this.book.get(address)?.configured) this.#link(address, true);
    }
    this.#schedule();
  }

  /** Every address of the book: neighbours, then candidates and quarantined ones. */
  status(): { neighbours: NeighbourStatus[]; candidates: NeighbourStatus[] } {
    const now = this.#o.now();
    const view = (e: BookEntry): NeighbourStatus => {
      const link = this.#links.get(e.address);
      const away = this.#away.get(e.address);
      const state: NeighbourState =
        e.status === 'candidate' && !e.dialling ? 'waiting' : link ? link.state : away !== undefined ? 'distrusted' : 'closed';
      return {
        address: e.address,
        kind: e.configured ? 'configured' : e.status,
        state,
        height: link?.height ?? 0,
        configured: e.configured,
        source: e.source,
        failures: e.failures,
        lastSeen: e.lastSeen,
        until: away ?? null,
      };
    };
    const entries = this.book.entries();
    return {
      neighbours: entries.filter((e) => e.status === 'neighbour').map(view),
      candidates: [
        ...entries.filter((e) => e.status === 'candidate').map(view),
        ...this.book.quarantined(now).map((q) => ({
          address: q.address,
          kind: 'quarantined' as const,
          state: 'quarantined' as const,
          height: 0,
          configured: false,
          source: q.source,
          failures: q.failures,
          lastSeen: q.lastSeen,
          until: q.until,
        })),
      ],
    };
  }

  /** Close every connection; no more dialling. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    if (this.#dialTimer !== undefined) this.#o.timers.clearTimeout(this.#dialTimer);
    this.#dialTimer = undefined;
    const all = [...this.#links.values()];
    this.#links.clear();
    await Promise.all(all.map((n) => n.close()));
  }

  #link(address: string, configured: boolean): Neighbour {
    const n = this.#o.connect(address, configured);
    this.#links.set(address, n);
    const onState = (state: ClientState): void => {
      n.state = state;
      if (state !== 'open') n.version = null;
      if (state === 'open') n.outcome = 'none';
      // A candidate's connection is no news until it answers (then `replied` reports it open).
      if (this.book.isNeighbour(address)) this.#o.changed(address, state);
      if (state === 'open') this.#o.opened(n);
    };
    // After every attempt: one that ended without a valid reply (and was not counted yet) is a failure.
    const onRetry = (): void => {
      const counted = n.outcome !== 'none';
      n.outcome = 'none';
      if (!counted) this.#failure(n);
    };
    n.client.on('state', onState);
    n.client.on('retry', onRetry);
    n.detach = () => {
      n.client.off('state', onState);
      n.client.off('retry', onRetry);
    };
    return n;
  }

  async #unlink(address: string, state: 'forgotten' | 'distrusted' | 'quarantined'): Promise<void> {
    const n = this.#links.get(address);
    this.#o.changed(address, state);
    if (!n) return;
    this.#links.delete(address);
    n.detach();
    await n.close();
  }

  #failure(n: Neighbour): void {
    if (this.#links.get(n.address) !== n) return;
    if (this.book.failed(n.address, this.#o.now())) {
      void this.#unlink(n.address, 'quarantined');
      this.#schedule();
    }
  }

  /** Dial the next candidate when it is due (one at a time, at most one every `dialIntervalMs`). */
  #schedule(): void {
    if (this.#closed || this.#dialTimer !== undefined) return;
    const delay = this.book.dialDelay(this.#o.now());
    if (delay === null) return;
    this.#dialTimer = this.#o.timers.setTimeout(() => {
      this.#dialTimer = undefined;
      if (this.#closed) return;
      const next = this.book.nextDial(this.#o.now());
      if (next) this.#link(next.address, false);
      this.#schedule();
    }, delay);
  }
}
