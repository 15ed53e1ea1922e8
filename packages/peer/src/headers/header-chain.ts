import {
  checkHeader,
  identifyHeader,
  locatorHeights,
  type BlockHeader,
  type BlockMeta,
  type NetworkParams,
  type ParentInfo,
  type Rejection,
  type RetargetFacts,
} from '@chain/core';
import { DEFAULT_LIMITS } from '@chain/protocol';
import { factsAfter, type Run, type StoredView } from '../retarget-view';

/** Headers held ahead of what is stored, at most: two `gh` replies. */
export const MAX_HEADERS_AHEAD = 2 * DEFAULT_LIMITS.maxHeaders;

/** What the header chain reads of the stored chain (`onBestChain` and `hashAt` for a retargeting network's facts). */
export interface StoredChain extends StoredView {
  readonly params: NetworkParams;
  meta(hash: string): BlockMeta | undefined;
  invalidReason(hash: string): Rejection | undefined;
  locatorFrom(hash: string): string[] | undefined;
}

/** A header held as the fields the facts of docs/spec.md §9 read. */
function metaOfHeader(h: BlockHeader): BlockMeta {
  return { hash: h.currentHash, index: h.index, timestamp: h.timestamp, proof: h.proof, previousHash: h.previousHash, txCount: h.txCount };
}

/**
 * Why a reply's headers stopped being taken: `invalid`, a header breaks a rule of the chain (its
 * sender is distrusted); `unlinked`, the headers do not follow a locator hash or each other (a
 * break of the protocol); `switched`, they follow a block this peer has but not the last header
 * held (the sender's best chain moved away from it); `future`, a timestamp ahead of the clock
 * (proves nothing: asked again later); `full`, no room left.
 */
export type StopKind = 'invalid' | 'unlinked' | 'switched' | 'future' | 'full';

export interface ExtendResult {
  /** Headers kept from the reply (those of blocks already held are not counted). */
  readonly added: number;
  readonly stop?: { readonly kind: StopKind; readonly reason?: Rejection['reason']; readonly message: string };
}

/**
 * The headers of a chain being downloaded, beyond the stored block it leaves from (the base),
 * each checked before it is kept: its identity (the claimed hash is the hash of its fields), its
 * link to the header before (or to a block held), and the header rules against its parent
 * (index, parent hash, proof of work, timestamps, the clock; on a retargeting network the target
 * and the median time past that the headers before it and the stored chain set). At most `max` are held: those
 * stored are forgotten as the download goes ({@link forget}).
 */
export class HeaderChain {
  readonly #chain: StoredChain;
  readonly #max: number;
  /** The stored block the first header held follows; null before the first reply. */
  #base: BlockMeta | null = null;
  #headers: BlockHeader[] = [];
  readonly #heights = new Map<string, number>();

  constructor(chain: StoredChain, max = MAX_HEADERS_AHEAD) {
    this.#chain = chain;
    this.#max = max;
  }

  get base(): BlockMeta | null {
    return this.#base;
  }

  /** Headers held. */
  get size(): number {
    return this.#headers.length;
  }

  /** Headers held at most. */
  get capacity(): number {
    return this.#max;
  }

  /** Headers that may still be taken. */
  get room(): number {
    return this.#max - this.#headers.length;
  }

  /** The last header held (or the base) as a parent, null before the first reply. */
  get last(): ParentInfo | null {
    const h = this.#headers[this.#headers.length - 1];
    if (h) return { hash: h.currentHash, index: h.index, timestamp: h.timestamp, proof: h.proof };
    return this.#base;
  }

  /** Height of the last header held (or of the base; 0 before the first reply). */
  get lastHeight(): number {
    return this.last?.index ?? 0;
  }

  /** The header held at `height`. */
  at(height: number): BlockHeader | undefined {
    return this.#base ? this.#headers[height - this.#base.index - 1] : undefined;
  }

  /** Height of a header held, by hash. */
  heightOf(hash: string): number | undefined {
    return this.#heights.get(hash);
  }

