import { ChainState, MemoryBlockStore, type BlockStore } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { DiskBlockStore } from './storage/block-log';
import { PoolJournal } from './storage/pool-journal';
import { txRootFor } from './headers/stored-headers';
import type { ResolvedOptions } from './options';

/** A peer's chain and the storage under it. */
export interface OpenedChain {
  readonly chain: ChainState;
  readonly store: BlockStore;
  /** The pool journal, or null in memory. */
  readonly journal: PoolJournal | null;
  /** Close the files (the journal, then the block log). */
  close(): Promise<void>;
}

/**
 * Open the block log and the pool journal of `dataDir` (repairing torn tails, with a warning)
 * or memory, restore the chain from the blocks and the pool from the journal. Files opened
 * are closed again when a later step fails.
 */
export async function openChain(options: ResolvedOptions): Promise<OpenedChain> {
  const log = options.logger;
  let store: BlockStore;
  let journal: PoolJournal | null = null;
  let journaled: unknown[] = [];
  if (options.dataDir) {
    // Each record keeps its block's txRoot, so that headers are served without reading blocks.
    const disk = await DiskBlockStore.open(options.dataDir, { txRoot: txRootFor(options.network) });
    if (disk.torn) log.warn(`repaired ${disk.torn.file}: cut a torn last record of ${disk.torn.bytes} bytes at offset ${disk.torn.offset}`);
    store = disk;
    const opened = await PoolJournal.open(options.dataDir).catch(async (err: unknown) => {
      await disk.close();
      throw err;
    });
    if (opened.torn)
      log.warn(`repaired ${opened.torn.file}: cut a torn last record of ${opened.torn.bytes} bytes at offset ${opened.torn.offset}`);
    journal = opened.journal;
    journaled = opened.transactions;
  } else {
    store = new MemoryBlockStore();
  }
  const close = async (): Promise<void> => {
    await journal?.close();
    if (store instanceof DiskBlockStore) await store.close();
  };
  const chain = await ChainState.open({
    params: options.network,
    store,
    ed25519: options.ed25519 ?? nodeEd25519,
    poolCap: options.poolCap,
  }).catch(async (err: unknown) => {
    await close(); // files closed before the lock is released
    throw err;
  });
  const now = options.now();
  let restored = 0;
  for (const tx of journaled) if (chain.addTransaction(tx, now, { verified: true }).ok) restored++;
  if (options.dataDir) log.info(`restored height ${chain.height} and ${restored} pool transactions from ${options.dataDir}`);
  return { chain, store, journal, close };
}
