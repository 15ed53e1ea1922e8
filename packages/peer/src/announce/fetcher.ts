import type { AddTxResult } from '@chain/core';
import type { Logger, TimerHandle, Timers, TransportClient } from '@chain/net';
import { fromNeighbour, type Source } from '../source';
import { MAX_IDS } from './announcer';

/** Other announcers remembered per id, asked in turn when the one asked fails. */
export const MAX_ANNOUNCERS = 8;
/** Ids asked of one announcer by `ia` replies and not yet delivered, at most. */
export const PER_ANNOUNCER = MAX_IDS;
/** Ids asked of strangers (connections that are no neighbour's) in all, at most. */
export const STRANGERS = 4 * MAX_IDS;
/** Bytes an id takes in a frame, and the room kept for the rest. */
const ID_BYTES = 67;
const FRAME_MARGIN = 256;

/** Who announced: a neighbour (which this peer can ask again with `gt`) or a stranger's connection. */
export interface AnnouncerRef {
  /** The neighbour's address, or a key of the stranger's connection. */
  readonly key: string;
  /** The neighbour's address; null for a stranger. */
  readonly address: string | null;
}

/** What the fetcher needs. */
export interface FetcherContext {
  now(): number;
  readonly timers: Timers;
  /** How long an asked announcer has to deliver (ms). */
  readonly fetchTimeoutMs: number;
  readonly maxFrame: number;
  /** In the pool or in the chain's window: nothing to fetch. */
  has(id: string): boolean;
  /** This peer's client connection to neighbour `address` when it is open and speaks 1.2. */
  connection(address: string): Pick<TransportClient, 'request'> | undefined;
  /** Admit a received transaction (the rules, then the journal). */
  admit(tx: unknown, source: Source): Promise<AddTxResult>;
  /** The neighbour at `address` has transaction `id`. */
  note(address: string, id: string): void;
  readonly logger: Logger;
}

/** An id being fetched. */
interface Pending {
  /** The key of the announcer asked. */
  readonly asked: string;
  /** Asked by an `ia` reply: counts against that announcer's allowance. */
  readonly charged: boolean;
  readonly deadline: number;
  /** Neighbours that announced it too, asked in turn. */
  readonly next: string[];
}

/**
 * The receiving side of announcements (docs/spec.md §8): which announced transactions to fetch,
 * from whom, and what to do when a body does not come. Each id is asked of one announcer at a
 * time; when its deadline passes without the body (or a copy with a bad signature comes, which
 * says nothing of the id), the next neighbour that announced it is asked with `gt`. Everything is
 * bounded: ids asked per announcer and of strangers in all, announcers per id; so flooding,
 * withholding or wrong bodies cost an announcer its own allowance, not anyone else's transactions.
 */
export class Fetcher {
  readonly #ctx: FetcherContext;
  /** In the order asked, so deadlines only grow: the first is the next due. */
  readonly #pending = new Map<string, Pending>();
  readonly #charged = new Map<string, number>();
  #strangers = 0;
  /** Neighbours whose heartbeat pool is being fetched (one at a time each). */
  readonly #pooling = new Set<string>();
  readonly #idsPerFrame: number;
  #timer: TimerHandle | null = null;
  #closed = false;

  constructor(ctx: FetcherContext) {
    this.#ctx = ctx;
    this.#idsPerFrame = Math.max(1, Math.min(MAX_IDS, Math.floor((ctx.maxFrame - FRAME_MARGIN) / ID_BYTES)));
  }

  /** Ids being fetched. */
  get size(): number {
    return this.#pending.size;
  }

  /** Ids asked of announcer `key` by `ia` replies and not delivered yet. */
  charged(key: string): number {
    return this.#charged.get(key) ?? 0;
  }

