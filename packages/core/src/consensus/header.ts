import type { Block, TxFormat } from '../types';
import { fail } from '../errors';
import { sha256hexOfText } from '../primitives/encoding';
import { blockHash, templateHash, txLeaf, txRootOfLeaves } from './hashing';
import type { HeaderFacts } from './block';

/**
 * A block without its transactions (protocol 1.2): its fields, the root of its transactions'
 * leaves and their number. The hash and the proof of work commit to the root, so both can be
 * checked from the header alone.
 */
export interface BlockHeader {
  readonly index: number;
  readonly timestamp: number;
  readonly previousHash: string;
  readonly txRoot: string;
  readonly proof: number;
  readonly currentHash: string;
  readonly txCount: number;
}

/** The header of a block whose transaction ids are known (block order). */
export function headerOf(block: Block, txIds: readonly string[], format: TxFormat): BlockHeader {
  const txRoot = txRootOfLeaves(block.transactions.map((tx, i) => txLeaf(format, txIds[i] as string, tx)));
  return {
    index: block.index,
    timestamp: block.timestamp,
    previousHash: block.previousHash,
    txRoot,
    proof: block.proof,
    currentHash: block.currentHash,
    txCount: block.transactions.length,
  };
}

/** A header whose hash is what its fields hash to: the facts the header rules read. */
export type HeaderIdentity = ({ readonly ok: true; readonly hash: string } & HeaderFacts) | ReturnType<typeof fail>;

/**
 * Establish a header's identity (a block is its contents): its claimed `currentHash` must be
 * the hash of its fields, and a block holds between 1 and `maxTxPerBlock` transactions.
 */
export function identifyHeader(h: BlockHeader, maxTxPerBlock: number): HeaderIdentity {
  if (h.txCount < 1) return fail('empty-block', 'a block must hold at least one transaction');
  if (h.txCount > maxTxPerBlock)
    return fail('too-many-transactions', `block holds ${h.txCount} transactions, the network allows ${maxTxPerBlock}`);
  const hash = blockHash(h.index, h.timestamp, h.previousHash, h.txRoot, h.proof);
  if (hash !== h.currentHash) return fail('bad-hash', `currentHash ${h.currentHash} does not match the header, which hashes to ${hash}`);
  return { ok: true, hash, block: h, templateHash: templateHash(h.index, h.timestamp, h.previousHash, h.txRoot) };
}

/** Hex digits of a short transaction id. */
export const SHORT_ID_HEX = 12;

/**
 * A transaction's short id in the compact form of the block `blockHash`: keyed by the block's
 * own hash, which nobody knows before the block is mined, so no one can make in advance a
 * transaction whose short id collides with another's in that block.
 */
export function shortTxId(blockHash: string, txId: string): string {
  return sha256hexOfText(blockHash + txId).slice(0, SHORT_ID_HEX);
}
