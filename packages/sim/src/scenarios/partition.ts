import { Random } from '../random';
import { Traffic } from '../traffic';
import { round } from '../stats';
import { count, duration, table } from '../format';
import { lineChart } from '../svg';
import { check, footer, resolveCommon, worldOptions, type CommonOptions, type ResolvedCommon, type ResultBase } from './common';
import { everyPeerMines, runWorld, type OwnFields } from './run-world';

export interface PartitionOptions extends CommonOptions {
  /** Mean block interval (virtual ms). Default 60 000. */
  readonly intervalMs?: number;
  /** When the network splits and heals, from the start (virtual ms). Defaults 10 and 40 minutes. */
  readonly splitAtMs?: number;
  readonly healAtMs?: number;
  /** Share of the peers (and so of the hash power) on the second side. Default 0.5. */
  readonly share?: number;
  /** Transactions a second from users on both sides. Default 0.1 (60 % of what blocks of 10 every minute take, so that pools do not back up). */
  readonly txPerSecond?: number;
  /** Longest wait for convergence after the heal (virtual ms). Default 30 minutes. */
  readonly waitMs?: number;
}

export interface PartitionResult extends ResultBase {
  readonly scenario: 'partition';
  readonly intervalMs: number;
  readonly splitAtMs: number;
  readonly healAtMs: number;
  readonly sides: readonly [number, number];
  /** Blocks each side found while split, and their heights at the heal. */
  readonly foundWhileSplit: readonly [number, number];
  readonly heightsAtHeal: readonly [number, number];
  /** Time from the heal until every peer had the same tip (null: not within the wait). */
  readonly convergeMs: number | null;
  /** Which side's chain won. */
  readonly winner: 0 | 1 | null;
  /** Blocks of the losing side dropped, reorganisations, and transactions returned to pools (sum over peers, and distinct). */
  readonly orphaned: number;
  readonly reorgs: number;
  readonly returnedToPools: number;
  readonly returnedDistinct: number;
  /** Heights of each side over time: [ms from start, side 0, side 1]. */
  readonly heights: readonly (readonly [number, number, number])[];
}

/** Every setting of a partition run, defaults filled in. */
export interface PartitionSettings extends ResolvedCommon {
  readonly intervalMs: number;
  readonly splitAtMs: number;
  readonly healAtMs: number;
  readonly share: number;
  readonly txPerSecond: number;
  readonly waitMs: number;
  readonly heartbeatMs: number;
}

export const PARTITION_DEFAULTS = {
  peers: 60,
  intervalMs: 60_000,
  splitAtMs: 600_000,
  healAtMs: 2_400_000,
  share: 0.5,
  txPerSecond: 0.1,
  waitMs: 1_800_000,
  heartbeatMs: 5000,
} as const;

/** Check the options and fill in every default. */
export function resolvePartition(o: PartitionOptions): PartitionSettings {
  const d = PARTITION_DEFAULTS;
  const splitAtMs = check('split-at', o.splitAtMs ?? d.splitAtMs, 0, 1e10);
  check('peers', o.peers, 4, 100_000, true);
  return {
    ...resolveCommon(o, 'regions'),
    intervalMs: check('interval', o.intervalMs ?? d.intervalMs, 100, 86_400_000),
    splitAtMs,
    healAtMs: check('heal-at', o.healAtMs ?? d.healAtMs, splitAtMs + 1, 1e10),
    share: check('share', o.share ?? d.share, 0.01, 0.99),
    txPerSecond: check('tx-rate', o.txPerSecond ?? d.txPerSecond, 0, 10_000),
    waitMs: check('wait', o.waitMs ?? d.waitMs, 1000, 1e10),
    heartbeatMs: o.heartbeatMs ?? d.heartbeatMs,
  };
}

/**
 * A network split in two for a while: both sides keep mining and taking transactions; when it
 * heals, connections come back (each client at its next backoff attempt) and the shorter side
 * reorganises to the longer chain.
 */
