/**
 * Bookkeeping for a parallel search split into numbered chunks of consecutive proofs:
 * which chunks are done, and when the lowest hit is final (every chunk below it is done),
 * so that a pool returns the same smallest proof as a sequential search.
 */
export class ChunkTracker {
  private readonly done = new Set<number>();
  /** Every chunk below `low` is complete. */
  private low = 0;
  private bestChunk = Infinity;
  private bestProof = -1;

  constructor(readonly totalChunks: number) {}

  /** Records a completed chunk and the first proof in it that holds (or -1). */
  complete(chunk: number, hit: number): void {
    if (hit >= 0 && chunk < this.bestChunk) {
      this.bestChunk = chunk;
      this.bestProof = hit;
    }
    if (chunk < this.low) return;
    this.done.add(chunk);
    while (this.done.delete(this.low)) this.low++;
  }

  /** The smallest proof of the whole range once it is certain, else undefined. */
  get result(): number | undefined {
    return this.bestProof >= 0 && this.low >= this.bestChunk ? this.bestProof : undefined;
  }

  /** True when every chunk was scanned and none holds a proof. */
  get exhausted(): boolean {
    return this.bestProof < 0 && this.low >= this.totalChunks;
  }
}
