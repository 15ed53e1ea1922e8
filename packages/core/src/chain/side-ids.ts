import { BoundedMap } from '../primitives/bounded-map';

/**
 * The transaction ids of recent side blocks, by tree row, oldest forgotten first: bounded in
 * blocks and in ids in all, since one block may hold thousands. A block with more ids than the
 * whole bound is not cached; a miss is recomputed from the store by the caller.
 */
export class SideIds extends BoundedMap<number, readonly string[]> {
  readonly maxIds: number;
  #ids = 0;

  constructor(maxBlocks: number, maxIds: number) {
    super(maxBlocks);
    this.maxIds = maxIds;
  }

  /** Ids cached in all. */
  get idCount(): number {
    return this.#ids;
  }

  override set(row: number, ids: readonly string[]): this {
    if (ids.length > this.maxIds) {
      this.delete(row);
      return this;
    }
    this.#ids += ids.length - (super.get(row)?.length ?? 0);
    super.set(row, ids);
    while (this.#ids > this.maxIds) this.deleteOldest();
    return this;
  }

  override delete(row: number): boolean {
    const ids = super.get(row);
    if (ids === undefined) return false;
    this.#ids -= ids.length;
    return super.delete(row);
  }

  override clear(): void {
    super.clear();
    this.#ids = 0;
  }
}