export async function partition(options: PartitionOptions): Promise<PartitionResult> {
  const o = resolvePartition(options);
  const { intervalMs, splitAtMs, healAtMs, share, txPerSecond, waitMs } = o;
  const base = worldOptions(o, 'regions');
  // Sides drawn from the seed: the last `share` of a shuffle is side 1.
  const order = new Random(`${o.seed}/sides`).shuffle(Array.from({ length: o.peers }, (_, i) => i));
  const side = new Array<number>(o.peers).fill(0);
  const n1 = Math.max(1, Math.min(o.peers - 1, Math.round(share * o.peers)));
  for (const p of order.slice(o.peers - n1)) side[p] = 1;
  const settings = { ...base, partitions: [{ startMs: splitAtMs, healMs: healAtMs, side }], peer: { heartbeatMs: o.heartbeatMs } };
  return runWorld<OwnFields<PartitionResult>>(options, settings, async (world) => {
    const mining = everyPeerMines(world, intervalMs);
    const traffic = txPerSecond > 0 ? new Traffic(world, txPerSecond) : null;
    const sideNodes = [world.nodes.filter((n) => side[n.index] === 0), world.nodes.filter((n) => side[n.index] === 1)] as const;
    const heights: [number, number, number][] = [];
    const maxHeight = (nodes: typeof world.nodes) => Math.max(...nodes.map((n) => n.peer.chain.height));
    const sample = () => heights.push([Math.round(world.elapsed), maxHeight(sideNodes[0]), maxHeight(sideNodes[1])]);
    const sampler = world.scheduler.timers.setInterval(sample, Math.max(1000, Math.round(intervalMs / 4)));
    traffic?.start();
    mining.start();
    await world.scheduler.run({ until: world.startTime + splitAtMs });
    const foundAtSplit = [...mining.foundBy];
    await world.scheduler.run({ until: world.startTime + healAtMs - 1 });
    const foundWhileSplit: [number, number] = [0, 0];
    mining.foundBy.forEach((n, i) => (foundWhileSplit[side[i] as 0 | 1] += n - (foundAtSplit[i] as number)));
    const heightsAtHeal: [number, number] = [maxHeight(sideNodes[0]), maxHeight(sideNodes[1])];
    const tipsAtHeal = [sideNodes[0][0]!.peer.chain.tip.hash, sideNodes[1][0]!.peer.chain.tip.hash];
    const reorgsBefore = world.tracker.reorgs;
    const returnedBefore = world.tracker.returnedToPool;
    world.tracker.returnedIds.clear();
    await world.scheduler.run({ until: world.startTime + healAtMs });
    await world.scheduler.run({ until: world.scheduler.time + waitMs, stopWhen: () => world.converged() });
    const converged = world.converged();
    const convergeMs = converged ? round(world.elapsed - healAtMs) : null;
    sample();
    world.scheduler.timers.clearInterval(sampler);
    mining.stop();
    traffic?.stop();
    const chain = world.nodes[0]!.peer.chain;
    const winner = !converged
      ? null
      : chain.onBestChain(tipsAtHeal[0] as string)
        ? 0
        : chain.onBestChain(tipsAtHeal[1] as string)
          ? 1
          : null;
    const orphaned = world.tracker.mined.filter(
      (r) => r.minedAt >= world.startTime + splitAtMs && r.minedAt < world.startTime + healAtMs && !chain.onBestChain(r.hash),
    ).length;
    return {
      blocks: mining.found,
      fields: {
        scenario: 'partition',
        intervalMs,
        splitAtMs,
        healAtMs,
        sides: [sideNodes[0].length, sideNodes[1].length],
        foundWhileSplit,
        heightsAtHeal,
        convergeMs,
        winner,
        orphaned,
        reorgs: world.tracker.reorgs - reorgsBefore,
        returnedToPools: world.tracker.returnedToPool - returnedBefore,
        returnedDistinct: world.tracker.returnedIds.size,
        heights,
      },
    };
  });
}

export function partitionTable(r: PartitionResult): string {
  return [
    `partition: ${count(r.peers)} peers split ${r.sides[0]} / ${r.sides[1]} from ${duration(r.splitAtMs)} to ${duration(r.healAtMs)}; a block every ${duration(r.intervalMs)} on average`,
    '',
    table(
      ['', 'side 0', 'side 1'],
      [
        ['peers', String(r.sides[0]), String(r.sides[1])],
        ['blocks found while split', String(r.foundWhileSplit[0]), String(r.foundWhileSplit[1])],
        ['height at the heal', String(r.heightsAtHeal[0]), String(r.heightsAtHeal[1])],
        ['chain kept', r.winner === 0 ? 'yes' : 'no', r.winner === 1 ? 'yes' : 'no'],
      ],
    ),
    '',
    `converged ${r.convergeMs === null ? 'not within the wait' : `${duration(r.convergeMs)} after the heal`}; ${r.orphaned} blocks found while split were orphaned; ${r.reorgs} reorganisations returned ${r.returnedToPools} transactions to pools (${r.returnedDistinct} distinct)`,
    footer(r),
  ].join('\n');
}

export function partitionPlot(r: PartitionResult): string {
  return lineChart({
    title: `Partition: chain height of each side (split ${duration(r.splitAtMs)}, heal ${duration(r.healAtMs)})`,
    xLabel: 'time (minutes)',
    yLabel: 'highest tip on the side',
    series: [
      { name: `side 0 (${r.sides[0]} peers)`, points: r.heights.map(([t, a]) => [t / 60_000, a] as const), style: 'line' },
      { name: `side 1 (${r.sides[1]} peers)`, points: r.heights.map(([t, , b]) => [t / 60_000, b] as const), style: 'line', dashed: true },
    ],
  });
}
