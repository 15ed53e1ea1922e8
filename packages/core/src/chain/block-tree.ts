import type { Reason } from '../types';
import type { BlockMeta } from './store';
import { HASH_BYTES, HashSlots, grown, hexAt, hexInto, type MetaRows } from './meta-rows';

type Rejection = { ok: false; reason: Reason; message: string };

const MAX_INVALID = 10_000;
const MAX_CACHED_SIDE_IDS = 1_024;

/**
 * The tree of known valid blocks: metas by hash, the best chain by height,
 * side branches, and the hashes known to be invalid. Pure bookkeeping: the
 * rules that decide what goes in live in the chain state.
 *
 * Blocks are rows of typed arrays (hash as 32 bytes, the parent as a row
 * number, the best chain as rows by height), about 80 bytes per block and no
 * per-block objects; {@link BlockMeta} objects and hex hashes are made when
 * asked for.
 */
export class BlockTree {
  #hashes = new Uint8Array(0);
  /** Row of the parent; -1 for the genesis and for a block whose parent was pruned (see #detached). */
  #parent = new Int32Array(0);
  #index = new Float64Array(0);
  #timestamp = new Float64Array(0);
  #proof = new Float64Array(0);
  #txCount = new Uint32Array(0);
  #rows = 0;
  readonly #free: number[] = [];
  readonly #byHash = new HashSlots(() => this.#hashes);
  /** previousHash of the rows whose parent is not in the tree (side blocks whose parent was pruned). */
  readonly #detached = new Map<number, string>();
  readonly #genesisPrevious: string;
  /** Best chain: row of the block at height h is #best[h - 1]. */
  #best = new Int32Array(0);
  #height = 0;
  #tip: BlockMeta | null = null;
  readonly #side = new Set<number>();
  readonly #sideIds = new Map<number, readonly string[]>();
  readonly #invalid = new Map<string, Rejection>();
  readonly #maxForkDepth: number;
  readonly #key = new Uint8Array(HASH_BYTES);

  constructor(genesis: BlockMeta, maxForkDepth: number) {
    this.#genesisPrevious = genesis.previousHash;
    const row = this.#addMeta(genesis);
    this.#best = grown(this.#best, 1);
    this.#best[0] = row;
    this.#height = 1;
    this.#maxForkDepth = maxForkDepth;
  }

