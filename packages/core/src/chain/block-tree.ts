import type { BlockMeta } from './meta';
import { BoundedMap } from '../primitives/bounded-map';
import { grown } from './hash-slots';
import { MetaList, type StoredMetas } from './meta-list';
import type { Rejection } from './results';
import { SideIds } from './side-ids';
import { TreeRows } from './tree-rows';

const MAX_INVALID = 10_000;
const MAX_CACHED_SIDE_BLOCKS = 1_024;
/** Ids of side blocks cached in all: a few MB of hex strings, however large the blocks. */
const MAX_CACHED_SIDE_IDS = 65_536;

/**
 * The tree of known valid blocks: metas by hash, the best chain by height,
 * side branches, and the hashes known to be invalid. Pure bookkeeping: the
 * rules that decide what goes in live in the chain state.
 *
 * Blocks are rows of a {@link MetaList} (hash as 32 bytes, the parent as a row
 * number) and the best chain is rows by height, with no per-block objects;
 * {@link BlockMeta} objects and hex hashes are made when asked for. Restored from
 * a block store's compact list, the tree uses that list's rows in place
 * ({@link TreeRows}): about 5 bytes per block of its own (the best chain's row and a flag).
 */

export class BlockTree {
  /** Every block in the tree. */
  readonly #list = new TreeRows();
  /** Best chain: row of the block at height h is #best[h - 1]. */
  #best = new Int32Array(1024);
  #height = 0;
  #tip: BlockMeta | null = null;
  readonly #side = new Set<number>();
  readonly #sideIds = new SideIds(MAX_CACHED_SIDE_BLOCKS, MAX_CACHED_SIDE_IDS);
  readonly #invalid = new BoundedMap<string, Rejection>(MAX_INVALID);
  readonly #maxForkDepth: number;

  constructor(genesis: BlockMeta, maxForkDepth: number) {
    this.#best[0] = this.#list.push(genesis);
    this.#height = 1;
    this.#maxForkDepth = maxForkDepth;
  }

