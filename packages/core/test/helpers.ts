import {
  ChainState,
  MemoryBlockStore,
  createClassicTransaction,
  createTemplate,
  txId,
  hexToBytes,
  metaOf,
  signTransaction,
  type Block,
  type BlockTemplate,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { EASY_CLASSIC, EASY_SIGNED, easyNetwork, mineTemplate, specVectors } from '@chain/testkit';

export const vectors = specVectors<any>();

/** A fast test network: the classic rules with difficulty 1. */
export const TEST_CLASSIC: NetworkParams = EASY_CLASSIC;

/** The default rules at difficulty 1, with blocks of at most 50 transactions. */
export const TEST_SIGNED: NetworkParams = easyNetwork(EASY_SIGNED, { name: 'test-signed-50', maxTxPerBlock: 50 });

export const SEED = hexToBytes('00678906052f4bb7a9eeff7b7f0ab918a703a4a7ed65313f43205b377a407af3');

let counter = 0;
/** A new valid transaction for the network at `timestamp`. */
export function makeTx(chain: ChainState, timestamp: number, content = `tx ${++counter}`): Transaction {
  if (chain.params.txFormat === 'classic') return createClassicTransaction('abcd1234', { content, timestamp });
  return signTransaction({ genesisHash: chain.genesisHash, secretKey: SEED, content, timestamp, ed25519: nodeEd25519 });
}

/** Mine a template with the reference search. */
export function mine(chain: ChainState, t: BlockTemplate): Block {
  return mineTemplate(chain.params, t);
}

export async function openChain(params: NetworkParams = TEST_CLASSIC, store = new MemoryBlockStore()): Promise<ChainState> {
  return ChainState.open({ params, store, ed25519: nodeEd25519 });
}

/** Submit `n` transactions at `now` and mine them into the next block; returns that block. */
export async function mineNext(chain: ChainState, now: number, n = 1): Promise<Block> {
  for (let i = 0; i < n; i++) {
    const r = chain.addTransaction(makeTx(chain, now), now);
    if (!r.ok) throw new Error(`tx rejected: ${r.reason} ${r.message}`);
  }
  const t = chain.template(now);
  if (!t) throw new Error('empty template');
  const block = mine(chain, t);
  const r = await chain.addBlock(block, now);
  if (!r.ok) throw new Error(`block rejected: ${r.reason} ${r.message}`);
  return block;
}

/** Mine a block on any known parent holding `txs` (no rules checked: the chain decides). */
export function buildOn(chain: ChainState, parentRef: string | Block, txs: readonly Transaction[], timestamp: number): Block {
  const parent = typeof parentRef === 'string' ? chain.meta(parentRef) : metaOf(parentRef);
  if (!parent) throw new Error(`unknown parent ${String(parentRef)}`);
  const ids = txs.map((tx) => txId(chain.genesisHash, tx));
  return mine(chain, createTemplate(parent, txs, ids, timestamp, chain.params.txFormat));
}