  get tip(): BlockMeta {
    return (this.#tip ??= this.#meta(this.#best[this.#height - 1] as number));
  }

  get sideCount(): number {
    return this.#side.size;
  }

  get(hash: string): BlockMeta | undefined {
    const row = this.#rowOf(hash);
    return row < 0 ? undefined : this.#meta(row);
  }

  /** Metas of the side-branch blocks, in no particular order. */
  sideMetas(): BlockMeta[] {
    return [...this.#side].map((row) => this.#meta(row));
  }

  hashAt(height: number): string | undefined {
    if (!Number.isInteger(height) || height < 1 || height > this.#height) return undefined;
    return this.#hex(this.#best[height - 1] as number);
  }

  onBest(hash: string): boolean {
    const row = this.#rowOf(hash);
    return row >= 0 && this.#onBest(row);
  }

  invalid(hash: string): Rejection | undefined {
    return this.#invalid.get(hash);
  }

  /** Remember a block as invalid (bounded: the oldest entries go first). */
  markInvalid(hash: string, why: Rejection): Rejection {
    if (this.#invalid.size >= MAX_INVALID) this.#invalid.delete(this.#invalid.keys().next().value as string);
    this.#invalid.set(hash, why);
    return why;
  }

  /** Rebuild from stored metas in storage order: highest wins, the first seen at equal height. */
  restore(metas: MetaRows): void {
    let best = this.#best[this.#height - 1] as number;
    const added = new Int32Array(metas.length);
    let n = 0;
    for (let i = 0; i < metas.length; i++) {
      const at = i * HASH_BYTES;
      if (this.#byHash.find(metas.hashes, at) >= 0) continue;
      const parent = this.#byHash.find(metas.previous, at);
      if (parent < 0) {
        throw new Error(`stored block ${hexAt(metas.hashes, at)} (height ${metas.index[i]}) has an unknown parent ${hexAt(metas.previous, at)}`);
      }
      const row = this.#newRow();
      this.#hashes.set(metas.hashes.subarray(at, at + HASH_BYTES), row * HASH_BYTES);
      this.#set(row, parent, metas.index[i] as number, metas.timestamp[i] as number, metas.proof[i] as number, metas.txCount[i] as number);
      added[n++] = row;
      if ((this.#index[row] as number) > (this.#index[best] as number)) best = row;
    }
    if ((this.#index[best] as number) > 1) this.#setBestPath(best);
    for (let k = 0; k < n; k++) {
      const row = added[k] as number;
      if (!this.#onBest(row)) this.#side.add(row);
    }
  }

  /** The tip's child joins the best chain. */
  extend(meta: BlockMeta): void {
    const row = this.#addMeta(meta);
    this.#best = grown(this.#best, this.#height + 1);
    this.#best[this.#height++] = row;
    this.#tip = null;
  }

  addSide(meta: BlockMeta, ids: readonly string[]): void {
    const row = this.#addMeta(meta);
    this.#side.add(row);
    this.#setSideIds(row, ids);
  }

  /** Cached transaction ids of a side block (a bounded cache). */
  sideIds(hash: string): readonly string[] | undefined {
    const row = this.#rowOf(hash);
    return row < 0 ? undefined : this.#sideIds.get(row);
  }

  setSideIds(hash: string, ids: readonly string[]): void {
    const row = this.#rowOf(hash);
    if (row >= 0) this.#setSideIds(row, ids);
  }

  /** Side metas from just above the fork point up to `hash`, in height order. */
  branchTo(hash: string): BlockMeta[] {
    const out: BlockMeta[] = [];
    for (let row = this.#rowOf(hash); row >= 0 && !this.#onBest(row); row = this.#parent[row] as number) out.push(this.#meta(row));
    return out.reverse();
  }

  /** Make `meta` (a new block whose parent is known) the tip of the best chain. */
  switchTo(meta: BlockMeta, ids: readonly string[]): void {
    const row = this.#addMeta(meta);
    this.#side.add(row);
    this.#setSideIds(row, ids);
    this.#setBestPath(row);
  }

  /** Forget side blocks more than `maxForkDepth` below the tip. */
  pruneSide(): void {
    const index = this.#index;
    const floor = (index[this.#best[this.#height - 1] as number] as number) - this.#maxForkDepth;
    let any = false;
    for (const row of this.#side) if ((index[row] as number) < floor || (this.#parent[row] as number) < 0) any = true;
    if (!any) return;
    // A side block below the floor goes, and so does every side block built on one that goes:
    // a side block in the tree always has its whole branch down to the best chain.
    const pruned = new Set<number>();
    const rows = [...this.#side].sort((x, y) => (index[x] as number) - (index[y] as number));
    for (const row of rows) {
      const parent = this.#parent[row] as number;
      if ((index[row] as number) < floor || parent < 0 || pruned.has(parent)) {
        this.#side.delete(row);
        pruned.add(row);
      }
    }
    for (const row of pruned) {
      this.#byHash.remove(row);
      this.#sideIds.delete(row);
      this.#detached.delete(row);
      this.#free.push(row);
    }
  }


  #rowOf(hash: string): number {
    return hexInto(hash, this.#key, 0) ? this.#byHash.find(this.#key, 0) : -1;
  }

  #hex(row: number): string {
    return hexAt(this.#hashes, row * HASH_BYTES);
  }

  #onBest(row: number): boolean {
    const h = this.#index[row] as number;
    return h <= this.#height && this.#best[h - 1] === row;
  }

  #meta(row: number): BlockMeta {
    const parent = this.#parent[row] as number;
    return {
      hash: this.#hex(row),
      index: this.#index[row] as number,
      timestamp: this.#timestamp[row] as number,
      proof: this.#proof[row] as number,
      previousHash: parent >= 0 ? this.#hex(parent) : (this.#detached.get(row) ?? this.#genesisPrevious),
      txCount: this.#txCount[row] as number,
    };
  }

  #newRow(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const row = this.#rows++;
    const n = this.#rows;
    this.#hashes = grown(this.#hashes, n, HASH_BYTES);
    this.#parent = grown(this.#parent, n);
    this.#index = grown(this.#index, n);
    this.#timestamp = grown(this.#timestamp, n);
    this.#proof = grown(this.#proof, n);
    this.#txCount = grown(this.#txCount, n);
    return row;
  }

  #set(row: number, parent: number, index: number, timestamp: number, proof: number, txCount: number): void {
    this.#parent[row] = parent;
    this.#index[row] = index;
    this.#timestamp[row] = timestamp;
    this.#proof[row] = proof;
    this.#txCount[row] = txCount;
    this.#byHash.insert(row);
  }

  /** Add a block not in the tree yet; returns its row. */
  #addMeta(meta: BlockMeta): number {
    const row = this.#newRow();
    if (!hexInto(meta.hash, this.#hashes, row * HASH_BYTES)) {
      this.#free.push(row);
      throw new Error(`not a block hash: ${String(meta.hash).slice(0, 80)}`);
    }
    const parent = this.#rowOf(meta.previousHash);
    this.#set(row, parent, meta.index, meta.timestamp, meta.proof, meta.txCount);
    if (parent < 0 && this.#rows > 1) this.#detached.set(row, meta.previousHash);
    // Children whose parent was pruned find it again if it comes back.
    if (this.#detached.size > 0) {
      const hash = meta.hash;
      for (const [child, previous] of this.#detached) {
        if (previous === hash) {
          this.#parent[child] = row;
          this.#detached.delete(child);
        }
      }
    }
    return row;
  }

  #setSideIds(row: number, ids: readonly string[]): void {
    if (this.#sideIds.size >= MAX_CACHED_SIDE_IDS) this.#sideIds.delete(this.#sideIds.keys().next().value as number);
    this.#sideIds.set(row, ids);
  }

  #setBestPath(tip: number): void {
    let fork = tip;
    while (fork >= 0 && !this.#onBest(fork)) fork = this.#parent[fork] as number;
    if (fork < 0) throw new Error(`block ${this.#hex(tip)} does not descend from the genesis`);
    const forkHeight = this.#index[fork] as number;
    while (this.#height > forkHeight) this.#side.add(this.#best[--this.#height] as number);
    const height = this.#index[tip] as number;
    this.#best = grown(this.#best, height);
    for (let row = tip; row !== fork; row = this.#parent[row] as number) {
      this.#best[(this.#index[row] as number) - 1] = row;
      this.#side.delete(row);
      this.#sideIds.delete(row);
    }
    this.#height = height;
    this.#tip = null;
  }
}
