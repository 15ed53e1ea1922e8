import { identifyBlock, type AddBlockResult, type Block, type ChainState } from '@chain/core';
import type { Logger } from '@chain/net';
import { DEFAULT_LIMITS, type GbReply, type GhReply } from '@chain/protocol';
import type { Neighbour } from '../neighbours';
import type { TimerHandle, Timers } from '../timers';
import { fromNeighbour, type Source } from '../source';
import { HeaderChain } from './header-chain';
import { BodyQueue, DEFAULT_BODY_LIMITS, matchReply, type BodyLimits, type Range } from './bodies';
import { breaksProtocol } from './failures';
import { MAX_IN_FLIGHT, StallClock, canTake, emptyBackoff, newSource, probedReach, replied, type SourceState } from './sources';

/** What a download needs: nothing of the peer but this. */
export interface DownloadContext {
  /** Read only: what is held, locators. */
  readonly chain: ChainState;
  readonly logger: Logger;
  readonly timers: Timers;
  now(): number;
  accept(blocks: readonly unknown[], source: Source): Promise<AddBlockResult[]>;
  /** A neighbour sent an invalid header or block. */
  distrust(address: string, why: string): Promise<void>;
  /** A request to `n` failed because of the other side. */
  failed(n: Neighbour): void;
  /** Connections that speak 1.2 and reported a tip: where bodies may come from. */
  sources(): readonly Neighbour[];
  /** `received` blocks were added. */
  progress(received: number): void;
}

/**
 * How a download ended: `held`, the lead's tip (or everything it offered) is stored; `invalid`,
 * a header or block broke the rules; `stalled`, it stopped short of the lead's tip; `changed`, the
 * lead's best chain moved away from the headers held; `stopped`, from outside.
 */
export type DownloadEnd = 'held' | 'invalid' | 'stalled' | 'changed' | 'stopped';

/** Transactions handed to the intake at once (the verify threads take them in slices). */
export const ADD_TXS = 16_384;

/**
 * A headers-first download (protocol 1.2) from `lead`: its headers with `gh`, checked and held a
 * window at a time, then the bodies with `gb` in distinct ranges from every 1.2 neighbour known to
 * have them (its reported tip is a header held, or a one-header `gh` shows its chain holds the
 * last one), each block asked of one source at a time and added in order as the ranges complete.
 * A source that fails, sends what was not asked, or stalls loses its ranges to the others.
 */
export class HeadersDownload {
  readonly lead: Neighbour;
  readonly #ctx: DownloadContext;
  readonly #hc: HeaderChain;
  readonly #bodies: BodyQueue<Neighbour>;
  readonly #states = new Map<Neighbour, SourceState<Neighbour>>();
  readonly #dropped = new Set<Neighbour>();
  #asking = false;
  /** No more headers are asked of the lead: its tip is reached, or it failed. */
  #headersDone = false;
  /** The lead's headers reached its tip. */
  #tipReached = false;
  #adding = false;
  readonly #stall = new StallClock();
  #stallTimer: TimerHandle | null = null;
  /** Empty `gh` replies from the lead in a row, and when it may be asked again. */
  #emptyHeaders = 0;
  #headersAt = 0;
  /** A pump set for when a wait after an empty reply ends. */
  #wakeTimer: TimerHandle | null = null;
  #wakeAt = 0;
  #end: DownloadEnd | null = null;
  #resolve: (end: DownloadEnd) => void = () => undefined;
  readonly #done: Promise<DownloadEnd>;

