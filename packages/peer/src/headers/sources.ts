import type { GhReply } from '@chain/protocol';
import type { Range } from './bodies';

/** Ranges asked of one source at once: one being sent while the next is read. */
export const MAX_IN_FLIGHT = 2;
/**
 * A source that sends nothing for the range adding waits on loses it after this long, doubled at
 * each stall (a slow link is not taken for a dead one twice) and eased back as ranges arrive.
 */
export const STALL = Object.freeze({ initialMs: 2000, maxMs: 64_000 });
/**
 * An empty reply (nothing now: the sender's upload budget, say) is asked again after 25 ms,
 * doubling; after this many in a row from a source, it is taken not to have what was asked.
 */
export const EMPTY_RETRIES = 4;
const EMPTY_BACKOFF_MS = 25;

/** The wait before asking again after the `n`-th empty reply in a row, or null to stop asking. */
export function emptyBackoff(n: number): number | null {
  return n < EMPTY_RETRIES ? EMPTY_BACKOFF_MS * 2 ** (n - 1) : null;
}

/** What a download knows of one source of blocks. */
export interface SourceState<S> {
  /** Highest height of the header chain known to be on its chain. */
  reach: number;
  readonly ranges: Set<Range<S>>;
  lastReplyAt: number;
  /** Empty replies in a row, and when it may be asked again after the last. */
  empties: number;
  waitUntil: number;
  /** The lowest height it sent nothing for, again and again: it is not asked for it or above. */
  lacks: number;
  /** It lost its ranges for sending nothing; no more until it answers. */
  stalled: boolean;
  probing: boolean;
  /** The header chain's height when it was last asked where its chain leaves ours. */
  probedAt: number;
}

export function newSource<S>(): SourceState<S> {
  return {
    reach: 0,
    ranges: new Set(),
    lastReplyAt: 0,
    empties: 0,
    waitUntil: 0,
    lacks: Infinity,
    stalled: false,
    probing: false,
    probedAt: 0,
  };
}

/** A `gb` reply to `range` came with `blocks` blocks at `now`. */
export function replied<S>(s: SourceState<S>, range: Range<S>, blocks: number, now: number): void {
  s.ranges.delete(range);
  s.lastReplyAt = now;
  s.stalled = false;
  if (blocks > 0) {
    s.empties = 0;
    return;
  }
  const wait = emptyBackoff(++s.empties);
  if (wait === null)
    s.lacks = Math.min(s.lacks, range.from); // it does not have them
  else s.waitUntil = now + wait; // nothing now
}

/**
 * Where a one-header `gh` sent with `locator` shows the replier's chain leaves ours: the header
 * after the fork names the fork; no header means its tip is the locator hash at its height.
 */
export function probedReach(
  locator: readonly string[],
  reply: GhReply,
  heightOf: (hash: string) => number | undefined,
): number | undefined {
  const on = reply.headers[0]?.previousHash ?? locator.find((hash) => heightOf(hash) === reply.height);
  return on !== undefined && locator.includes(on) ? heightOf(on) : undefined;
}

/** Whether a source other than the one of `range` could take it now (`usable`: still in the download). */
export function canTake<S>(states: ReadonlyMap<S, SourceState<S>>, range: Range<S>, usable: (n: S) => boolean): boolean {
  for (const [n, s] of states)
    if (n !== range.source && usable(n) && !s.stalled && s.reach >= range.from && s.ranges.size < MAX_IN_FLIGHT) return true;
  return false;
}

/** The stall time: doubled at each stall, eased back by 15 % with each range that brings blocks. */
export class StallClock {
  ms: number = STALL.initialMs;

  stalled(): void {
    this.ms = Math.min(STALL.maxMs, this.ms * 2);
  }

  arrived(): void {
    this.ms = Math.max(STALL.initialMs, this.ms * 0.85);
  }

  /** When the source of `range` counts as stalled (its requests queue: from its last reply at the earliest). */
  due<S>(range: Range<S>, s: SourceState<S>): number {
    return Math.max(range.sentAt, s.lastReplyAt) + this.ms;
  }
}
