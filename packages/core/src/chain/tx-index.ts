/**
 * The ids of the transactions in the best chain's recent blocks: the blocks
 * whose timestamp is after a horizon that follows the tip. A transaction older
 * than the TTL is invalid anyway, so this is all the double-spend rule needs,
 * and memory is bounded by the TTL window, not by the chain's length.
 */
export class TxIndex {
  readonly #heightOf = new Map<string, number>();
  readonly #blocks = new Map<number, { readonly timestamp: number; readonly ids: readonly string[] }>();
  #lowest = Infinity;
  /** Blocks with timestamp ≤ horizon may have been dropped. */
  horizon = -Infinity;

  /** Height of the best-chain block holding `id`, if indexed. */
  heightOf(id: string): number | undefined {
    return this.#heightOf.get(id);
  }

  get size(): number {
    return this.#heightOf.size;
  }

  /** Index the transactions of the best-chain block at `height`. */
  connect(height: number, timestamp: number, ids: readonly string[]): void {
    if (timestamp <= this.horizon) return;
    this.#blocks.set(height, { timestamp, ids });
    for (const id of ids) this.#heightOf.set(id, height);
    if (height < this.#lowest) this.#lowest = height;
  }

  /** Forget the best-chain block at `height` (it was disconnected by a reorg). */
  disconnect(height: number): void {
    const entry = this.#blocks.get(height);
    if (!entry) return;
    this.#blocks.delete(height);
    for (const id of entry.ids) if (this.#heightOf.get(id) === height) this.#heightOf.delete(id);
  }

  /** Drop blocks with timestamp ≤ `horizon`, oldest first. The horizon never moves back. */
  prune(horizon: number): void {
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    while (this.#blocks.size > 0) {
      const entry = this.#blocks.get(this.#lowest);
      if (entry === undefined) {
        this.#lowest++;
        continue;
      }
      if (entry.timestamp > horizon) break;
      this.disconnect(this.#lowest);
      this.#lowest++;
    }
    if (this.#blocks.size === 0) this.#lowest = Infinity;
  }
}
