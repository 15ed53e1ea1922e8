import {
  createClassicTransaction,
  createGenesis,
  createTemplate,
  metaOf,
  txId,
  type Block,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { mineTemplate } from '@chain/testkit';

let serial = 0;

/**
 * `length` valid blocks in a row on `parent` (the genesis when null), each holding
 * `txs(i)` classic transactions made for it, timestamps 1 ms apart from `start`.
 */
export function chainOn(
  params: NetworkParams,
  parent: Block | null,
  length: number,
  txs: (i: number) => number = () => 1,
  start = Date.now() - 60_000,
): Block[] {
  const genesis = createGenesis(params);
  let p = parent ?? genesis;
  const out: Block[] = [];
  for (let i = 0; i < length; i++) {
    const timestamp = Math.max(start + i, p.timestamp);
    const list: Transaction[] = [];
    for (let k = 0; k < txs(i); k++) {
      list.push(createClassicTransaction('abcd1234', { content: `f${++serial}`, timestamp: timestamp - 1 }));
    }
    const ids = list.map((tx) => txId(genesis.currentHash, tx));
    const block = mineTemplate(params, createTemplate(metaOf(p), list, ids, timestamp, params.txFormat));
    out.push(block);
    p = block;
  }
  return out;
}
