import { createHash } from 'node:crypto';
import { lineChart } from '../svg';
import { staleModel } from '../theory';
import { GERVAIS_2016_INTERVALS, gervaisAt } from '../published';
import { duration, percent, table } from '../format';
import { propagation, type PropagationOptions, type PropagationResult } from './propagation';

/** Gervais et al.'s intervals (ms), longest first. */
export const GERVAIS_INTERVALS = GERVAIS_2016_INTERVALS.map((r) => r.intervalMs);

export interface PropagationSweep {
  readonly scenario: 'propagation';
  readonly seed: string | number;
  readonly peers: number;
  /** Blocks found over every run. */
  readonly blocks: number;
  readonly wallMs: number;
  /** SHA-256 of the runs' trace hashes, in order. */
  readonly traceHash: string;
  readonly sweep: readonly PropagationResult[];
}

/** The propagation scenario at each interval, every other setting the same. */
export async function propagationSweep(
  o: PropagationOptions,
  intervalsMs: readonly number[] = GERVAIS_INTERVALS,
): Promise<PropagationSweep> {
  if (intervalsMs.length === 0) throw new RangeError('the sweep needs at least one interval');
  const sweep: PropagationResult[] = [];
  for (const intervalMs of intervalsMs) sweep.push(await propagation({ ...o, intervalMs }));
  const hash = createHash('sha256');
  for (const r of sweep) hash.update(`${r.traceHash}\n`);
  return {
    scenario: 'propagation',
    seed: o.seed,
    peers: o.peers,
    blocks: sweep.reduce((n, r) => n + r.blocks, 0),
    wallMs: sweep.reduce((n, r) => n + r.wallMs, 0),
    traceHash: hash.digest('hex'),
    sweep,
  };
}

export function sweepTable(s: PropagationSweep): string {
  const first = s.sweep[0] as PropagationResult;
  const rows = s.sweep.map((r) => [
    duration(r.intervalMs),
    duration(r.reachMs['50'].p50 ?? NaN),
    duration(r.propagationMs.p50 ?? NaN),
    `${r.staleBlocks}/${r.blocks}`,
    percent(r.staleRate),
    percent(r.modelStaleRate ?? NaN),
    r.publishedStaleRate === null ? '' : percent(r.publishedStaleRate),
    r.traceHash.slice(0, 12),
  ]);
  return [
    `propagation sweep: ${first.peers} peers (${first.topology}, latency ${first.latency}), ${first.blocks} blocks per interval of up to ${first.txPerBlock} transactions, seed ${first.seed}`,
    '',
    table(['interval', 'median to 50 %', 'median to 90 %', 'stale', 'stale rate', 'model', 'Gervais 2016', 'trace'], rows),
    '',
    'model: 1 − exp(−t/T), t the mean time for a block to reach a peer, T the interval',
    `trace ${s.traceHash} (seed ${s.seed}; over the runs' traces, in order)`,
  ].join('\n');
}

/** Stale rate against block interval: this simulation, the model, and Gervais et al. 2016. */
export function sweepPlot(s: PropagationSweep): string {
  // A log scale has no zero: intervals without a stale block are left out (the table has them).
  const ours = s.sweep.filter((r) => r.staleRate > 0).map((r) => [r.intervalMs / 1000, r.staleRate] as const);
  const model = s.sweep.map((r) => [r.intervalMs / 1000, r.modelStaleRate ?? NaN] as const);
  const published = GERVAIS_2016_INTERVALS.map((r) => [r.intervalMs / 1000, r.staleRate] as const);
  return lineChart({
    title: `Stale blocks against block interval (${s.sweep[0]?.peers} peers)`,
    xLabel: 'mean block interval (s, log scale)',
    yLabel: 'stale rate (log scale)',
    xLog: true,
    yLog: true,
    legend: 'bottom-left',
    xFormat: (v) => (v >= 1 ? String(v) : v.toString()),
    yFormat: (v) => `${Number((v * 100).toPrecision(2))}%`,
    series: [
      { name: 'simulated (real peers; intervals with no stale block left out)', points: ours },
      { name: 'model 1 − exp(−t/T)', points: model, style: 'line', dashed: true },
      { name: 'Gervais et al. 2016 (simulated)', points: published },
    ],
  });
}

/** A single run: share of peers reached against time, at the 50th, 90th and 99th percentile over blocks. */
export function propagationPlot(r: PropagationResult): string {
  const at = (k: 'p50' | 'p90' | 'p99') =>
    (
      [
        ['50', 0.5],
        ['90', 0.9],
        ['100', 1],
      ] as const
    ).map(([key, share]) => [r.reachMs[key][k] ?? NaN, share] as const);
  return lineChart({
    title: `Block propagation: ${r.peers} peers, ${r.blocks} blocks`,
    xLabel: 'time since the block was found (ms)',
    yLabel: 'share of peers that have it',
    yInclude: [0],
    yFormat: (v) => `${Math.round(v * 100)}%`,
    series: [
      { name: 'median block', points: [[0, 1 / r.peers], ...at('p50')] },
      { name: '90th percentile block', points: [[0, 1 / r.peers], ...at('p90')] },
      { name: '99th percentile block', points: [[0, 1 / r.peers], ...at('p99')] },
    ],
  });
}

export { gervaisAt, staleModel };
