import type { Transaction, TxFormat } from '../types';
import { hashCanonical } from '../primitives/encoding';

/** A transaction id (docs/spec.md §2): binds the transaction to one network's genesis. */
export function txId(genesisHash: string, tx: Pick<Transaction, 'sender' | 'content' | 'timestamp'>): string {
  return hashCanonical(['chain-tx', genesisHash, tx.sender, tx.content, tx.timestamp]);
}

/** A transaction's leaf in the tx root: its id, followed by its signature in the signed format. */
export function txLeaf(format: TxFormat, id: string, tx: Transaction): string {
  return format === 'signed' ? id + (tx as { signature: string }).signature : id;
}

/** `txRoot` over leaves in block order. */
export function txRootOfLeaves(leaves: readonly string[]): string {
  return hashCanonical(leaves);
}

/** `txRoot` of transactions on the network whose genesis hash is given. */
export function txRoot(format: TxFormat, genesisHash: string, txs: readonly Transaction[]): string {
  return txRootOfLeaves(txs.map((tx) => txLeaf(format, txId(genesisHash, tx), tx)));
}

/** The hash a miner works on: the block without its proof (docs/spec.md §3). */
export function templateHash(index: number, timestamp: number, previousHash: string, root: string): string {
  return hashCanonical(['chain-block', index, timestamp, previousHash, root]);
}

/** A block's `currentHash` (docs/spec.md §3). */
export function blockHash(index: number, timestamp: number, previousHash: string, root: string, proof: number): string {
  return hashCanonical(['chain-block', index, timestamp, previousHash, root, proof]);
}
