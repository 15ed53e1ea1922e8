import type { BlockMeta } from './meta';
import { HASH_BYTES, grown, hexInto } from './hash-slots';
import { MetaList } from './meta-list';

/** Rows of the tree's own list are numbered from here; rows of a shared list are below. */
const OWN = 2 ** 30;

/**
 * The rows of the block tree. Without a shared list they are the tree's own {@link MetaList}.
 * With one (a block store's compact list, handed over by a restore) the tree uses that list's
 * rows in place instead of copying them: a shared row is in the tree while its flag is set, and
 * the tree's own list holds only what the store's does not (the genesis, or a block of a store
 * that does not append to the list it returned). The shared list is never written here: the
 * store appends to it, and the tree only sets and clears its own flags.
 *
 * A row number is valid for the life of the block in the tree; a removed own row's number is
 * reused by a later own append.
 */
export class TreeRows {
  readonly #own = new MetaList();
  #shared: MetaList | null = null;
  /** 1 for the shared rows that are in the tree. */
  #member = new Uint8Array(0);
  readonly #key = new Uint8Array(HASH_BYTES);

  /** Whether the rows of a shared list are in use. */
  get sharing(): boolean {
    return this.#shared !== null;
  }

  /**
   * Use the rows of `list` from now on; none of them is in the tree until {@link join}ed.
   * Once only: a tree shares one store's list.
   */
  share(list: MetaList): void {
    if (this.#shared) throw new Error('the block tree already shares a list');
    this.#shared = list;
    this.#member = new Uint8Array(list.length);
  }

  /** The row of the block with this hash in the tree, or -1. */
  rowOf(hash: string): number {
    return hexInto(hash, this.#key, 0) ? this.#rowOfKey() : -1;
  }

  /** Rows of the shared list whose blocks are in the own list already (the genesis, if the store holds it too). */
  sharedCopies(): Set<number> {
    const out = new Set<number>();
    const shared = this.#shared;
    if (!shared) return out;
    const own = this.#own;
    for (let o = 0; o < own.length; o++) {
      if (own.rowOfRowIn(own, o) !== o) continue; // removed
      const row = shared.rowOfRowIn(own, o);
      if (row >= 0) out.add(row);
    }
    return out;
  }

  /**
   * Add a block that is not in the tree: the store's row for it when the shared list has one,
   * else a new row of the own list. Returns its row. Throws when the hash is not 64 lowercase hex.
   */
  push(meta: BlockMeta): number {
    const shared = this.#shared;
    if (shared) {
      if (!hexInto(meta.hash, this.#key, 0)) throw new Error(`not a block hash: ${String(meta.hash).slice(0, 80)}`);
      const row = shared.rowOfBytes(this.#key, 0);
      if (row >= 0) {
        this.join(row);
        return row;
      }
    }
    return OWN + this.#own.push(meta);
  }

  /** Shared row `row` joins the tree (its parent must be in the tree). */
  join(row: number): void {
    if (row >= this.#member.length) this.#member = grown(this.#member, row + 1);
    this.#member[row] = 1;
  }

  /** Whether shared row `row` is in the tree. */
  joined(row: number): boolean {
    return this.#member[row] === 1;
  }

  /** Forget `row`: it is no longer found. Remove a row's children with it. */
  remove(row: number): void {
    if (row >= OWN) this.#own.remove(row - OWN);
    else this.#member[row] = 0;
  }

  /** Make room for `rows` more own rows at once (a restore that copies). */
  reserve(rows: number): void {
    this.#own.reserve(this.#own.length + rows);
  }

  /** Row of the parent of `row` in the tree, or -1 when the parent is not in the tree. */
  parent(row: number): number {
    if (row >= OWN) {
      const p = this.#own.parent(row - OWN);
      if (p >= 0) return OWN + p;
      return this.#shared ? this.rowOf(this.#own.previousHash(row - OWN)) : -1;
    }
    const shared = this.#shared as MetaList;
    const p = shared.parent(row);
    if (p >= 0 && this.#member[p] === 1) return p;
    // Outside the shared list (the genesis), or not in the tree.
    return this.rowOf(shared.previousHash(row));
  }

  /** Height (`index`) of the block at `row`. */
  height(row: number): number {
    return row >= OWN ? this.#own.height(row - OWN) : (this.#shared as MetaList).height(row);
  }

  /** Hash of the block at `row`, as hex. */
  hash(row: number): string {
    return row >= OWN ? this.#own.hash(row - OWN) : (this.#shared as MetaList).hash(row);
  }

  meta(row: number): BlockMeta {
    return row >= OWN ? this.#own.meta(row - OWN) : (this.#shared as MetaList).meta(row);
  }

  #rowOfKey(): number {
    const shared = this.#shared;
    if (shared) {
      const row = shared.rowOfBytes(this.#key, 0);
      if (row >= 0 && this.#member[row] === 1) return row;
    }
    const own = this.#own.rowOfBytes(this.#key, 0);
    return own < 0 ? -1 : OWN + own;
  }
}
