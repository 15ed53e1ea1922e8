import { EventEmitter } from 'node:events';
import { locatorHeights, type AddBlockResult, type ChainState, type Transaction } from '@chain/core';
import type { Logger } from '@chain/net';
import { DEFAULT_LIMITS, type HbReply, type HiReply } from '@chain/protocol';
import type { Neighbour } from './neighbours';
import type { PeerEvents } from './events';
import type { Timers } from './timers';
import { fromNeighbour, type Source } from './source';
import { HeadersDownload } from './headers/download';
import { breaksProtocol } from './headers/failures';

/** What the synchroniser needs: nothing of the peer but this. */
export interface SyncContext {
  /** Read only: locators, the tip, what is held. */
  readonly chain: ChainState;
  readonly logger: Logger;
  now(): number;
  /** Where the timers of a download are set. */
  readonly timers: Timers;
  /** The `host:port` this peer tells others in `hb`. */
  listenAddress(): string;
  /** Connections that answer `hb` now: where the next download may come from. */
  links(): readonly Neighbour[];
  accept(blocks: readonly unknown[], source: Source): Promise<AddBlockResult[]>;
  /** Admit transactions received together (journal failures are logged, not thrown). */
  admitAll(txs: readonly unknown[], source: Source): Promise<void>;
  /** Fetch the pool transactions of `ids` (from a 1.2 `hi` reply) that this peer lacks, from `n`. */
  fetchPool(n: Neighbour, ids: readonly string[]): Promise<void>;
  /** A valid `hb` reply came from `n` (a candidate becomes a neighbour). */
  replied(n: Neighbour): void;
  /** An `hb` to `n` failed because of the other side. */
  failed(n: Neighbour): void;
  /** A neighbour sent an invalid block. */
  distrust(address: string, why: string): Promise<void>;
}

/** Events of a {@link Synchronizer}. */
export interface SyncEvents {
  progress: PeerEvents['sync-progress'];
}

/** A download that brought nothing for this long gives way to another neighbour that is ahead (ms). */
export const STALL_MS = 30_000;

/** Least time between syncs started by strangers' blocks with unknown parents (ms). */
export const STRANGER_SPACING_MS = 1000;

/** Most locator entries a request carries. */
const MAX_LOCATOR = DEFAULT_LIMITS.maxLocator;

/**
 * Heartbeat sync (docs/spec.md §6). Every `hb` is a probe: its locator leads with the tips neighbours
 * reported (so a neighbour that only moved on sends only its new blocks, and one on the chain
 * being downloaded sends nothing twice). When a neighbour is ahead, one of them at a time is
 * downloaded from: `hb` after `hb`, each locator moved on to the last block received (the next
 * one asked while a batch is added), until this peer holds its tip, finds its chain invalid, or
 * gets nothing new. Side branches longer than one reply are fetched whole, so any fork heals.
 */
export class Synchronizer extends EventEmitter<SyncEvents> {
  readonly #ctx: SyncContext;
  readonly #running = new Set<Neighbour>();
  /** The neighbour blocks are being downloaded from, when it last brought some, and (1.2) the headers-first download. */
  #download: { readonly n: Neighbour; progressAt: number; headers?: HeadersDownload } | null = null;
  #closed = false;
  /** When a stranger's block last started a sync. */
  #strangerAt = -Infinity;

  constructor(ctx: SyncContext) {
    super();
    this.#ctx = ctx;
  }

  /** The neighbour being downloaded from, if any. */
  get downloading(): Neighbour | null {
    return this.#download?.n ?? null;
  }

