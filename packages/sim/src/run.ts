import { propagation, propagationTable, type PropagationOptions } from './scenarios/propagation';
import { GERVAIS_INTERVALS, propagationPlot, propagationSweep, sweepPlot, sweepTable } from './scenarios/propagation-sweep';
import { selfish, selfishPlot, selfishTable } from './scenarios/selfish';
import { doublespend, doublespendPlot, doublespendTable } from './scenarios/doublespend';
import { partition, partitionPlot, partitionTable } from './scenarios/partition';
import { eclipse, eclipsePlot, eclipseTable } from './scenarios/eclipse';

/** The scenarios `chain-peer sim` knows. */
export const SCENARIOS = ['propagation', 'selfish', 'doublespend', 'partition', 'eclipse'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Flags as the command line gives them (already parsed to numbers where they are numbers). */
export interface SimFlags {
  readonly seed?: string;
  readonly peers?: number;
  readonly topology?: string;
  readonly latency?: string;
  readonly bandwidth?: number;
  readonly loss?: number;
  readonly heartbeat?: number;
  readonly wire?: 'object' | 'json';
  readonly interval?: number;
  readonly blocks?: number;
  readonly txPerBlock?: number;
  readonly txRate?: number;
  readonly contentBytes?: number;
  readonly miners?: number;
  /** `true` for Gervais et al.'s intervals, or a list (ms). */
  readonly sweepInterval?: true | readonly number[];
  readonly alpha?: number;
  readonly gamma?: number;
  readonly honest?: number;
  readonly q?: number;
  readonly z?: number;
  readonly trials?: number;
  readonly giveUp?: number;
  readonly splitAt?: number;
  readonly healAt?: number;
  readonly share?: number;
  readonly attackers?: number;
  readonly duration?: number;
}

/** What a run produced: the result (JSON), its table, and its chart. */
export interface SimOutput {
  readonly result: object;
  readonly text: string;
  readonly svg: string;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Run a scenario with command-line flags. */
export async function runScenario(name: string, f: SimFlags): Promise<SimOutput> {
  const seed = f.seed ?? '1';
  const common = defined({
    seed,
    topology: f.topology,
    latency: f.latency,
    bandwidthBps: f.bandwidth,
    loss: f.loss,
    heartbeatMs: f.heartbeat,
    wire: f.wire,
  });
  switch (name) {
    case 'propagation': {
      const o: PropagationOptions = {
        ...common,
        peers: f.peers ?? 100,
        ...defined({
          intervalMs: f.interval,
          blocks: f.blocks,
          txPerBlock: f.txPerBlock,
          txPerSecond: f.txRate,
          txContentBytes: f.contentBytes,
          miners: f.miners,
        }),
      };
      if (f.sweepInterval !== undefined) {
        const s = await propagationSweep(o, f.sweepInterval === true ? GERVAIS_INTERVALS : f.sweepInterval);
        return { result: s, text: sweepTable(s), svg: sweepPlot(s) };
      }
      const r = await propagation(o);
      return { result: r, text: propagationTable(r), svg: propagationPlot(r) };
    }
    case 'selfish': {
      if (f.alpha === undefined) throw new RangeError('selfish needs --alpha (the pool’s share of the hash power, e.g. 0.3)');
      const r = await selfish({
        seed,
        alpha: f.alpha,
        gamma: f.gamma ?? 0,
        ...defined({ blocks: f.blocks, honest: f.honest, intervalMs: f.interval }),
      });
      return { result: r, text: selfishTable(r), svg: selfishPlot([r]) };
    }
    case 'doublespend': {
      if (f.q === undefined || f.z === undefined)
        throw new RangeError('doublespend needs --q (the attacker’s share of the hash power) and --z (confirmations)');
      const r = await doublespend({
        seed,
        q: f.q,
        z: f.z,
        ...defined({ trials: f.trials, giveUpBehind: f.giveUp, honest: f.honest, intervalMs: f.interval }),
      });
      return { result: r, text: doublespendTable(r), svg: doublespendPlot(r) };
    }
    case 'partition': {
      const r = await partition({
        ...common,
        peers: f.peers ?? 60,
        ...defined({ intervalMs: f.interval, splitAtMs: f.splitAt, healAtMs: f.healAt, share: f.share, txPerSecond: f.txRate }),
      });
      return { result: r, text: partitionTable(r), svg: partitionPlot(r) };
    }
    case 'eclipse': {
      const r = await eclipse({
        seed,
        ...defined({ honest: f.peers, attackers: f.attackers, alpha: f.alpha, intervalMs: f.interval, durationMs: f.duration }),
      });
      return { result: r, text: eclipseTable(r), svg: eclipsePlot(r) };
    }
    default:
      throw new RangeError(`unknown scenario "${name}"; choose one of ${SCENARIOS.join(', ')}`);
  }
}

/** `600000`, `600s`, `10m`, `1h`, `500ms` → milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(text.trim());
  if (!m) throw new RangeError(`${what} "${text}" is not a duration: a number of ms, or with a unit: 500ms, 10s, 10m, 1h`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = n * ({ ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 } as Record<string, number>)[unit]!;
  if (!(ms > 0)) throw new RangeError(`${what} must be positive, got "${text}"`);
  return ms;
}

/** `a,b,c` durations → ms. */
export function parseDurations(text: string, what = 'durations'): number[] {
  return text.split(',').map((s) => parseDuration(s, what));
}