  constructor(ctx: DownloadContext, lead: Neighbour, limits: BodyLimits = DEFAULT_BODY_LIMITS, hc = new HeaderChain(ctx.chain)) {
    this.#ctx = ctx;
    this.lead = lead;
    this.#hc = hc;
    const rows = {
      txCount: (h: number) => hc.at(h)?.txCount ?? 1,
      get lastHeight() {
        return hc.lastHeight;
      },
    };
    this.#bodies = new BodyQueue<Neighbour>(0, rows, limits);
    this.#done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Run to the end. */
  run(): Promise<DownloadEnd> {
    this.#pump();
    return this.#done;
  }

  /** A neighbour reported a tip: it may serve bodies. */
  offer(): void {
    this.#pump();
  }

  stop(): void {
    this.#finish('stopped');
  }

  #finish(end: DownloadEnd): void {
    if (this.#end) return;
    this.#end = end;
    if (this.#stallTimer !== null) this.#ctx.timers.clearTimeout(this.#stallTimer);
    if (this.#wakeTimer !== null) this.#ctx.timers.clearTimeout(this.#wakeTimer);
    this.#stallTimer = this.#wakeTimer = null;
    this.#resolve(end);
  }

  /** Start whatever can start now (headers, ranges, probes, adding), or end. */
  #pump(): void {
    if (this.#end) return;
    const hc = this.#hc;
    // Headers are asked again once half a reply (or half the window) is free.
    const now = this.#ctx.now();
    const roomy = hc.room > 0 && hc.room >= Math.min(DEFAULT_LIMITS.maxHeaders, hc.capacity) / 2;
    if (!this.#headersDone && !this.#asking && roomy) {
      if (now >= this.#headersAt) void this.#askHeaders();
      else this.#wake(this.#headersAt - now);
    }
    if (hc.base !== null) {
      if (this.#bodies.added < hc.base.index) this.#bodies.addedTo(hc.base.index); // held already: nothing to fetch up to the base
      for (const n of this.#candidates()) {
        const s = this.#state(n);
        const tipAt = n.tip === null ? undefined : hc.heightOf(n.tip);
        s.reach = Math.min(Math.max(s.reach, n === this.lead ? hc.lastHeight : (tipAt ?? 0)), s.lacks - 1);
        if (s.waitUntil > now) this.#wake(s.waitUntil - now);
        while (!s.stalled && s.waitUntil <= now && s.ranges.size < MAX_IN_FLIGHT) {
          const range = this.#bodies.take(n, s.reach, now);
          if (!range) break;
          s.ranges.add(range);
          void this.#fetch(n, s, range);
        }
        // As soon as the window grows past what it is known to have: one header, asked beside its ranges.
        if (!s.probing && n.height > s.reach && hc.lastHeight > Math.max(s.reach, s.probedAt)) void this.#probe(n, s);
      }
      if (!this.#adding) {
        const ready = this.#bodies.ready(ADD_TXS);
        if (ready.length > 0) void this.#add(ready);
      }
    }
    this.#armStall();
    this.#maybeEnd();
  }

  #maybeEnd(): void {
    if (this.#end || this.#adding) return;
    const chain = this.#ctx.chain;
    const stored = this.#hc.base !== null && this.#bodies.added >= this.#hc.lastHeight;
    if (this.#headersDone && (stored || this.#hc.base === null)) {
      const tip = this.lead.tip;
      this.#finish((tip !== null && chain.meta(tip) !== undefined) || (this.#tipReached && stored) ? 'held' : 'stalled');
      return;
    }
    // Nothing asked, nothing waited for, and nothing more can be asked: the rest cannot be had now.
    const busy = this.#asking || this.#wakeTimer !== null || [...this.#states.values()].some((s) => s.ranges.size > 0 || s.probing);
    if (!busy && !(this.#bodies.ready(1).length > 0)) this.#finish('stalled');
  }

  #candidates(): Neighbour[] {
    const out = new Set<Neighbour>([this.lead, ...this.#ctx.sources()]);
    return [...out].filter((n) => n.state === 'open' && !this.#dropped.has(n));
  }

  #state(n: Neighbour): SourceState<Neighbour> {
    let s = this.#states.get(n);
    if (!s) this.#states.set(n, (s = newSource()));
    return s;
  }

  /** `n` is no longer asked: it failed, broke the protocol or misbehaved; its ranges are free. */
  #drop(n: Neighbour, err?: unknown): void {
    if (err !== undefined) this.#ctx.logger.debug(`download from ${n.address}: ${(err as Error).message}`);
    if (err !== undefined && breaksProtocol(err)) this.#ctx.failed(n);
    this.#dropped.add(n);
    for (const r of this.#states.get(n)?.ranges ?? []) this.#bodies.release(r);
    this.#states.delete(n);
    if (n === this.lead) this.#headersDone = true;
  }

  async #askHeaders(): Promise<void> {
    const { chain, now } = this.#ctx;
    const lead = this.lead;
    const hc = this.#hc;
    this.#asking = true;
    const before = hc.lastHeight;
    let reply: GhReply;
    try {
      reply = await lead.client.request('gh', {
        locator: hc.locator(chain.locator()),
        limit: Math.min(DEFAULT_LIMITS.maxHeaders, hc.room),
      });
    } catch (err) {
      this.#asking = false;
      if (this.#end) return;
      this.#drop(lead, err);
      return this.#pump();
    }
    this.#asking = false;
    if (this.#end) return;
    lead.height = reply.height;
    const r = hc.extend(reply.headers, now());
    const stop = r.stop;
    if (stop?.kind === 'invalid') {
      await this.#ctx.distrust(lead.address, `sent an invalid header: ${stop.reason}: ${stop.message}`);
      return this.#finish('invalid');
    }
    if (stop?.kind === 'switched') return this.#finish('changed');
    if (stop?.kind === 'unlinked') {
      this.#ctx.logger.debug(`gh from ${lead.address} broke the protocol: ${stop.message}`);
      this.#ctx.failed(lead);
    }
    const tipHeld = lead.tip !== null && (hc.heightOf(lead.tip) !== undefined || chain.meta(lead.tip) !== undefined);
    this.#tipReached = !stop && (tipHeld || reply.height <= hc.lastHeight);
    const empty = hc.lastHeight === before;
    this.#emptyHeaders = empty ? this.#emptyHeaders + 1 : 0;
    const wait = empty && !stop && !this.#tipReached ? emptyBackoff(this.#emptyHeaders) : null;
    if (wait !== null)
      this.#headersAt = now() + wait; // nothing now: asked again in a while
    // Its tip is reached, or it claims more than it sends (or its headers stopped): no more headers.
    else if (stop || this.#tipReached || empty) this.#headersDone = true;
    this.#pump();
  }

  /** Ask `n` where its chain leaves the headers held: one header after the first locator hash on it. */
  async #probe(n: Neighbour, s: SourceState<Neighbour>): Promise<void> {
    const { chain } = this.#ctx;
    const hc = this.#hc;
    s.probing = true;
    s.probedAt = hc.lastHeight;
    const locator = hc.locator(chain.locator());
    let reply: GhReply;
    try {
      reply = await n.client.request('gh', { locator, limit: 1 });
    } catch (err) {
      s.probing = false;
      if (this.#end) return;
      this.#drop(n, err);
      return this.#pump();
    }
    s.probing = false;
    if (this.#end || this.#dropped.has(n)) return;
    n.height = reply.height;
    const at = probedReach(locator, reply, (hash) => hc.heightOf(hash) ?? chain.meta(hash)?.index);
    if (at !== undefined) s.reach = Math.max(s.reach, at);
    this.#pump();
  }

  async #fetch(n: Neighbour, s: SourceState<Neighbour>, range: Range<Neighbour>): Promise<void> {
    const { chain } = this.#ctx;
    const hashes: string[] = [];
    for (let h = range.from; h <= range.to; h++) hashes.push((this.#hc.at(h) as { currentHash: string }).currentHash);
    let reply: GbReply;
    try {
      reply = await n.client.request('gb', { hashes });
    } catch (err) {
      if (this.#end) return;
      s.ranges.delete(range);
      this.#bodies.release(range);
      this.#drop(n, err);
      return this.#pump();
    }
    if (this.#end || this.#dropped.has(n)) return; // its ranges were let go with it
    replied(s, range, reply.blocks.length, this.#ctx.now());
    const matched = matchReply(hashes, range.from, reply.blocks, (b) => identifyBlock(b, chain.params, chain.genesisHash));
    if (!matched.ok) {
      this.#bodies.release(range);
      this.#drop(n);
      if (matched.invalid) await this.#ctx.distrust(n.address, `sent invalid block ${matched.message}`);
      else {
        this.#ctx.logger.debug(`gb from ${n.address}: ${matched.message}`);
        this.#ctx.failed(n);
      }
      return this.#pump();
    }
    const blocks = matched.blocks;
    // The hash does not cover a header's txCount, which sizes what is asked: a false one is the lead's lie.
    for (const [h, b] of blocks)
      if (b.transactions.length !== this.#hc.at(h)?.txCount) {
        await this.#ctx.distrust(
          this.lead.address,
          `sent header ${h} with txCount ${this.#hc.at(h)?.txCount}; its block holds ${b.transactions.length}`,
        );
        return this.#finish('invalid');
      }
    const fresh = this.#bodies.delivered(range, blocks);
    if (fresh > 0) this.#stall.arrived();
    this.#pump();
  }

  async #add(ready: readonly { readonly block: Block; readonly source: Neighbour }[]): Promise<void> {
    const ctx = this.#ctx;
    this.#adding = true;
    let results: AddBlockResult[];
    try {
      results = await ctx.accept(
        ready.map((r) => r.block),
        fromNeighbour(this.lead.address),
      );
    } catch (err) {
      ctx.logger.error(`headers-first download: ${(err as Error).message}`);
      this.#adding = false;
      return this.#finish('stalled');
    }
    this.#adding = false;
    if (this.#end) return;
    let ok = 0;
    while (ok < results.length && (results[ok] as AddBlockResult).ok) ok++;
    if (ok > 0) {
      const top = (ready[ok - 1] as { block: Block }).block;
      this.#bodies.addedTo(top.index);
      this.#hc.forget(top.index, ctx.chain.meta(top.currentHash) as NonNullable<ReturnType<ChainState['meta']>>);
      ctx.progress(ok);
    }
    const refused = results[ok];
    if (refused && !refused.ok) {
      const { block, source } = ready[ok] as { block: Block; source: Neighbour };
      if (refused.reason === 'future' || refused.reason === 'unknown-parent') return this.#finish('stalled');
      // An honest peer never offers the header or the body of an invalid block: both senders broke the rules.
      const why = `sent invalid block ${block.currentHash}: ${refused.reason}: ${refused.message}`;
      await Promise.all([...new Set([source, this.lead])].map((n) => ctx.distrust(n.address, why)));
      return this.#finish('invalid');
    }
    if (ok === 0) return this.#finish('stalled'); // nothing could be added: not asked again in a loop
    this.#pump();
  }

  /** Pump again in `ms` (the earliest of the waits asked for). */
  #wake(ms: number): void {
    const at = this.#ctx.now() + ms;
    if (this.#wakeTimer !== null && this.#wakeAt <= at) return;
    if (this.#wakeTimer !== null) this.#ctx.timers.clearTimeout(this.#wakeTimer);
    this.#wakeAt = at;
    this.#wakeTimer = this.#ctx.timers.setTimeout(() => {
      this.#wakeTimer = null;
      this.#pump();
    }, ms);
  }

  /** The range adding waits on, when its source could lose it: it is not stalled yet and another source could take it. */
  #front(): { range: Range<Neighbour>; s: SourceState<Neighbour> } | null {
    const range = this.#bodies.blocking();
    const s = range ? this.#states.get(range.source) : undefined;
    if (!range || !s || s.stalled) return null;
    const usable = (n: Neighbour) => !this.#dropped.has(n) && n.state === 'open';
    return canTake(this.#states, range, usable) ? { range, s } : null;
  }

  /** Set a timer for when the source of the range adding waits on would count as stalled. */
  #armStall(): void {
    const front = this.#end || this.#stallTimer !== null ? null : this.#front();
    if (!front) return;
    const wait = Math.max(0, this.#stall.due(front.range, front.s) - this.#ctx.now()) + 1;
    this.#stallTimer = this.#ctx.timers.setTimeout(() => {
      this.#stallTimer = null;
      this.#checkStall();
      this.#pump();
    }, wait);
  }

  #checkStall(): void {
    const front = this.#front();
    if (!front || this.#ctx.now() < this.#stall.due(front.range, front.s)) return;
    this.#ctx.logger.debug(`${front.range.source.address} sent nothing for ${Math.round(this.#stall.ms)} ms: its ranges go to others`);
    front.s.stalled = true;
    for (const r of front.s.ranges) this.#bodies.release(r);
    this.#stall.stalled();
  }
}
