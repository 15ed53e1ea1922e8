import type { Transaction } from '@chain/core';
import type { ClientState, Logger, TimerHandle, Timers, TransportClient } from '@chain/net';
import { DEFAULT_LIMITS, type ProtocolVersion } from '@chain/protocol';
import { takeWithin } from '../handlers';
import { exponentialGap } from './timing';

/** Ids an `ia` carries at most (docs/spec.md §8). */
export const MAX_IDS = DEFAULT_LIMITS.maxIds;
/** Ids waiting for one neighbour at most: the oldest batch's worth is dropped beyond it. */
export const QUEUE_LIMIT = 16 * MAX_IDS;
/** Bytes an id takes in a frame (64 characters, quotes and a comma). */
const ID_BYTES = 67;
/** Room kept in a frame for everything but the ids or bodies. */
const FRAME_MARGIN = 256;

/** The connection to a neighbour, as far as announcing goes (a `Neighbour` is one). */
export interface AnnounceTarget {
  readonly address: string;
  /** Configured neighbours get a timer each; learned ones share one. */
  readonly configured: boolean;
  readonly state: ClientState;
  readonly version: ProtocolVersion | null;
  readonly client: Pick<TransportClient, 'request'>;
}

/** What the announcer needs. */
export interface AnnouncerContext {
  readonly timers: Timers;
  /** Uniform in [0, 1). */
  random(): number;
  /** Mean gap between flushes (ms). */
  readonly meanMs: number;
  readonly maxFrame: number;
  /** The body of pool transaction `id`, while it is in the pool. */
  body(id: string): Transaction | undefined;
  /** The neighbour at `address` did not take `id` after all: it may be sent again (the heartbeat's pool, a later announcement). */
  unnote(address: string, id: string): void;
  readonly logger: Logger;
}

/** The ids waiting for one neighbour. */
interface Queue {
  readonly n: AnnounceTarget;
  /** Oldest first (a Set keeps the order it was filled in), each once. */
  readonly ids: Set<string>;
  /** Announced in the exchange under way and not yet taken (or found held) by the neighbour. */
  readonly sending: Set<string>;
  /** An exchange (`ia`, then `tb`) is under way: one at a time. */
  busy: boolean;
  /** The timer fired while busy: flush as soon as the exchange ends. */
  due: boolean;
}

/** One flush timer and the queues it flushes. */
interface Group {
  timer: TimerHandle | null;
  readonly members: Set<Queue>;
}

/** Learned neighbours share one timer: more connections give an observer no finer timing. */
const LEARNED = '';

/**
 * Announcements on version 1.2 connections (docs/spec.md §8): the ids of new transactions wait per
 * neighbour and go out together when a randomised timer fires (a Poisson process of mean `meanMs`),
 * one `ia` of at most {@link MAX_IDS} ids per flush; the bodies the reply wants go in one `tb`.
 * Ids the neighbour did not want, or took, stay noted as known to it; those lost to a failure or
 * refused are unnoted, so the heartbeat's pool exchange or a later announcement retries them. An id
 * the neighbour comes to know by itself while it waits (it announced, sent or fetched it) is dropped.
 */
export class Announcer {
  readonly #ctx: AnnouncerContext;
  readonly #queues = new Map<string, Queue>();
  readonly #groups = new Map<string, Group>();
  readonly #idsPerFrame: number;
  #closed = false;

  constructor(ctx: AnnouncerContext) {
    this.#ctx = ctx;
    this.#idsPerFrame = Math.max(1, Math.min(MAX_IDS, Math.floor((ctx.maxFrame - FRAME_MARGIN) / ID_BYTES)));
  }

  /** Ids waiting for the neighbour at `address`. */
  queued(address: string): number {
    return this.#queues.get(address)?.ids.size ?? 0;
  }

