import { txLeaf, txRootOfLeaves, type Block, type BlockHeader, type PoolEntry, type Transaction, type TxFormat } from '@chain/core';

/** The short id of transaction `txId` in the compact form of block `blockHash` (core's `shortTxId`, or a test's). */
export type ShortId = (blockHash: string, txId: string) => string;

/** A block being rebuilt from its short ids: the transactions found so far, at their places. */
export interface Rebuilt {
  readonly txs: (Transaction | undefined)[];
  readonly ids: (string | undefined)[];
  /** Places still without a transaction, ascending. */
  readonly missing: number[];
}

/**
 * Find the transactions of a compact block in `pool`. The map is keyed by the block's own short
 * ids (at most the block's size, whatever the pool holds); a short id the block lists twice, or
 * that two pool transactions share, proves nothing about either place, which stays missing.
 */
export function rebuild(hash: string, short: readonly string[], pool: Iterable<PoolEntry>, shortId: ShortId): Rebuilt {
  const wanted = new Map<string, PoolEntry | null>();
  const ambiguous = new Set<string>();
  for (const s of short) {
    if (wanted.has(s)) ambiguous.add(s);
    else wanted.set(s, null);
  }
  for (const e of pool) {
    const s = shortId(hash, e.id);
    if (!wanted.has(s)) continue;
    if (wanted.get(s) !== null) ambiguous.add(s);
    else wanted.set(s, e);
  }
  const txs: (Transaction | undefined)[] = [];
  const ids: (string | undefined)[] = [];
  const missing: number[] = [];
  short.forEach((s, i) => {
    const e = ambiguous.has(s) ? null : wanted.get(s);
    txs.push(e?.tx);
    ids.push(e?.id);
    if (!e) missing.push(i);
  });
  return { txs, ids, missing };
}

/**
 * The block of `header` with every transaction found, or null when their leaves do not hash to
 * the header's root (a pool copy with the same id and another signature, or a short id that
 * matched some other transaction): then only the whole block will do.
 */
export function completeBlock(header: BlockHeader, rebuilt: Rebuilt, format: TxFormat): Block | null {
  if (rebuilt.missing.length > 0) return null;
  const txs = rebuilt.txs as Transaction[];
  const ids = rebuilt.ids as string[];
  if (txRootOfLeaves(txs.map((tx, i) => txLeaf(format, ids[i] as string, tx))) !== header.txRoot) return null;
  return {
    index: header.index,
    timestamp: header.timestamp,
    transactions: txs,
    proof: header.proof,
    previousHash: header.previousHash,
    currentHash: header.currentHash,
  };
}
