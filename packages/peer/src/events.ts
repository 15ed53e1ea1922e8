import type { Block, Transaction } from '@chain/core';
import type { Source } from './peer';

/** A neighbour as shown in the status. */
export interface NeighbourStatus {
  readonly address: string;
  readonly state: string;
  readonly height: number;
  readonly configured: boolean;
}

/** A snapshot for status lines, the CLI and the explorer. */
export interface PeerStatus {
  readonly network: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
  readonly poolSize: number;
  readonly sideBlocks: number;
  readonly neighbours: readonly NeighbourStatus[];
  readonly connections: number;
  /** Attempts per second of the attached miner (0 without one). */
  readonly hashrate: number;
}

/** Events of a Peer. */
export interface PeerEvents {
  /** A block was added: `extended` or `reorg` made it the tip, `side` went to a side branch. */
  block: [{ readonly block: Block; readonly status: 'extended' | 'reorg' | 'side'; readonly source: Source }];
  /** The best chain switched branches. */
  reorg: [{ readonly connected: readonly Block[]; readonly disconnected: readonly Block[]; readonly returnedToPool: readonly string[] }];
  /** A transaction entered the pool. */
  tx: [{ readonly id: string; readonly tx: Transaction; readonly source: Source }];
  /** A neighbour's connection changed state. */
  peer: [{ readonly address: string; readonly state: string }];
  /** Sync made progress: this peer's height and the neighbour's. */
  'sync-progress': [{ readonly neighbour: string; readonly height: number; readonly target: number; readonly received: number }];
  stopping: [];
  stopped: [];
}
