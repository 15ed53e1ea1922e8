import { MemoryBlockStore, type Block } from '@chain/core';

/**
 * A memory block store whose `put` can be held: while `gated`, each `put` waits in `held` until
 * the test calls the function there, so a test can look at what happens before a block is stored.
 */
export class GatedStore extends MemoryBlockStore {
  readonly held: (() => void)[] = [];
  gated = false;

  override async put(block: Block): Promise<void> {
    if (this.gated) await new Promise<void>((r) => this.held.push(r));
    return super.put(block);
  }
}