  /**
   * `from` announced `ids` (an `ia`): the places of those to send, ascending. Wanted are the ids
   * this peer has neither in its pool nor in its chain, nor asked of another announcer in time,
   * while `from` has allowance left.
   */
  announced(from: AnnouncerRef, ids: readonly string[]): number[] {
    this.#expire();
    const want: number[] = [];
    ids.forEach((id, place) => {
      if (from.address !== null) this.#ctx.note(from.address, id);
      if (this.#ctx.has(id)) return;
      const p = this.#pending.get(id);
      if (p) {
        if (from.address !== null && p.asked !== from.key && p.next.length < MAX_ANNOUNCERS && !p.next.includes(from.address))
          p.next.push(from.address);
        return;
      }
      if (this.charged(from.key) >= PER_ANNOUNCER || (from.address === null && this.#strangers >= STRANGERS)) return;
      this.#ask(id, from.key, true, []);
      want.push(place);
    });
    return want;
  }

  /**
   * A body of `id` came from `key` (in a `tb`, or a `gt` reply) and was judged: admitted or held
   * already ends the fetch; a bad signature is that copy's fault (the signature is not in the id),
   * so when it came from the one asked the next is asked at once; any other refusal would be
   * every copy's, so the fetch ends.
   */
  received(key: string, id: string, result: AddTxResult): void {
    const p = this.#pending.get(id);
    if (!p) return;
    if (!result.ok && result.reason === 'bad-signature') {
      if (p.asked === key) this.#reassign([[id, p]]);
      return;
    }
    this.#end(id, p);
  }

  /**
   * Fetch the transactions of a neighbour's heartbeat pool (`hi` reply ids) that this peer lacks,
   * with `gt` on that neighbour's connection, and admit them; one fetch per neighbour at a time.
   */
  async fetchPool(
    n: { readonly address: string; readonly client: Pick<TransportClient, 'request'> },
    ids: readonly string[],
  ): Promise<void> {
    if (this.#closed || this.#pooling.has(n.address)) return;
    this.#pooling.add(n.address);
    try {
      this.#expire();
      const ask: string[] = [];
      for (const id of new Set(ids.slice(0, MAX_IDS))) {
        this.#ctx.note(n.address, id);
        if (this.#ctx.has(id)) continue;
        const p = this.#pending.get(id);
        if (p) {
          if (p.asked !== n.address && p.next.length < MAX_ANNOUNCERS && !p.next.includes(n.address)) p.next.push(n.address);
          continue;
        }
        this.#ask(id, n.address, false, []);
        ask.push(id);
      }
      await this.#request(n.address, ask, n.client);
    } finally {
      this.#pooling.delete(n.address);
    }
  }

  /** Forget everything; no more requests. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) this.#ctx.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.clear();
    this.#charged.clear();
    this.#strangers = 0;
  }

  #ask(id: string, key: string, charged: boolean, next: string[]): void {
    this.#pending.set(id, { asked: key, charged, deadline: this.#ctx.now() + this.#ctx.fetchTimeoutMs, next });
    if (charged) {
      this.#charged.set(key, this.charged(key) + 1);
      if (isStranger(key)) this.#strangers++;
    }
    this.#arm();
  }

  #end(id: string, p: Pending): void {
    if (this.#pending.get(id) !== p) return;
    this.#pending.delete(id);
    if (!p.charged) return;
    const left = this.charged(p.asked) - 1;
    if (left > 0) this.#charged.set(p.asked, left);
    else this.#charged.delete(p.asked);
    if (isStranger(p.asked)) this.#strangers--;
  }

  /** Ask the next announcer of each, in one `gt` per neighbour; an id nobody else announced is dropped. */
  #reassign(failed: readonly (readonly [string, Pending])[]): void {
    const batches = new Map<string, string[]>();
    for (const [id, p] of failed) {
      this.#end(id, p);
      if (this.#closed || this.#ctx.has(id)) continue;
      const address = this.#nextReachable(p.next);
      // Nobody left: if a neighbour still has it, the heartbeat's pool exchange brings it.
      if (address === undefined) continue;
      this.#ask(id, address, false, p.next);
      let batch = batches.get(address);
      if (!batch) batches.set(address, (batch = []));
      batch.push(id);
    }
    for (const [address, ids] of batches) void this.#request(address, ids, this.#ctx.connection(address));
  }

  /** The first of `next` that this peer can ask now (taken off the list with those before it). */
  #nextReachable(next: string[]): string | undefined {
    for (let address = next.shift(); address !== undefined; address = next.shift()) if (this.#ctx.connection(address)) return address;
    return undefined;
  }

  /** Ask `address` for `ids` (just asked of it) with `gt`, admit what comes, and move on for what does not. */
  async #request(address: string, ids: readonly string[], client: Pick<TransportClient, 'request'> | undefined): Promise<void> {
    const asked = ids.map((id) => [id, this.#pending.get(id)] as const);
    const chunks: (typeof asked)[] = [];
    for (let i = 0; i < asked.length; i += this.#idsPerFrame) chunks.push(asked.slice(i, i + this.#idsPerFrame));
    await Promise.all(chunks.map((chunk) => this.#requestChunk(address, chunk, client)));
  }

  async #requestChunk(
    address: string,
    asked: readonly (readonly [string, Pending | undefined])[],
    client: Pick<TransportClient, 'request'> | undefined,
  ): Promise<void> {
    let txs: readonly unknown[] = [];
    try {
      if (!client) throw new Error('no connection');
      txs = (await client.request('gt', { ids: asked.map(([id]) => id) }, { timeoutMs: this.#ctx.fetchTimeoutMs })).txs;
    } catch (err) {
      this.#ctx.logger.debug(`gt to ${address} failed: ${(err as Error).message}`);
    }
    const source = fromNeighbour(address);
    const results = await Promise.all(txs.map((tx) => this.#ctx.admit(tx, source).catch(() => null)));
    for (const r of results) if (r?.id !== undefined) this.received(address, r.id, r);
    // The reply is all it sends: what it left out goes to the next announcer now (unless its deadline did so already).
    const missed: [string, Pending][] = [];
    for (const [id, p] of asked) if (p !== undefined && this.#pending.get(id) === p) missed.push([id, p]);
    if (missed.length > 0) this.#reassign(missed);
  }

  /** Deal with every ask whose deadline passed. */
  #expire(): void {
    const now = this.#ctx.now();
    const due: [string, Pending][] = [];
    for (const entry of this.#pending) {
      if (entry[1].deadline > now) break;
      due.push(entry);
    }
    if (due.length > 0) this.#reassign(due);
  }

  /** One timer, at the first deadline. */
  #arm(): void {
    if (this.#timer !== null || this.#closed) return;
    const first = this.#pending.values().next();
    if (first.done === true) return;
    this.#timer = this.#ctx.timers.setTimeout(
      () => {
        this.#timer = null;
        this.#expire();
        this.#arm();
      },
      Math.max(0, first.value.deadline - this.#ctx.now()),
    );
  }
}

/** A stranger's connection has a key that no `host:port` address has. */
export function strangerKey(connectionId: number): string {
  return `#${connectionId}`;
}

function isStranger(key: string): boolean {
  return key.startsWith('#');
}
