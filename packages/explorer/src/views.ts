import { targetToHex, txId, workOfTarget, type Block, type BlockMeta, type ChainState } from '@chain/core';
import type { NeighbourStatus, Peer, Source } from '@chain/peer';
import type { BlockDetail, BlockSummary, BlockWork, MinerView, NeighbourView, StatusView, TxEntry } from './types';

export function summaryOfMeta(m: BlockMeta): BlockSummary {
  return { index: m.index, hash: m.hash, previousHash: m.previousHash, timestamp: m.timestamp, proof: m.proof, transactions: m.txCount };
}

export function summaryOfBlock(b: Block): BlockSummary {
  return {
    index: b.index,
    hash: b.currentHash,
    previousHash: b.previousHash,
    timestamp: b.timestamp,
    proof: b.proof,
    transactions: b.transactions.length,
  };
}

export function txEntries(chain: ChainState, block: Block): TxEntry[] {
  return block.transactions.map((tx) => ({ id: txId(chain.genesisHash, tx), tx }));
}

/** Best-chain blocks from this one to the tip; 0 when it is not on the best chain. */
export function confirmations(chain: ChainState, hash: string): number {
  const m = chain.meta(hash);
  return m && chain.onBestChain(hash) ? chain.height - m.index + 1 : 0;
}

/** The target a child of `parentHash` meets, and its work. */
export function targetAfter(chain: ChainState, parentHash: string): { target: string; work: string } {
  const target = chain.targetAfter(parentHash);
  return { target: targetToHex(target), work: workOfTarget(target).toString() };
}

/** A block's target and work; the genesis has none. */
export function blockWork(chain: ChainState, block: Block): BlockWork {
  return block.index === 1 ? { target: null, work: '0' } : targetAfter(chain, block.previousHash);
}

export function blockDetail(chain: ChainState, block: Block, abandoned: boolean): BlockDetail {
  const best = chain.onBestChain(block.currentHash);
  return {
    block,
    ...blockWork(chain, block),
    onBestChain: best,
    confirmations: confirmations(chain, block.currentHash),
    next: best ? (chain.hashAt(block.index + 1) ?? null) : null,
    abandoned: abandoned && !best,
    transactions: txEntries(chain, block),
  };
}

/** An address book entry as the API shows it (the fields named, nothing else of the peer's object). */
export function neighbourView(n: NeighbourStatus): NeighbourView {
  return {
    address: n.address,
    kind: n.kind,
    state: n.state,
    height: n.height,
    configured: n.configured,
    source: n.source,
    failures: n.failures,
    lastSeen: n.lastSeen,
    until: n.until,
  };
}

/** The peer's miner: `mining` while it did work over the last seconds, `idle` with nothing to mine. */
export function minerOf(peer: Peer): MinerView {
  const miner = peer.miner;
  if (!miner) return { state: 'none', blocks: 0 };
  return { state: miner.hashrate > 0 ? 'mining' : 'idle', blocks: miner.blocks };
}

/** `current`: a neighbour's entry with its height brought up to date. */
export function statusOf(name: string, peer: Peer, current: (n: NeighbourStatus) => NeighbourStatus = (n) => n): StatusView {
  const s = peer.status();
  return {
    peer: name,
    network: peer.network,
    genesisHash: peer.chain.genesisHash,
    address: s.address,
    height: s.height,
    tip: s.tip,
    tipTimestamp: peer.chain.tip.timestamp,
    poolSize: s.poolSize,
    sideBlocks: s.sideBlocks,
    neighbours: s.neighbours.map((n) => neighbourView(current(n))),
    connections: s.connections,
    hashrate: s.hashrate,
    miner: minerOf(peer),
    time: peer.now(),
  };
}

export function sourceText(source: Source): string {
  return source.kind === 'neighbour' ? source.address : source.kind;
}