  /** Announce transaction `id` to `n` with the next flush (the relay noted it as known to `n`). */
  announce(n: AnnounceTarget, id: string): void {
    if (this.#closed) return;
    let q = this.#queues.get(n.address);
    if (q?.n !== n) this.#queues.set(n.address, (q = { n, ids: new Set(), sending: new Set(), busy: false, due: false }));
    if (q.ids.has(id)) return;
    q.ids.add(id);
    if (q.ids.size > QUEUE_LIMIT) for (const old of take(q.ids, MAX_IDS)) this.#ctx.unnote(n.address, old);
    this.#wait(q); // while an exchange runs too: the flush times do not depend on how long it takes
  }

  /**
   * True while transaction `id` waits to be announced to the neighbour at `address`, or is being
   * announced and not yet taken: the neighbour cannot be counted on to hold it.
   */
  pending(address: string, id: string): boolean {
    const q = this.#queues.get(address);
    return q !== undefined && (q.ids.has(id) || q.sending.has(id));
  }

  /**
   * The neighbour at `address` has transaction `id` by its own doing (it announced it, sent its
   * body or fetched it): telling it again would cost a message pair and say nothing, so the id
   * leaves its queue (it stays known to the neighbour).
   */
  known(address: string, id: string): void {
    this.#queues.get(address)?.ids.delete(id);
  }

  /** No more flushes; what waits is dropped. */
  close(): void {
    this.#closed = true;
    for (const g of this.#groups.values()) if (g.timer !== null) this.#ctx.timers.clearTimeout(g.timer);
    this.#groups.clear();
    this.#queues.clear();
  }

  /** Join the queue's group and make sure its timer runs. */
  #wait(q: Queue): void {
    const key = q.n.configured ? q.n.address : LEARNED;
    let g = this.#groups.get(key);
    if (!g) this.#groups.set(key, (g = { timer: null, members: new Set() }));
    g.members.add(q);
    if (g.timer !== null) return;
    const group = g;
    g.timer = this.#ctx.timers.setTimeout(() => this.#fire(key, group), exponentialGap(this.#ctx.meanMs, this.#ctx.random));
  }

  #fire(key: string, g: Group): void {
    g.timer = null;
    if (this.#groups.get(key) === g) this.#groups.delete(key);
    for (const q of g.members) {
      if (q.busy) q.due = true;
      else void this.#flush(q);
    }
  }

  async #flush(q: Queue): Promise<void> {
    const { n } = q;
    if (this.#queues.get(n.address) !== q || this.#closed) return;
    if (n.state !== 'open' || n.version !== '1.2') {
      // The connection went away or changed: its memory is forgotten, the next one starts afresh.
      this.#queues.delete(n.address);
      for (const id of q.ids) this.#ctx.unnote(n.address, id);
      return;
    }
    const batch: string[] = [];
    for (const id of q.ids) {
      if (batch.length >= this.#idsPerFrame) break;
      q.ids.delete(id);
      if (this.#ctx.body(id) !== undefined) batch.push(id); // one that left the pool was mined or expired: nothing to say
    }
    q.busy = true;
    try {
      if (batch.length > 0) await this.#exchange(n, batch, q.sending);
    } finally {
      q.sending.clear();
      q.busy = false;
      this.#after(q);
    }
  }

  /** After an exchange: a full batch waiting or a missed turn goes at once, the rest waits for the timer. */
  #after(q: Queue): void {
    if (this.#closed || this.#queues.get(q.n.address) !== q) return;
    if (q.ids.size === 0) {
      this.#queues.delete(q.n.address);
      return;
    }
    if (q.due || q.ids.size >= this.#idsPerFrame) {
      q.due = false;
      void this.#flush(q);
    } else this.#wait(q);
  }

  /** One `ia`, then the wanted bodies in `tb`; what was not taken is unnoted. `sending` holds what the neighbour may still lack. */
  async #exchange(n: AnnounceTarget, ids: string[], sending: Set<string>): Promise<void> {
    const { address } = n;
    for (const id of ids) sending.add(id);
    let want: readonly number[];
    try {
      want = (await n.client.request('ia', { ids })).want;
    } catch (err) {
      this.#ctx.logger.debug(`ia to ${address} failed: ${(err as Error).message}`);
      for (const id of ids) this.#ctx.unnote(address, id);
      return;
    }
    const wanted: { id: string; tx: Transaction }[] = [];
    const asked = new Set(want.map((place) => ids[place]));
    for (const id of ids) if (!asked.has(id)) sending.delete(id); // not wanted: the neighbour has it
    for (const place of want) {
      const id = ids[place];
      if (id === undefined) continue; // a place beyond the batch means nothing
      const tx = this.#ctx.body(id);
      if (tx) wanted.push({ id, tx });
      else this.#ctx.unnote(address, id); // left the pool since: the neighbour asks another
    }
    while (wanted.length > 0) {
      const fits = takeWithin(
        wanted.map((w) => w.tx),
        this.#ctx.maxFrame - FRAME_MARGIN,
      ).length;
      const chunk = wanted.splice(0, Math.max(1, fits));
      try {
        const reply = await n.client.request('tb', { txs: chunk.map((w) => w.tx) });
        for (const w of chunk) sending.delete(w.id);
        for (const r of reply.rejected) {
          const id = chunk[r.index]?.id;
          if (id !== undefined && r.reason !== 'duplicate') this.#ctx.unnote(address, id);
        }
      } catch (err) {
        this.#ctx.logger.debug(`tb to ${address} failed: ${(err as Error).message}`);
        for (const w of [...chunk, ...wanted]) this.#ctx.unnote(address, w.id);
        return;
      }
    }
  }
}

/** Take the `count` oldest ids out of `ids`. */
function take(ids: Set<string>, count: number): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (out.length >= count) break;
    out.push(id);
    ids.delete(id);
  }
  return out;
}