  /**
   * A locator from the last header held: held headers at the locator's heights, then the stored
   * chain's locator from the base (64 hashes at most, the genesis kept last); `fallback` (this
   * peer's own locator) before the first reply.
   */
  locator(fallback: readonly string[], max = DEFAULT_LIMITS.maxLocator): string[] {
    const base = this.#base;
    if (!base) return fallback.slice(0, max);
    const held = locatorHeights(this.lastHeight)
      .filter((h) => h > base.index)
      .map((h) => (this.at(h) as BlockHeader).currentHash);
    const all = [...held, ...(this.#chain.locatorFrom(base.hash) ?? fallback)];
    return all.length <= max ? all : [...all.slice(0, max - 1), all[all.length - 1] as string];
  }

  /** Check and keep the headers of a reply, in order, up to the first that fails. */
  extend(headers: readonly BlockHeader[], now: number): ExtendResult {
    const chain = this.#chain;
    const params = chain.params;
    let added = 0;
    const stop = (kind: StopKind, message: string, reason?: Rejection['reason']): ExtendResult => ({
      added,
      stop: { kind, message, reason },
    });
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i] as BlockHeader;
      const prev = this.last;
      if (h.previousHash !== prev?.hash) {
        if (i > 0) return stop('unlinked', `header ${h.index} does not follow the header before it`);
        const parent = chain.meta(h.previousHash);
        if (prev === null && parent) this.#base = parent;
        else if (prev !== null && (parent || this.#heights.has(h.previousHash)))
          return stop('switched', `header ${h.index} follows ${h.previousHash}, not the last header held`);
        else return stop('unlinked', `header ${h.index} follows ${h.previousHash}, which was in no locator`);
      }
      // A block is its contents: the claimed hash first, then what is remembered of it, then the rules.
      const id = identifyHeader(h, params.maxTxPerBlock);
      if (!id.ok) return stop('invalid', `header ${h.index}: ${id.message}`, id.reason);
      const known = chain.meta(id.hash);
      if (known && this.#headers.length === 0) {
        this.#base = known; // held already (a side branch): the chain goes on after it
        continue;
      }
      const remembered = chain.invalidReason(id.hash);
      if (remembered) return stop('invalid', `header ${h.index} is of an invalid block: ${remembered.message}`, remembered.reason);
      const verdict = checkHeader(id, this.last as ParentInfo, { params, now, retarget: this.#factsAfterLast() });
      if (!verdict.ok)
        return stop(verdict.reason === 'future' ? 'future' : 'invalid', `header ${h.index}: ${verdict.message}`, verdict.reason);
      if (this.room <= 0) return stop('full', 'no room for more headers');
      this.#headers.push(h);
      this.#heights.set(id.hash, h.index);
      added++;
    }
    return { added };
  }

  /** What the header after the last one held (or after the base) must meet on a retargeting network. */
  #factsAfterLast(): RetargetFacts | undefined {
    const base = this.#base;
    if (this.#chain.params.retarget === undefined || base === null) return undefined;
    const last = this.#headers[this.#headers.length - 1];
    if (last === undefined) return factsAfter(this.#chain, base);
    const run: Run = {
      base,
      at: (height) => {
        const h = this.at(height);
        return h && metaOfHeader(h);
      },
      get: (hash) => {
        const height = this.#heights.get(hash);
        return height === undefined ? undefined : metaOfHeader(this.at(height) as BlockHeader);
      },
    };
    return factsAfter(this.#chain, metaOfHeader(last), run);
  }

  /** The blocks up to `height` are stored: their headers are let go, the last becoming the base. */
  forget(height: number, base: BlockMeta): void {
    const from = this.#base?.index ?? 0;
    const n = Math.min(this.#headers.length, height - from);
    if (n <= 0) return;
    for (const h of this.#headers.slice(0, n)) this.#heights.delete(h.currentHash);
    this.#headers = this.#headers.slice(n);
    this.#base = base;
  }
}
