import { createClient, silentLogger, type Client, type ClientState, type Logger } from '@chain/net';
import { parseHostPort } from './options';

/** How long a neighbour that sent an invalid block stays disconnected (ms). */
export const DISTRUST_MS = 60_000;

/** One neighbour: the client connection this peer opened to it. */
export class Neighbour {
  readonly address: string;
  readonly client: Client;
  /** Configured by the user (kept for ever) or learned from an `hb`. */
  readonly configured: boolean;
  state: ClientState = 'connecting';
  /** Its tip height from its last `hb` reply. */
  height = 0;
  lastSeen = 0;
  /** The sync in progress with it, if any (one at a time). */
  syncing: Promise<void> | null = null;

  constructor(address: string, configured: boolean, maxFrame: number, logger: Logger) {
    const { host, port } = parseHostPort(address, 'neighbour');
    this.address = address;
    this.configured = configured;
    this.client = createClient({
      host,
      port,
      maxFrame,
      requestTimeoutMs: 15_000,
      whileDisconnected: 'fail',
      backoff: { initialMs: 100, maxMs: 5_000 },
      logger: logger ?? silentLogger,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The neighbours of a peer: at most `max`, never itself, with a memory of distrusted ones. */
export class NeighbourSet {
  readonly #map = new Map<string, Neighbour>();
  readonly #distrusted = new Map<string, number>();
  readonly #max: number;
  readonly #create: (address: string, configured: boolean) => Neighbour;

  constructor(max: number, create: (address: string, configured: boolean) => Neighbour) {
    this.#max = max;
    this.#create = create;
  }

  get size(): number {
    return this.#map.size;
  }

  get(address: string): Neighbour | undefined {
    return this.#map.get(address);
  }

  list(): Neighbour[] {
    return [...this.#map.values()];
  }

  /** Add a neighbour unless known, distrusted (until `now` passes the ban) or over the limit. */
  add(address: string, configured: boolean, now: number): Neighbour | null {
    const existing = this.#map.get(address);
    if (existing) return existing;
    const bannedUntil = this.#distrusted.get(address);
    if (bannedUntil !== undefined && bannedUntil > now) return null;
    this.#distrusted.delete(address);
    if (this.#map.size >= this.#max) return null;
    const n = this.#create(address, configured);
    this.#map.set(address, n);
    return n;
  }

  /** Disconnect a neighbour that misbehaved; a learned one is forgotten, a configured one retried later. */
  async distrust(address: string, now: number): Promise<Neighbour | undefined> {
    const n = this.#map.get(address);
    this.#distrusted.set(address, now + DISTRUST_MS);
    if (this.#distrusted.size > 4 * this.#max) this.#distrusted.delete(this.#distrusted.keys().next().value as string);
    if (!n) return undefined;
    this.#map.delete(address);
    await n.close();
    return n;
  }

  async closeAll(): Promise<void> {
    const all = this.list();
    this.#map.clear();
    await Promise.all(all.map((n) => n.close()));
  }
}
