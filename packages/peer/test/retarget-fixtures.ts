import {
  createClassicTransaction,
  createGenesis,
  hashMeetsTarget,
  hexToBytes,
  signTransaction,
  nextTarget,
  powHash,
  sealBlock,
  targetFromDifficulty,
  targetToHex,
  type Block,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { EASY_SIGNED, easyNetwork, mineToTarget, templateOn } from '@chain/testkit';
import { NET } from './helpers';

/**
 * A retargeting network on the classic rules: blocks aimed at 1 s, a half-life of 4 s, and an
 * initial target of a quarter of the limit (no whole number of zero digits).
 */
export const RETARGET_NET = easyNetwork(NET, {
  name: 'test-retarget-headers',
  retarget: { targetBlockMs: 1000, halfLifeMs: 4000, initialTarget: targetToHex(targetFromDifficulty(NET.difficulty) >> 2n) },
});

/** The same on the signed rules. */
export const RETARGET_SIGNED = easyNetwork(EASY_SIGNED, { name: 'test-retarget-signed', retarget: RETARGET_NET.retarget });

const SEED = hexToBytes('00678906052f4bb7a9eeff7b7f0ab918a703a4a7ed65313f43205b377a407af3');
let serial = 0;

function txAt(params: NetworkParams, genesisHash: string, timestamp: number): Transaction {
  const content = `rt${++serial}`;
  if (params.txFormat === 'classic') return createClassicTransaction('abcd1234', { content, timestamp });
  return signTransaction({ genesisHash, secretKey: SEED, content, timestamp });
}

/** The target a child of `parent` (the last of `chain`, genesis first) must meet. */
export function targetAfter(chain: readonly Block[], params: NetworkParams = RETARGET_NET): bigint {
  const parent = chain[chain.length - 1] as Block;
  return nextTarget(params, {
    parentIndex: parent.index,
    parentTimestamp: parent.timestamp,
    anchorTimestamp: (chain[1] ?? parent).timestamp,
  });
}

/** The template of the next block on `chain`, `stepMs` after its last block. */
function nextTemplate(chain: readonly Block[], stepMs: number, params: NetworkParams) {
  const parent = chain[chain.length - 1] as Block;
  const timestamp = parent.timestamp + stepMs;
  const genesisHash = chain[0]?.currentHash as string;
  return templateOn(params, genesisHash, parent, [txAt(params, genesisHash, timestamp - 1)], timestamp);
}

/**
 * `length` blocks on the genesis, `stepMs` apart (faster than the 1 s aimed at when below it, so the
 * target falls), each mined to the target its chain sets. The genesis comes first.
 */
export function retargetChain(length: number, params: NetworkParams = RETARGET_NET, stepMs = 250): Block[] {
  const chain: Block[] = [createGenesis(params)];
  for (let i = 0; i < length; i++) chain.push(nextBlockOn(chain, params, stepMs));
  return chain;
}

/** The next valid block on `chain`, `stepMs` after its last, mined to the target its chain sets. */
export function nextBlockOn(chain: readonly Block[], params: NetworkParams = RETARGET_NET, stepMs = 250): Block {
  return mineToTarget(params, nextTemplate(chain, stepMs, params), targetAfter(chain, params));
}

/** A block on `chain` whose proof meets the network's limit but not the target its chain sets. */
export function weakBlockOn(chain: readonly Block[], params: NetworkParams = RETARGET_NET, stepMs = 250): Block {
  const t = nextTemplate(chain, stepMs, params);
  const target = targetAfter(chain, params);
  const limit = targetFromDifficulty(params.difficulty);
  for (let proof = 0; ; proof++) {
    const h = powHash({ rule: params.pow, templateHash: t.templateHash, proof, previousProof: t.previousProof });
    if (hashMeetsTarget(h, limit) && !hashMeetsTarget(h, target)) return sealBlock(t, proof);
  }
}
