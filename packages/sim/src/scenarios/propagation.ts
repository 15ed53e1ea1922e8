import type { World } from '../world';
import { Traffic } from '../traffic';
import { mean, quantiles, round } from '../stats';
import { staleModel } from '../theory';
import { gervaisAt } from '../published';
import { bytes, count, duration, percent, table } from '../format';
import { check, footer, resolveCommon, worldOptions, type CommonOptions, type ResolvedCommon, type ResultBase } from './common';
import { everyPeerMines, runWorld, type OwnFields } from './run-world';

export interface PropagationOptions extends CommonOptions {
  /** Mean time between blocks (virtual ms). Default 600 000 (ten minutes). */
  readonly intervalMs?: number;
  /** Blocks to find. Default 100. */
  readonly blocks?: number;
  /** Transactions a block holds at most (the network's maxTxPerBlock). Default 10. */
  readonly txPerBlock?: number;
  /** Transactions a second sent by users (virtual). Default: enough to fill blocks (txPerBlock per interval). */
  readonly txPerSecond?: number;
  /** Characters of each transaction's content (12–70): with txPerBlock, the block size. Default 32. */
  readonly txContentBytes?: number;
  /** Peers that mine, chosen at random, with equal shares. Default every peer. */
  readonly miners?: number;
  /** Called with the world once the run is over, before its peers stop (to measure it, say). */
  readonly onEnd?: (world: World) => void;
}

type Q = { p50: number | null; p90: number | null; p99: number | null };

export interface PropagationResult extends ResultBase {
  readonly scenario: 'propagation';
  readonly intervalMs: number;
  /** Found blocks that are not on the final best chain, over found blocks. */
  readonly staleRate: number;
  readonly staleBlocks: number;
  /** Time for a block to reach 90 % of the peers (p50, p90, p99 over blocks). */
  readonly propagationMs: Q;
  /** Time to reach 50 %, 90 % and 100 % of the peers, each over the blocks that did. */
  readonly reachMs: { readonly '50': Q; readonly '90': Q; readonly '100': Q };
  /** Mean time for a main-chain block to reach a peer (ms), and the stale rate 1 − exp(−t/T) it predicts. */
  readonly meanDelayMs: number | null;
  readonly modelStaleRate: number | null;
  /** Gervais et al. 2016's stale rate at this interval, when they have a row for it. */
  readonly publishedStaleRate: number | null;
  readonly meanBlockBytes: number | null;
  readonly txPerBlock: number;
  readonly latency: string;
  readonly topology: string;
  /** Peers that mine (equal shares). */
  readonly miners: number;
}

/** Every setting of a propagation run, defaults filled in. */
export interface PropagationSettings extends ResolvedCommon {
  readonly intervalMs: number;
  readonly blocks: number;
  readonly txPerBlock: number;
  readonly txPerSecond: number;
  readonly txContentBytes: number;
  readonly miners: number;
  readonly heartbeatMs: number;
}

/** The defaults of `propagation`; the transaction rate and heartbeat follow the interval. */
export const PROPAGATION_DEFAULTS = { peers: 100, intervalMs: 600_000, blocks: 100, txPerBlock: 10, txContentBytes: 32 } as const;

/** Check the options and fill in every default. */
export function resolvePropagation(o: PropagationOptions): PropagationSettings {
  const d = PROPAGATION_DEFAULTS;
  const intervalMs = check('interval', o.intervalMs ?? d.intervalMs, 1, 86_400_000);
  const txPerBlock = check('tx-per-block', o.txPerBlock ?? d.txPerBlock, 1, 10_000, true);
  const peers = check('peers', o.peers, 2, 100_000, true);
  return {
    ...resolveCommon(o, 'regions'),
    intervalMs,
    blocks: check('blocks', o.blocks ?? d.blocks, 1, 1_000_000, true),
    txPerBlock,
    txPerSecond: check('tx-rate', o.txPerSecond ?? (txPerBlock * 1000) / intervalMs, 0, 1_000_000),
    txContentBytes: check('content-bytes', o.txContentBytes ?? d.txContentBytes, 12, 70, true),
    miners: check('miners', o.miners ?? peers, 1, peers, true),
    // The heartbeat is sync's fallback, not the way blocks spread (they are pushed with nb): once an
    // interval (5 s at least, 10 minutes at most), so that it costs what a block's spreading costs.
    heartbeatMs: o.heartbeatMs ?? Math.max(5000, Math.min(intervalMs, 600_000)),
  };
}

