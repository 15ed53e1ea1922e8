import { genesisHash, networkHash, parseNetwork, type NetworkParams } from '@chain/core';

/**
 * A new chain: every field of docs/spec.md §1 is chosen here, and together they are the network.
 * Peers with any field different are on another network (another genesis, other transaction ids).
 */
export const MY_CHAIN: NetworkParams = parseNetwork({
  name: 'my-chain',
  genesisTime: Date.UTC(2026, 0, 1),
  difficulty: 3,
  pow: 'bound',
  txFormat: 'signed',
  maxTxPerBlock: 100,
  txTtlMs: 10 * 60_000,
});

/** What tells this network apart: the network hash (the genesis block's parent) and the genesis hash transactions commit to. */
export function identity(params: NetworkParams): { networkHash: string; genesisHash: string } {
  return { networkHash: networkHash(params), genesisHash: genesisHash(params) };
}
