import type { BlockHeader } from '@chain/core';
import type { Rebuilt } from './reconstruct';

/** Partial blocks kept per connection: the block just announced and one more in flight behind it. */
export const PARTIALS_PER_CONNECTION = 2;
/** Partial blocks kept in all (the oldest forgotten first). */
export const PARTIALS_IN_ALL = 16;
/** How long a partial block waits for its `bt` (ms): a round trip, with room for a slow link. */
export const PARTIAL_LIFETIME_MS = 10_000;

/** A compact block that answered `Missing`, waiting for the missing transactions. */
export interface Partial {
  readonly connectionId: number;
  readonly header: BlockHeader;
  readonly short: readonly string[];
  readonly rebuilt: Rebuilt;
  readonly expires: number;
}

/**
 * The partial blocks waiting for `bt`, keyed by the connection that announced them (only that
 * connection can complete one, so nobody else can spoil it). Bounded per connection and in all,
 * each for a short lifetime; one forgotten is answered `Full` when its `bt` comes.
 */
export class Partials {
  readonly #byKey = new Map<string, Partial>();
  readonly #now: () => number;
  readonly #perConnection: number;
  readonly #inAll: number;

  constructor(now: () => number, perConnection = PARTIALS_PER_CONNECTION, inAll = PARTIALS_IN_ALL) {
    this.#now = now;
    this.#perConnection = perConnection;
    this.#inAll = inAll;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Keep a partial block (replacing one of the same connection and hash). */
  keep(connectionId: number, header: BlockHeader, short: readonly string[], rebuilt: Rebuilt): void {
    this.#expire();
    const key = keyOf(connectionId, header.currentHash);
    this.#byKey.delete(key);
    const mine = [...this.#byKey.values()].filter((p) => p.connectionId === connectionId);
    for (const p of mine.slice(0, Math.max(0, mine.length - this.#perConnection + 1)))
      this.#byKey.delete(keyOf(p.connectionId, p.header.currentHash));
    while (this.#byKey.size >= this.#inAll) this.#byKey.delete(this.#byKey.keys().next().value as string);
    this.#byKey.set(key, { connectionId, header, short, rebuilt, expires: this.#now() + PARTIAL_LIFETIME_MS });
  }

  /** The partial block `hash` of a connection, taken out; undefined when none is kept (or it expired). */
  take(connectionId: number, hash: string): Partial | undefined {
    this.#expire();
    const key = keyOf(connectionId, hash);
    const p = this.#byKey.get(key);
    this.#byKey.delete(key);
    return p;
  }

  /** A connection closed: what it announced can no longer be completed. */
  closed(connectionId: number): void {
    for (const [key, p] of this.#byKey) if (p.connectionId === connectionId) this.#byKey.delete(key);
  }

  #expire(): void {
    const now = this.#now();
    for (const [key, p] of this.#byKey) if (p.expires <= now) this.#byKey.delete(key);
  }
}

function keyOf(connectionId: number, hash: string): string {
  return `${connectionId}:${hash}`;
}