  /** Send `n` an `hb` and follow up; one sync per neighbour at a time. */
  syncFrom(n: Neighbour): Promise<void> {
    if (this.#closed) return Promise.resolve();
    n.syncing ??= this.#run(n)
      .catch((err: Error) => this.#ctx.logger.error(`sync with ${n.address} failed: ${err.message}`))
      .finally(() => {
        n.syncing = null;
        this.#running.delete(n);
        if (this.#download?.n === n) {
          this.#download = null;
          this.#next();
        }
      });
    this.#running.add(n);
    return n.syncing;
  }

  /**
   * A block whose parent is unknown came from a stranger: sync from one neighbour (the one
   * furthest ahead), not from every one; nothing when a download is already under way.
   */
  syncOne(): void {
    const now = this.#ctx.now();
    if (this.#closed || this.#download || now - this.#strangerAt < STRANGER_SPACING_MS) return;
    this.#strangerAt = now;
    let best: Neighbour | null = null;
    for (const n of this.#ctx.links()) if (n.state === 'open' && (best === null || n.height > best.height)) best = n;
    if (best) void this.syncFrom(best);
  }

  /** Start no more syncs; a download under way stops. */
  close(): void {
    this.#closed = true;
    this.#download?.headers?.stop();
  }

  /** Resolves when no sync is running. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running].map((n) => n.syncing));
  }

  async #run(n: Neighbour): Promise<void> {
    if (n.version === '1.2') return this.#heartbeat(n);
    const ctx = this.#ctx;
    const chain = ctx.chain;
    let { locator, hinted } = this.#probeLocator(n);
    /** This peer's own locator, behind the last block received in a download. */
    let base = chain.locator();
    /** Height of the highest block of `n`'s chain held from this sync. */
    let reach = 0;
    let next: Promise<HbReply> | null = null;
    for (;;) {
      let reply: HbReply;
      try {
        reply = await (next ?? this.#hb(n, locator));
      } catch (err) {
        ctx.logger.debug(`hb to ${n.address} failed: ${(err as Error).message}`);
        // A refusal, a bad or missing reply counts against the address; a lost connection is counted when it ends.
        if (breaksProtocol(err)) ctx.failed(n);
        return;
      }
      const consumed = next !== null;
      next = null;
      // A valid reply: the same network (a different genesis is answered `er`). A candidate becomes a neighbour.
      ctx.replied(n);
      n.height = reply.height;
      n.tip = reply.hash;
      const last = lastBlock(reply.blocks);
      const ahead = reply.height > chain.height && chain.meta(reply.hash) === undefined;
      const mine = ahead && this.#claim(n);
      // Downloading a batch that joins what this peer holds: ask for the next while this one is added.
      if (mine && last && reply.height > last.index && chain.meta(firstParent(reply.blocks)) !== undefined) {
        locator = [last.hash, ...base].slice(0, MAX_LOCATOR);
        next = this.#hb(n, locator);
        next.catch(() => undefined); // handled when awaited; dropped only when this sync ends in failure
      }
      if (!(await this.#addBlocks(n, reply.blocks))) return;
      await ctx.admitAll(reply.pool as readonly Transaction[], fromNeighbour(n.address));
      if (reply.blocks.length > 0) {
        this.emit('progress', { neighbour: n.address, height: chain.height, target: reply.height, received: reply.blocks.length });
      }
      const progressed = last !== null && last.index > reach && chain.meta(last.hash) !== undefined;
      if (progressed) {
        reach = last.index;
        if (this.#download?.n === n) this.#download.progressAt = ctx.now();
      }
      if (next) continue; // the batch asked ahead is always added
      if (!mine || chain.meta(reply.hash) !== undefined || reply.height <= chain.height) return;
      if (progressed) {
        locator = [(last as LastBlock).hash, ...base].slice(0, MAX_LOCATOR);
      } else if (hinted || consumed) {
        // The probe's hints led past what this peer holds: ask again from its own chain.
        base = chain.locator();
        locator = base;
        hinted = false;
      } else {
        n.stalledTip = reply.hash; // it claims more than it sends: not asked first again until its tip changes
        ctx.logger.debug(`sync from ${n.address} stalled at height ${chain.height} of ${reply.height}`);
        return;
      }
    }
  }

  /**
   * The heartbeat of a 1.2 connection: `hi` tells the neighbour's tip and the ids of its pool; the
   * missing transactions are fetched, and when it is ahead a headers-first download runs from it
   * (one download at a time; during another's, it may serve bodies).
   */
  async #heartbeat(n: Neighbour): Promise<void> {
    const ctx = this.#ctx;
    const chain = ctx.chain;
    let reply: HiReply;
    try {
      reply = await n.client.request('hi', { genesis: chain.genesisHash, listen: ctx.listenAddress() });
    } catch (err) {
      ctx.logger.debug(`hi to ${n.address} failed: ${(err as Error).message}`);
      if (breaksProtocol(err)) ctx.failed(n);
      return;
    }
    ctx.replied(n);
    n.height = reply.height;
    n.tip = reply.hash;
    const pool = ctx.fetchPool(n, reply.pool).catch((err: Error) => ctx.logger.debug(`pool from ${n.address}: ${err.message}`));
    this.#download?.headers?.offer();
    if (reply.height > chain.height && chain.meta(reply.hash) === undefined && this.#claim(n)) {
      const d = this.#download as { n: Neighbour; progressAt: number; headers?: HeadersDownload };
      const download = new HeadersDownload(
        {
          chain,
          logger: ctx.logger,
          timers: ctx.timers,
          now: ctx.now,
          accept: ctx.accept,
          distrust: ctx.distrust,
          failed: ctx.failed,
          sources: () => ctx.links().filter((m) => m.version === '1.2' && m.state === 'open' && m.tip !== null),
          progress: (received) => {
            d.progressAt = ctx.now();
            this.emit('progress', { neighbour: n.address, height: chain.height, target: n.height, received });
          },
        },
        n,
      );
      d.headers = download;
      const end = await download.run();
      if (end === 'stalled') {
        n.stalledTip = n.tip; // not asked first again until its tip changes
        ctx.logger.debug(`headers-first sync from ${n.address} stalled at height ${chain.height} of ${n.height}`);
      }
    }
    await pool;
  }

  /**
   * Take the download slot for `n`: free, already its own, or held by a download that ended or
   * brought nothing for {@link STALL_MS} (a headers-first one is then stopped).
   */
  #claim(n: Neighbour): boolean {
    const d = this.#download;
    const now = this.#ctx.now();
    if (d?.n === n) return true;
    if (d && d.n.syncing !== null && now - d.progressAt <= STALL_MS) return false;
    d?.headers?.stop();
    this.#download = { n, progressAt: now };
    return true;
  }

  /** After a download: the next neighbour still ahead (furthest first), if any. */
  #next(): void {
    if (this.#closed) return;
    const chain = this.#ctx.chain;
    let best: Neighbour | null = null;
    for (const n of this.#ctx.links()) {
      if (n.state !== 'open' || n.syncing !== null || n.tip === null || n.height <= chain.height) continue;
      if (chain.meta(n.tip) !== undefined || n.stalledTip === n.tip) continue;
      if (best === null || n.height > best.height) best = n;
    }
    if (best) void this.syncFrom(best);
  }

  /**
   * The locator of a heartbeat to `n`: this peer's own, with the tips that `n` and the neighbour
   * being downloaded from last reported merged in by height, when `n` should not send blocks
   * this peer has or is fetching already: `n`'s own when it is not ahead (or another download
   * runs), the download's tip when that is not held yet.
   */
  #probeLocator(n: Neighbour): { locator: string[]; hinted: boolean } {
    const chain = this.#ctx.chain;
    const own = chain.locator();
    const d = this.#download?.n;
    const hints: { hash: string; height: number }[] = [];
    if (n.tip !== null && (n.height <= chain.height || (d !== undefined && d !== n))) hints.push({ hash: n.tip, height: n.height });
    if (d !== undefined && d !== n && d.tip !== null && chain.meta(d.tip) === undefined) hints.push({ hash: d.tip, height: d.height });
    if (hints.length === 0) return { locator: own, hinted: false };
    const heights = locatorHeights(chain.height);
    const entries = own.map((hash, i) => ({ hash, height: heights[i] as number }));
    for (const h of hints) if (!entries.some((e) => e.hash === h.hash)) entries.push(h);
    entries.sort((x, y) => y.height - x.height); // stable: a hint goes after this peer's block at its height
    const hashes = entries.map((e) => e.hash);
    // The genesis stays last whatever is cut.
    const locator = hashes.length <= MAX_LOCATOR ? hashes : [...hashes.slice(0, MAX_LOCATOR - 1), hashes[hashes.length - 1] as string];
    return { locator, hinted: true };
  }

  #hb(n: Neighbour, locator: string[]): Promise<HbReply> {
    return n.client.request('hb', { genesis: this.#ctx.chain.genesisHash, locator, listen: this.#ctx.listenAddress() });
  }

  /** Add blocks in order; false when the neighbour sent an invalid one (it is then distrusted). */
  async #addBlocks(n: Neighbour, blocks: readonly unknown[]): Promise<boolean> {
    if (blocks.length === 0) return true;
    // Together: validated in order, stored with one group commit.
    const results = await this.#ctx.accept(blocks, fromNeighbour(n.address));
    const last = results[results.length - 1];
    if (last === undefined || last.ok) return true;
    if (last.reason === 'future' || last.reason === 'unknown-parent') return true; // not proven invalid: try again later
    const block = blocks[results.length - 1];
    await this.#ctx.distrust(
      n.address,
      `sent invalid block ${(block as { currentHash?: unknown }).currentHash}: ${last.reason}: ${last.message}`,
    );
    return false;
  }
}

/** The last block of a reply, as far as its hash and index can be read. */
interface LastBlock {
  readonly hash: string;
  readonly index: number;
}

function lastBlock(blocks: readonly unknown[]): LastBlock | null {
  const b = blocks[blocks.length - 1] as { index?: unknown; currentHash?: unknown } | undefined;
  if (!b || typeof b.index !== 'number' || typeof b.currentHash !== 'string' || !HASH.test(b.currentHash)) return null;
  return { hash: b.currentHash, index: b.index };
}

/** The `previousHash` of a reply's first block ('' when there is none to read). */
function firstParent(blocks: readonly unknown[]): string {
  const p = (blocks[0] as { previousHash?: unknown } | undefined)?.previousHash;
  return typeof p === 'string' ? p : '';
}

/** A block hash as the protocol writes it. */
const HASH = /^[0-9a-f]{64}$/;
