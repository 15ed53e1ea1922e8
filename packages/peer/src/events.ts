import type { ClientState } from '@chain/net';
import type { Block, Reason, Transaction } from '@chain/core';
import type { Source } from './source';

/**
 * How an address of the address book stands in the status: the state of the connection to it
 * (`connecting`, `open`, `backoff`, `closed`), `waiting` for a candidate not dialled yet,
 * `distrusted` for a configured neighbour kept away after an invalid block, `quarantined`.
 */
export type NeighbourState = ClientState | 'waiting' | 'distrusted' | 'quarantined';

/**
 * What a `peer` event reports: a neighbour's connection changed state (`connecting`, `open` when
 * TCP connects, `backoff`, `closed`), or the address book's news of it: `ready` (it answered `hb`
 * validly on this connection; a candidate that did is a neighbour now), `candidate` (learned),
 * `quarantined` (dropped after failures), `forgotten` (a candidate gave way to a newer one),
 * `distrusted` (it sent an invalid block).
 */
export type PeerChange = ClientState | 'ready' | 'candidate' | 'quarantined' | 'forgotten' | 'distrusted';

/** An address of the address book (docs/spec.md §7) as shown in the status. */
export interface NeighbourStatus {
  readonly address: string;
  /**
   * `configured` and `neighbour` (a learned address that answered `hb`) are neighbours;
   * `candidate` is learned and not yet verified; `quarantined` was dropped and is not learned again until `until`.
   */
  readonly kind: 'configured' | 'neighbour' | 'candidate' | 'quarantined';
  readonly state: NeighbourState;
  /** Its tip height from its last `hb` reply (0 before one). */
  readonly height: number;
  readonly configured: boolean;
  /** `configured`, or the host (remote IP) of the inbound connection that announced it. */
  readonly source: string;
  /** Failed attempts in a row. */
  readonly failures: number;
  /** When its last valid `hb` reply came (ms since the epoch), or null. */
  readonly lastSeen: number | null;
  /** End of a quarantine or of a distrusted neighbour's time away (ms since the epoch), else null. */
  readonly until: number | null;
}

/** A snapshot for status lines, the CLI and the explorer. */
export interface PeerStatus {
  readonly network: string;
  readonly address: string;
  readonly height: number;
  readonly tip: string;
  readonly poolSize: number;
  readonly sideBlocks: number;
  /** Configured neighbours and learned ones that answered `hb`. */
  readonly neighbours: readonly NeighbourStatus[];
  /** The rest of the address book: candidates, then quarantined addresses. */
  readonly candidates: readonly NeighbourStatus[];
  readonly connections: number;
  /** Attempts per second of the attached miner (0 without one). */
  readonly hashrate: number;
}

/** Events of a Peer. */
export interface PeerEvents {
  /**
   * A block was added: `extended` or `reorg` made it the tip, `side` went to a side branch.
   * `announced`: a connection offered it unasked (`nb`, `cb`) rather than this peer fetching it (sync) or mining it.
   */
  block: [{ readonly block: Block; readonly status: 'extended' | 'reorg' | 'side'; readonly source: Source; readonly announced: boolean }];
  /** The best chain switched branches. */
  reorg: [{ readonly connected: readonly Block[]; readonly disconnected: readonly Block[]; readonly returnedToPool: readonly string[] }];
  /** A transaction entered the pool. */
  tx: [{ readonly id: string; readonly tx: Transaction; readonly source: Source }];
  /** A transaction was refused, with the specification's reason (its id when it was well-formed enough to have one). */
  'tx-refused': [{ readonly id: string | undefined; readonly reason: Reason; readonly source: Source }];
  /** A neighbour's connection or address-book entry changed ({@link PeerChange}). */
  peer: [{ readonly address: string; readonly state: PeerChange }];
  /** Sync made progress: this peer's height and the neighbour's. */
  'sync-progress': [{ readonly neighbour: string; readonly height: number; readonly target: number; readonly received: number }];
  stopping: [];
  stopped: [];
}
