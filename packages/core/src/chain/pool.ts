import type { Transaction } from '../types';

/** A transaction waiting in the pool, with its id. */
export interface PoolEntry {
  readonly id: string;
  readonly tx: Transaction;
}

/** Default pool cap (docs/spec.md §2: peer setting, default 10000). */
export const DEFAULT_POOL_CAP = 10_000;

/**
 * The transaction pool: admitted transactions in arrival order, with a cap.
 * Admission rules live in the chain state; this class only keeps entries.
 */
export class TxPool {
  readonly cap: number;
  readonly #entries = new Map<string, PoolEntry>();

  constructor(cap = DEFAULT_POOL_CAP) {
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`pool cap must be a positive integer, got ${cap}`);
    this.cap = cap;
  }

  get size(): number {
    return this.#entries.size;
  }

  get full(): boolean {
    return this.#entries.size >= this.cap;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): PoolEntry | undefined {
    return this.#entries.get(id);
  }

  /** Add an entry; false when present already or the pool is full. */
  add(entry: PoolEntry): boolean {
    if (this.#entries.has(entry.id) || this.full) return false;
    this.#entries.set(entry.id, entry);
    return true;
  }

  delete(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Entries in arrival order, `limit` at most. */
  list(limit = Infinity): PoolEntry[] {
    const out: PoolEntry[] = [];
    for (const e of this.#entries.values()) {
      if (out.length >= limit) break;
      out.push(e);
    }
    return out;
  }

  values(): IterableIterator<PoolEntry> {
    return this.#entries.values();
  }

  /** Drop entries whose timestamp is at or before `cutoff`; returns them. */
  dropOlderThan(cutoff: number): PoolEntry[] {
    const dropped: PoolEntry[] = [];
    for (const e of this.#entries.values()) {
      if (e.tx.timestamp <= cutoff) {
        this.#entries.delete(e.id);
        dropped.push(e);
      }
    }
    return dropped;
  }
}
