/** The block tree as it was with one object per block and string keys: the reference the compact tree is tested against. */
import type { Reason } from '../src/types';
import type { BlockMeta } from '../src/chain/meta';

type Rejection = { ok: false; reason: Reason; message: string };

const MAX_INVALID = 10_000;
const MAX_CACHED_SIDE_IDS = 1_024;

/**
 * The tree of known valid blocks: metas by hash, the best chain by height,
 * side branches, and the hashes known to be invalid. Pure bookkeeping: the
 * rules that decide what goes in live in the chain state.
 */
export class ReferenceTree {
  readonly #metas = new Map<string, BlockMeta>();
  readonly #best: string[] = [];
  readonly #side = new Set<string>();
  readonly #sideIds = new Map<string, readonly string[]>();
  readonly #invalid = new Map<string, Rejection>();
  readonly #maxForkDepth: number;

  constructor(genesis: BlockMeta, maxForkDepth: number) {
    this.#metas.set(genesis.hash, genesis);
    this.#best.push(genesis.hash);
    this.#maxForkDepth = maxForkDepth;
  }

  get tip(): BlockMeta {
    return this.#metas.get(this.#best[this.#best.length - 1] as string) as BlockMeta;
  }

  get sideCount(): number {
    return this.#side.size;
  }

  get(hash: string): BlockMeta | undefined {
    return this.#metas.get(hash);
  }

  /** Metas of the side-branch blocks, in no particular order. */
  sideMetas(): BlockMeta[] {
    return [...this.#side].map((hash) => this.#metas.get(hash) as BlockMeta);
  }

  hashAt(height: number): string | undefined {
    return this.#best[height - 1];
  }

  onBest(hash: string): boolean {
    const m = this.#metas.get(hash);
    return m !== undefined && this.#best[m.index - 1] === hash;
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
  restore(metas: readonly BlockMeta[]): void {
    let best = this.tip;
    for (const m of metas) {
      if (this.#metas.has(m.hash)) continue;
      if (!this.#metas.has(m.previousHash)) {
        throw new Error(`stored block ${m.hash} (height ${m.index}) has an unknown parent ${m.previousHash}`);
      }
      this.#metas.set(m.hash, m);
      this.#side.add(m.hash);
      if (m.index > best.index) best = m;
    }
    if (best.index > 1) this.#setBestPath(best);
  }

  /** The tip's child joins the best chain. */
  extend(meta: BlockMeta): void {
    this.#metas.set(meta.hash, meta);
    this.#best.push(meta.hash);
  }

  addSide(meta: BlockMeta, ids: readonly string[]): void {
    this.#metas.set(meta.hash, meta);
    this.#side.add(meta.hash);
    this.setSideIds(meta.hash, ids);
  }

  /** Cached transaction ids of a side block (a bounded cache). */
  sideIds(hash: string): readonly string[] | undefined {
    return this.#sideIds.get(hash);
  }

  setSideIds(hash: string, ids: readonly string[]): void {
    if (this.#sideIds.size >= MAX_CACHED_SIDE_IDS) this.#sideIds.delete(this.#sideIds.keys().next().value as string);
    this.#sideIds.set(hash, ids);
  }

  /** Side metas from just above the fork point up to `hash`, in height order. */
  branchTo(hash: string): BlockMeta[] {
    const out: BlockMeta[] = [];
    let m = this.#metas.get(hash);
    while (m && !this.onBest(m.hash)) {
      out.push(m);
      m = this.#metas.get(m.previousHash);
    }
    return out.reverse();
  }

  /** Make `meta` (a new block whose parent is known) the tip of the best chain. */
  switchTo(meta: BlockMeta, ids: readonly string[]): void {
    this.#metas.set(meta.hash, meta);
    this.#side.add(meta.hash);
    this.setSideIds(meta.hash, ids);
    this.#setBestPath(meta);
  }

  #setBestPath(tip: BlockMeta): void {
    const path: BlockMeta[] = [];
    let m: BlockMeta | undefined = tip;
    while (m && !this.onBest(m.hash)) {
      path.push(m);
      m = this.#metas.get(m.previousHash);
    }
    if (!m) throw new Error(`block ${tip.hash} does not descend from the genesis`);
    for (let h = this.#best.length; h > m.index; h--) this.#side.add(this.#best.pop() as string);
    for (let i = path.length - 1; i >= 0; i--) {
      const p = path[i] as BlockMeta;
      this.#best.push(p.hash);
      this.#side.delete(p.hash);
      this.#sideIds.delete(p.hash);
    }
  }

  /** Forget side blocks more than `maxForkDepth` below the tip. */
  pruneSide(): void {
    const floor = this.tip.index - this.#maxForkDepth;
    const pruned = new Set<string>();
    const side = [...this.#side].map((hash) => this.#metas.get(hash) as BlockMeta).sort((a, b) => a.index - b.index);
    for (const m of side) {
      if (m.index < floor || pruned.has(m.previousHash) || !this.#metas.has(m.previousHash)) {
        pruned.add(m.hash);
        this.#side.delete(m.hash);
        this.#sideIds.delete(m.hash);
        this.#metas.delete(m.hash);
      }
    }
  }
}
