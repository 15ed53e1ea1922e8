import {
  headerOf,
  hexToBytes,
  identifyBlock,
  shortTxId,
  signTransaction,
  type Block,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import type { CbRequest } from '@chain/protocol';

const SEED = hexToBytes('3f1c0ab6d4f8e2a1907b5c6d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f');

let serial = 0;

/** `n` signed transactions made at `timestamp`, each of its own content. */
export function signedTxs(genesisHash: string, n: number, timestamp: number): Transaction[] {
  const out: Transaction[] = [];
  for (let i = 0; i < n; i++)
    out.push(signTransaction({ genesisHash, secretKey: SEED, content: `c${++serial}`, timestamp, ed25519: nodeEd25519 }));
  return out;
}

/** The `cb` request of a block, its short ids by `shortId`. */
export function compactOf(
  params: NetworkParams,
  genesisHash: string,
  block: Block,
  shortId: (hash: string, id: string) => string = shortTxId,
): CbRequest {
  const id = identifyBlock(block, params, genesisHash);
  if (!id.ok) throw new Error(`not a block: ${id.reason}`);
  return { header: headerOf(block, id.txIds, params.txFormat), short: id.txIds.map((t) => shortId(block.currentHash, t)) };
}

/** A short-id function that counts its calls and can be told which ids collide. */
export function countingShortId(): {
  readonly shortId: (hash: string, id: string) => string;
  readonly calls: () => number;
  /** From now on these ids all get the same short id. */
  collide(ids: readonly string[]): void;
} {
  let calls = 0;
  const same = new Set<string>();
  return {
    shortId: (hash, id) => {
      calls++;
      return same.has(id) ? 'c011c011c011' : shortTxId(hash, id);
    },
    calls: () => calls,
    collide: (ids) => ids.forEach((id) => same.add(id)),
  };
}
