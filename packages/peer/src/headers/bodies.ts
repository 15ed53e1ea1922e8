import { DEFAULT_LIMITS } from '@chain/protocol';
import type { Block, BlockIdentity } from '@chain/core';

/** Bounds of the bodies being fetched. */
export interface BodyLimits {
  /** Transactions a range holds at most (a range of one block may hold more). */
  readonly rangeTxs: number;
  /** Blocks a range holds at most (a `gb` request's hashes). */
  readonly rangeBlocks: number;
  /** Transactions asked for or received and not yet added, at most (the range at the front is always asked). */
  readonly aheadTxs: number;
}

/** Ranges of about 2048 transactions (0.5 MB of signed ones); 32,768 transactions in flight or waiting. */
export const DEFAULT_BODY_LIMITS: BodyLimits = Object.freeze({
  rangeTxs: 2048,
  rangeBlocks: DEFAULT_LIMITS.maxGetBlocks,
  aheadTxs: 32_768,
});

/** A `gb` request: heights `from` to `to` (inclusive), asked of `source` at `sentAt`. */
export interface Range<S> {
  readonly source: S;
  readonly from: number;
  readonly to: number;
  readonly sentAt: number;
}

type Slot<S> = { readonly range: Range<S> } | { readonly block: Block; readonly txs: number; readonly source: S };

/** The header rows the queue reads: the transactions of the block at a height, the last height held. */
export interface HeaderRows {
  txCount(height: number): number;
  readonly lastHeight: number;
}

/**
 * Which block bodies are asked of whom, and those received and not yet added. Heights above
 * `added` are free (nobody is asked), asked (of the source of one range) or received. A source
 * takes the lowest free heights it has, in a range of bounded size, so that each block is asked
 * of one source at a time and the blocks are added in order as they complete; a range that
 * failed, came back short or was taken from a stalled source is free again for anyone.
 */
export class BodyQueue<S> {
  readonly #limits: BodyLimits;
  readonly #rows: HeaderRows;
  readonly #slots = new Map<number, Slot<S>>();
  #added: number;

  constructor(added: number, rows: HeaderRows, limits: BodyLimits = DEFAULT_BODY_LIMITS) {
    this.#added = added;
    this.#rows = rows;
    this.#limits = limits;
  }

  /** The highest height added. */
  get added(): number {
    return this.#added;
  }

  /** Heights asked or received above {@link added}. */
  get pending(): number {
    return this.#slots.size;
  }

  /** Transactions asked for or received and not added. */
  get aheadTxs(): number {
    let n = 0;
    for (const [h, s] of this.#slots) n += 'block' in s ? s.txs : this.#rows.txCount(h);
    return n;
  }

  /** Whether every height up to the last header is received or added. */
  get complete(): boolean {
    for (let h = this.#added + 1; h <= this.#rows.lastHeight; h++)
      if (!(this.#slots.get(h) as { block?: Block } | undefined)?.block) return false;
    return true;
  }

  /** The range holding the lowest height not received: what adding waits on. */
  blocking(): Range<S> | null {
    for (let h = this.#added + 1; h <= this.#rows.lastHeight; h++) {
      const s = this.#slots.get(h);
      if (!s) return null;
      if ('range' in s) return s.range;
    }
    return null;
  }

  /** The next range for `source`, which has the blocks up to height `reach`; null when none is due. */
  take(source: S, reach: number, now: number): Range<S> | null {
    const last = Math.min(reach, this.#rows.lastHeight);
    let from = this.#added + 1;
    while (from <= last && this.#slots.has(from)) from++;
    if (from > last) return null;
    const rows = this.#rows;
    let txs = rows.txCount(from);
    if (from > this.#added + 1 && this.aheadTxs + txs > this.#limits.aheadTxs) return null;
    let to = from;
    while (
      to < last &&
      !this.#slots.has(to + 1) &&
      to + 1 - from < this.#limits.rangeBlocks &&
      txs + rows.txCount(to + 1) <= this.#limits.rangeTxs
    )
      txs += rows.txCount(++to);
    const range: Range<S> = { source, from, to, sentAt: now };
    for (let h = from; h <= to; h++) this.#slots.set(h, { range });
    return range;
  }

  /**
   * Blocks came for `range` (by height, each checked against its header): those not received yet
   * are kept, whoever else they were asked of since; the range's other heights are free again.
   * Returns how many were new.
   */
  delivered(range: Range<S>, blocks: ReadonlyMap<number, Block>): number {
    let fresh = 0;
    for (let h = Math.max(range.from, this.#added + 1); h <= range.to; h++) {
      const s = this.#slots.get(h);
      if (s && 'block' in s) continue;
      const block = blocks.get(h);
      if (block) {
        this.#slots.set(h, { block, txs: block.transactions.length, source: range.source });
        fresh++;
      } else if (askedOf(s, range)) this.#slots.delete(h);
    }
    return fresh;
  }

  /** The heights still asked of `range` are free again (it failed, or its source stalled). */
  release(range: Range<S>): void {
    for (let h = range.from; h <= range.to; h++) if (askedOf(this.#slots.get(h), range)) this.#slots.delete(h);
  }

  /** Received blocks from the lowest height not added, in order: `maxTxs` transactions at most (one block at least). */
  ready(maxTxs: number): { readonly block: Block; readonly source: S }[] {
    const out: { block: Block; source: S }[] = [];
    let txs = 0;
    for (let h = this.#added + 1; ; h++) {
      const s = this.#slots.get(h);
      if (!s || !('block' in s) || (out.length > 0 && txs + s.txs > maxTxs)) break;
      out.push({ block: s.block, source: s.source });
      txs += s.txs;
    }
    return out;
  }

  /** Blocks up to `height` were added: they leave the queue. */
  addedTo(height: number): void {
    for (let h = this.#added + 1; h <= height; h++) this.#slots.delete(h);
    this.#added = Math.max(this.#added, height);
  }

  /** A received block failed to be added: its height (and what the same source sent above it) is free again. */
  drop(height: number, source: S): void {
    for (const [h, s] of this.#slots) if (h >= height && 'block' in s && s.source === source) this.#slots.delete(h);
  }
}

function askedOf<S>(slot: Slot<S> | undefined, range: Range<S>): boolean {
  return slot !== undefined && 'range' in slot && slot.range === range;
}

/** A `gb` reply matched to the heights asked: the blocks by height, or why it is refused. */
export type Matched =
  { readonly ok: true; readonly blocks: Map<number, Block> } | { readonly ok: false; readonly invalid: boolean; readonly message: string };

/**
 * The blocks of a `gb` reply to `hashes` (heights from `from`), in the order asked, each the block
 * of its header: its contents hash to the hash asked (a block is its contents). A block whose
 * identity fails is `invalid` (its sender sent an invalid block); one not asked, or out of order,
 * breaks the protocol.
 */
export function matchReply(
  hashes: readonly string[],
  from: number,
  reply: readonly unknown[],
  identify: (block: unknown) => BlockIdentity,
): Matched {
  const blocks = new Map<number, Block>();
  let j = 0;
  for (const b of reply) {
    const claimed = (b as { currentHash?: unknown } | null)?.currentHash;
    while (j < hashes.length && hashes[j] !== claimed) j++;
    if (j === hashes.length) return { ok: false, invalid: false, message: 'a block that was not asked, or out of order' };
    const id = identify(b);
    if (!id.ok) return { ok: false, invalid: true, message: `${String(claimed)}: ${id.reason}: ${id.message}` };
    blocks.set(from + j++, id.block);
  }
  return { ok: true, blocks };
}