/**
 * How fast blocks spread and how often they go stale: every peer mines with an equal share of the
 * hash power, users send transactions, and each block's arrival at every peer is timed.
 */
export async function propagation(options: PropagationOptions): Promise<PropagationResult> {
  const o = { ...options, ...resolvePropagation(options) };
  const { intervalMs, blocks, txPerBlock, txPerSecond, heartbeatMs } = o;
  const settings = {
    ...worldOptions(o, 'regions'),
    network: { maxTxPerBlock: txPerBlock },
    txContentBytes: o.txContentBytes,
    peer: { heartbeatMs },
  };
  return runWorld<OwnFields<PropagationResult>>(options, settings, async (world) => {
    const miners = o.miners;
    const chosen = world.rng
      .fork('miners')
      .shuffle(world.nodes.map((n) => n.index))
      .slice(0, miners)
      .sort((a, b) => a - b);
    const mining = everyPeerMines(world, intervalMs, chosen);
    const traffic = txPerSecond > 0 ? new Traffic(world, txPerSecond) : null;
    traffic?.start();
    mining.start(blocks);
    await world.scheduler.run({ stopWhen: () => !mining.running });
    traffic?.stop();
    // Let the last blocks spread and any tie resolve.
    await world.scheduler.run({ until: world.scheduler.time + Math.max(60_000, 2 * heartbeatMs), stopWhen: () => world.converged() });
    await world.runFor(10_000);

    const reference = world.nodes[0]!.peer.chain;
    const mined = world.tracker.mined;
    const stale = mined.filter((r) => !reference.onBestChain(r.hash)).length;
    const main = mined.filter((r) => reference.onBestChain(r.hash));
    const reach = (key: 't50' | 't90' | 't100'): Q => {
      const q = quantiles(mined.filter((r) => Number.isFinite(r[key])).map((r) => r[key] - r.minedAt));
      return { p50: round(q.p50), p90: round(q.p90), p99: round(q.p99) };
    };
    const full = main.filter((r) => r.reached === world.peers);
    const meanDelay = full.length > 0 ? mean(full.map((r) => r.delaySum / r.reached)) : NaN;
    o.onEnd?.(world);
    return {
      blocks: mined.length,
      fields: {
        scenario: 'propagation',
        intervalMs,
        staleRate: mined.length === 0 ? 0 : (round(stale / mined.length) as number),
        staleBlocks: stale,
        propagationMs: reach('t90'),
        reachMs: { '50': reach('t50'), '90': reach('t90'), '100': reach('t100') },
        meanDelayMs: round(meanDelay),
        modelStaleRate: round(staleModel(meanDelay, intervalMs)),
        publishedStaleRate: gervaisAt(intervalMs)?.staleRate ?? null,
        meanBlockBytes: round(mean(mined.map((r) => r.bytes)), 5),
        txPerBlock,
        latency: o.latency,
        topology: o.topology,
        miners,
      },
    };
  });
}

/** The human table of a propagation result. */
export function propagationTable(r: PropagationResult): string {
  const q = (x: Q) => [duration(x.p50 ?? NaN), duration(x.p90 ?? NaN), duration(x.p99 ?? NaN)];
  const lines = [
    `propagation: ${count(r.peers)} peers (${r.topology}, latency ${r.latency}${r.miners < r.peers ? `, ${r.miners} of them mining` : ''}), a block every ${duration(r.intervalMs)} on average, ${count(r.blocks)} blocks of up to ${r.txPerBlock} transactions (mean ${bytes(r.meanBlockBytes ?? 0)})`,
    '',
    table(
      ['time for a block to reach', 'p50', 'p90', 'p99'],
      [
        ['50 % of peers', ...q(r.reachMs['50'])],
        ['90 % of peers', ...q(r.reachMs['90'])],
        ['100 % of peers', ...q(r.reachMs['100'])],
      ],
    ),
    '',
    `stale blocks: ${r.staleBlocks} of ${r.blocks} (${percent(r.staleRate)}); the model 1 − exp(−t/T) with the mean delay t = ${duration(r.meanDelayMs ?? NaN)} says ${percent(r.modelStaleRate ?? NaN)}` +
      (r.publishedStaleRate !== null ? `; Gervais et al. 2016 measured ${percent(r.publishedStaleRate)} at this interval` : ''),
    footer(r),
  ];
  return lines.join('\n');
}
