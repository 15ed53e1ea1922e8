import type { NetworkParams } from '@chain/core';

/** The classic rules (comp3221: classic transactions, the original `seed` proof) at difficulty 1: a block costs a few hashes. */
export const EASY_CLASSIC: NetworkParams = Object.freeze({
  name: 'test-classic',
  genesisTime: 1767225600000,
  difficulty: 1,
  pow: 'seed',
  txFormat: 'classic',
  maxTxPerBlock: 5,
  txTtlMs: 3600000,
});

/** The default rules (signed transactions, the `bound` proof) at difficulty 1. */
export const EASY_SIGNED: NetworkParams = Object.freeze({
  name: 'test-signed',
  genesisTime: 1767225600000,
  difficulty: 1,
  pow: 'bound',
  txFormat: 'signed',
  maxTxPerBlock: 500,
  txTtlMs: 3600000,
});

/** `base` with a few fields changed and a name of its own (networks with different parameters never mix). */
export function easyNetwork(base: NetworkParams, changes: Partial<NetworkParams> & { name: string }): NetworkParams {
  return Object.freeze({ ...base, ...changes });
}