  get tip(): BlockMeta {
    return (this.#tip ??= this.#list.meta(this.#best[this.#height - 1] as number));
  }

  get sideCount(): number {
    return this.#side.size;
  }

  get(hash: string): BlockMeta | undefined {
    const row = this.#list.rowOf(hash);
    return row < 0 ? undefined : this.#list.meta(row);
  }

  /** Metas of the side-branch blocks, in no particular order. */
  sideMetas(): BlockMeta[] {
    return [...this.#side].map((row) => this.#list.meta(row));
  }

  hashAt(height: number): string | undefined {
    if (!Number.isInteger(height) || height < 1 || height > this.#height) return undefined;
    return this.#list.hash(this.#best[height - 1] as number);
  }

  onBest(hash: string): boolean {
    const row = this.#list.rowOf(hash);
    return row >= 0 && this.#onBest(row);
  }

  invalid(hash: string): Rejection | undefined {
    return this.#invalid.get(hash);
  }

  /** Remember a block as invalid (bounded: the oldest entries go first). */
  markInvalid(hash: string, why: Rejection): Rejection {
    this.#invalid.set(hash, why);
    return why;
  }

  /**
   * Rebuild from stored metas in storage order: highest wins, the first seen at equal height.
   * A store's compact list is shared, not copied (once: a later restore copies).
   */
  restore(metas: StoredMetas): void {
    if (metas instanceof MetaList && !this.#list.sharing) this.#restoreShared(metas);
    else this.#restoreCopy(metas);
  }

  #restoreShared(stored: MetaList): void {
    const list = this.#list;
    list.share(stored);
    const copies = list.sharedCopies();
    const n = stored.length;
    let best = this.#best[this.#height - 1] as number;
    let bestHeight = list.height(best);
    for (let i = 0; i < n; i++) {
      if (copies.size > 0 && copies.has(i)) continue;
      // The parent is an earlier row of the store, or in the tree already (the genesis).
      const p = stored.parent(i);
      if (!(p >= 0 && p < i && list.joined(p)) && list.rowOf(stored.previousHash(i)) < 0) throw unknownParent(stored.meta(i));
      list.join(i);
      const height = stored.height(i);
      if (height > bestHeight) {
        best = i;
        bestHeight = height;
      }
    }
    if (bestHeight > 1) this.#setBestPath(best);
    for (let i = 0; i < n; i++) if (list.joined(i) && !this.#onBest(i)) this.#side.add(i);
  }

  #restoreCopy(metas: StoredMetas): void {
    const list = this.#list;
    if (!list.sharing) list.reserve(metas.length); // one allocation of the final size
    let best = this.#best[this.#height - 1] as number;
    const added = new Int32Array(metas.length);
    let n = 0;
    for (let i = 0; i < metas.length; i++) {
      const m = metas.meta(i);
      if (list.rowOf(m.hash) >= 0) continue;
      if (list.rowOf(m.previousHash) < 0) throw unknownParent(m);
      const row = list.push(m);
      added[n++] = row;
      if (list.height(row) > list.height(best)) best = row;
    }
    if (list.height(best) > 1) this.#setBestPath(best);
    for (let k = 0; k < n; k++) {
      const row = added[k] as number;
      if (!this.#onBest(row)) this.#side.add(row);
    }
  }

  /** The tip's child joins the best chain. */
  extend(meta: BlockMeta): void {
    const row = this.#list.push(meta);
    this.#best = grown(this.#best, this.#height + 1);
    this.#best[this.#height++] = row;
    this.#tip = null;
  }

  addSide(meta: BlockMeta, ids: readonly string[]): void {
    const row = this.#list.push(meta);
    this.#side.add(row);
    this.#setSideIds(row, ids);
  }

  /** Cached transaction ids of a side block (a bounded cache). */
  sideIds(hash: string): readonly string[] | undefined {
    const row = this.#list.rowOf(hash);
    return row < 0 ? undefined : this.#sideIds.get(row);
  }

  setSideIds(hash: string, ids: readonly string[]): void {
    const row = this.#list.rowOf(hash);
    if (row >= 0) this.#setSideIds(row, ids);
  }

  /** Side metas from just above the fork point up to `hash`, in height order. */
  branchTo(hash: string): BlockMeta[] {
    const out: BlockMeta[] = [];
    for (let row = this.#list.rowOf(hash); row >= 0 && !this.#onBest(row); row = this.#list.parent(row)) out.push(this.#list.meta(row));
    return out.reverse();
  }

  /** Make `meta` (a new block whose parent is known) the tip of the best chain. */
  switchTo(meta: BlockMeta, ids: readonly string[]): void {
    const row = this.#list.push(meta);
    this.#side.add(row);
    this.#setSideIds(row, ids);
    this.#setBestPath(row);
  }

  /** Make the known block `hash` the tip of the best chain (a restore that chooses by work). */
  makeBest(hash: string): void {
    const row = this.#list.rowOf(hash);
    if (row < 0) throw new Error(`block ${hash} is not in the tree`);
    this.#setBestPath(row);
  }

  /** Forget side blocks more than `maxForkDepth` below the tip. */
  pruneSide(): void {
    const list = this.#list;
    const floor = list.height(this.#best[this.#height - 1] as number) - this.#maxForkDepth;
    let any = false;
    for (const row of this.#side) if (list.height(row) < floor || list.parent(row) < 0) any = true;
    if (!any) return;
    // A side block below the floor goes, and so does every side block built on one that goes:
    // a side block in the tree always has its whole branch down to the best chain.
    const pruned = new Set<number>();
    const rows = [...this.#side].sort((x, y) => list.height(x) - list.height(y));
    for (const row of rows) {
      const parent = list.parent(row);
      if (list.height(row) < floor || parent < 0 || pruned.has(parent)) {
        this.#side.delete(row);
        pruned.add(row);
      }
    }
    for (const row of pruned) {
      list.remove(row);
      this.#sideIds.delete(row);
    }
  }

  #onBest(row: number): boolean {
    const h = this.#list.height(row);
    return h <= this.#height && this.#best[h - 1] === row;
  }

  #setSideIds(row: number, ids: readonly string[]): void {
    this.#sideIds.set(row, ids);
  }

  #setBestPath(tip: number): void {
    const list = this.#list;
    let fork = tip;
    while (fork >= 0 && !this.#onBest(fork)) fork = list.parent(fork);
    if (fork < 0) throw new Error(`block ${list.hash(tip)} does not descend from the genesis`);
    const forkHeight = list.height(fork);
    while (this.#height > forkHeight) this.#side.add(this.#best[--this.#height] as number);
    const height = list.height(tip);
    this.#best = grown(this.#best, height);
    for (let row = tip; row !== fork; row = list.parent(row)) {
      this.#best[list.height(row) - 1] = row;
      this.#side.delete(row);
      this.#sideIds.delete(row);
    }
    this.#height = height;
    this.#tip = null;
  }
}

function unknownParent(m: BlockMeta): Error {
  return new Error(`stored block ${m.hash} (height ${m.index}) has an unknown parent ${m.previousHash}`);
}
