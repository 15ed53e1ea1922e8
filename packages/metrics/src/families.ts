/**
 * Every metric of a chain peer: its name (the `chain_` prefix, the unit last), its help text and
 * its labels. Each has a `peer` label, the name an operator gave the peer, so that one registry
 * can hold the peers of a devnet.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Reorganisation depths: most are one block; a deep one is an event worth seeing apart. */
export const REORG_DEPTH_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100, 1000];

/** The gauges read from the peers when scraped. */
export type SampledGauge = 'height' | 'tipAge' | 'poolSize' | 'sideBlocks' | 'neighbours' | 'connections' | 'verifyQueue';

/** What is filled when scraped: the gauges, and the frame counters from their plain totals. */
export type Sampled = SampledGauge | 'frames' | 'frameBytes';

/** The metrics, registered on `registry`; a sampled metric asks `sample` to fill it on each scrape. */
export function defineFamilies(registry: Registry, sample: (metric: Sampled) => void) {
  const registers = [registry];
  const gauge = (key: SampledGauge, name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers, collect: () => sample(key) });
  const counter = (name: string, help: string, labelNames: string[], key?: Exclude<Sampled, SampledGauge>) =>
    new Counter({ name, help, labelNames, registers, ...(key && { collect: () => sample(key) }) });
  return {
    height: gauge('height', 'chain_height_blocks', 'Height of the best chain (the genesis is 1).', ['peer']),
    tipAge: gauge('tipAge', 'chain_tip_age_seconds', "Seconds since the tip block's timestamp, by this peer's clock.", ['peer']),
    poolSize: gauge('poolSize', 'chain_pool_transactions', 'Transactions waiting in the pool.', ['peer']),
    sideBlocks: gauge('sideBlocks', 'chain_side_blocks', 'Valid blocks kept on side branches.', ['peer']),
    neighbours: gauge(
      'neighbours',
      'chain_neighbours',
      'Addresses of the address book by kind and by the state of the connection to them.',
      ['peer', 'kind', 'state'],
    ),
    connections: gauge('connections', 'chain_inbound_connections', 'Open inbound connections.', ['peer']),
    verifyQueue: gauge('verifyQueue', 'chain_verify_queue_signatures', 'Signatures handed to the verify threads and not yet answered.', [
      'peer',
    ]),
    syncTarget: new Gauge({
      name: 'chain_sync_target_height_blocks',
      help: 'Height of the neighbour this peer last synced from, as it said (0 before any sync).',
      labelNames: ['peer'],
      registers,
    }),
    syncDownloaded: counter('chain_sync_downloaded_blocks_total', 'Blocks received by sync (hb replies and headers-first downloads).', [
      'peer',
    ]),
    txAdmitted: counter('chain_transactions_admitted_total', 'Transactions that entered the pool, by source.', ['peer', 'source']),
    txRefused: counter('chain_transactions_refused_total', "Transactions refused, by the specification's reason.", ['peer', 'reason']),
    blocks: counter(
      'chain_blocks_total',
      'Blocks added, by source (mined, neighbour, remote, sync) and by what they did (extended, reorg, side).',
      ['peer', 'source', 'status'],
    ),
    reorgs: counter('chain_reorgs_total', 'Switches of the best chain to another branch.', ['peer']),
    reorgDepth: new Histogram({
      name: 'chain_reorg_depth_blocks',
      help: 'Blocks taken off the best chain by a reorganisation.',
      labelNames: ['peer'],
      buckets: REORG_DEPTH_BUCKETS,
      registers,
    }),
    frames: counter(
      'chain_frames_total',
      'Protocol frames read (in) and written (out), by opcode.',
      ['peer', 'opcode', 'direction'],
      'frames',
    ),
    frameBytes: counter(
      'chain_frame_bytes_total',
      'Bytes of protocol frames read (in) and written (out), headers included, by opcode.',
      ['peer', 'opcode', 'direction'],
      'frameBytes',
    ),
  };
}

export type Families = ReturnType<typeof defineFamilies>;
