/**
 * The shapes of the explorer's JSON API. The web page imports these types
 * too, so that the server and the page agree on every field.
 */
import type { Block, NetworkParams, Transaction } from '@chain/core';
import type { NeighbourStatus, PeerChange } from '@chain/peer';

export type { NeighbourState, PeerChange } from '@chain/peer';

/** A block header as the strip and the lists show it (no transactions). */
export interface BlockSummary {
  readonly index: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly timestamp: number;
  readonly proof: number;
  /** Number of transactions. */
  readonly transactions: number;
}

/** A peer served by this explorer (a devnet serves several). */
export interface NodeView {
  readonly name: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
}

/**
 * An address of the peer's address book (docs/spec.md §7), as `Peer.status()` describes it; a
 * neighbour's height is the newest known: its last `hb` reply, a block it sent since, or, for a
 * peer this explorer serves too, its height now.
 */
export type NeighbourView = NeighbourStatus;

/** `GET /api/status`. */
export interface StatusView {
  readonly peer: string;
  readonly network: NetworkParams;
  readonly genesisHash: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
  readonly tipTimestamp: number;
  readonly poolSize: number;
  readonly sideBlocks: number;
  readonly neighbours: readonly NeighbourView[];
  readonly connections: number;
  /** Proof attempts a second of this peer's miner over the last 5 s, every search counted (0 without one). */
  readonly hashrate: number;
  readonly miner: MinerView;
  readonly time: number;
}

/** The peer's miner: `none` without one, `mining` when it worked in the last 5 s, else `idle` (nothing to mine). */
export interface MinerView {
  readonly state: 'none' | 'idle' | 'mining';
  /** Blocks it mined that the peer took. */
  readonly blocks: number;
}

/** `GET /api/blocks`. */
export interface BlocksView {
  readonly height: number;
  readonly blocks: readonly BlockSummary[];
}

export interface TxEntry {
  readonly id: string;
  readonly tx: Transaction;
}

/**
 * The target a block met and its work (docs/spec.md §9.2): on a fixed network the difficulty's, the
 * same for every block; on a retargeting network the one its chain set (§9.3).
 */
export interface BlockWork {
  /** 64 hex digits; `null` for the genesis, which has no proof of work to meet. */
  readonly target: string | null;
  /** The expected number of hashes to meet the target, a decimal string (it outgrows 2^53); `0` for the genesis. */
  readonly work: string;
}

/** `GET /api/blocks/:indexOrHash`. */
export interface BlockDetail extends BlockWork {
  readonly block: Block;
  readonly onBestChain: boolean;
  /** Best-chain blocks from this one to the tip (0 off the best chain). */
  readonly confirmations: number;
  /** The best-chain block after this one, if any. */
  readonly next: string | null;
  /** Whether a reorganisation seen by this explorer took the block off the best chain. */
  readonly abandoned: boolean;
  readonly transactions: readonly TxEntry[];
}

/** Where a transaction is. */
export interface TxView {
  readonly id: string;
  readonly tx: Transaction;
  /** `pending`: in the pool; `confirmed`: in a best-chain block; `side`: only in a side-branch block. */
  readonly status: 'pending' | 'confirmed' | 'side';
  readonly block: { readonly index: number; readonly hash: string; readonly confirmations: number } | null;
}

/** `GET /api/pool`. */
export interface PoolView {
  readonly size: number;
  readonly cap: number;
  readonly transactions: readonly TxEntry[];
}

/** `GET /api/peers`. */
export interface PeersView {
  readonly peer: string;
  readonly address: string;
  /** Configured neighbours and learned ones that answered `hb`. */
  readonly neighbours: readonly NeighbourView[];
  /** The rest of the address book: candidates, then quarantined addresses. */
  readonly candidates: readonly NeighbourView[];
  /** Every peer this explorer serves (one, or every peer of a devnet). */
  readonly local: readonly NodeView[];
}

export interface BlockRef {
  readonly index: number;
  readonly hash: string;
}

/** A reorganisation this explorer saw. */
export interface ReorgView {
  readonly time: number;
  /** Height of the last block both branches share. */
  readonly forkHeight: number;
  readonly disconnected: readonly BlockRef[];
  readonly connected: readonly BlockRef[];
  readonly returnedToPool: number;
}

/** A side branch: side blocks from just above the fork point to a leaf, in height order. */
export interface BranchView {
  readonly forkHeight: number;
  readonly forkHash: string;
  readonly blocks: readonly (BlockSummary & { readonly abandoned: boolean })[];
}

/** `GET /api/forks`. */
export interface ForksView {
  readonly height: number;
  readonly sideBlocks: number;
  readonly branches: readonly BranchView[];
  readonly reorgs: readonly ReorgView[];
}

export interface Sample {
  readonly time: number;
  readonly hashrate: number;
  readonly height: number;
}

/** Block `index` came `ms` after its parent, and met `target` (`work` expected hashes). */
export interface IntervalView {
  readonly index: number;
  readonly ms: number;
  readonly target: string;
  readonly work: string;
}

/** `GET /api/stats`. */
export interface StatsView {
  /** Hash-rate samples, one a second, oldest first. */
  readonly samples: readonly Sample[];
  /** Time between consecutive best-chain blocks, oldest first, with the target and work of the later one. */
  readonly intervals: readonly IntervalView[];
}

/** Server-sent events of `GET /api/events`: the event name and its data. */
export interface StreamEvents {
  readonly status: StatusView;
  readonly block: {
    readonly status: 'extended' | 'reorg' | 'side';
    readonly block: BlockSummary;
    readonly txIds: readonly string[];
    readonly source: string;
  };
  readonly tx: { readonly id: string; readonly tx: Transaction; readonly source: string };
  readonly reorg: ReorgView;
  readonly peer: { readonly address: string; readonly state: PeerChange };
}

/** The body of every error reply but a rejected transaction. */
export interface ErrorBody {
  readonly error:
    'malformed' | 'not-found' | 'method-not-allowed' | 'too-large' | 'unsupported-media-type' | 'forbidden' | 'busy' | 'internal';
  readonly message: string;
}

/** `POST /api/transactions` replies, as the `tx` opcode's. */
export type SubmitReply =
  { readonly status: 'Accepted'; readonly id: string } | { readonly status: 'Rejected'; readonly reason: string; readonly message: string };
