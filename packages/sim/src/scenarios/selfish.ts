import { SelfishMiner } from '../strategies/selfish';
import { selfishRevenue, selfishThreshold } from '../theory';
import { round } from '../stats';
import { count, percent, table } from '../format';
import { check, footer, type Hooked, type ResultBase } from './common';
import { attackerMesh, honestAndAttacker, runWorld, type OwnFields } from './run-world';
import { lineChart } from '../svg';

export interface SelfishOptions extends Hooked {
  readonly seed: string | number;
  /** The selfish pool's share of the hash power. */
  readonly alpha: number;
  /** The share of honest hash power the pool aims to reach first in a race (the network decides what it gets). */
  readonly gamma?: number;
  /** Blocks to find in all. Default 10 000. */
  readonly blocks?: number;
  /** Honest miners, each a peer with an equal share. Default 10. */
  readonly honest?: number;
  /** Mean block interval (virtual ms). Default 600 000. */
  readonly intervalMs?: number;
  /** One-way latency between honest peers, and between the pool and everyone (ms). Defaults 100 and 1. */
  readonly honestLatencyMs?: number;
  readonly poolLatencyMs?: number;
}

export interface SelfishResult extends ResultBase {
  readonly scenario: 'selfish';
  readonly alpha: number;
  readonly gamma: number;
  /** Races (ties the pool made) settled by an honest block, and the share settled on the pool's block. */
  readonly races: number;
  readonly gammaMeasured: number | null;
  /** The pool's share of the final main chain's blocks. */
  readonly revenueShare: number;
  /** Eyal & Sirer's R(α, γ) at the measured γ, and at the requested one. */
  readonly theory: number | null;
  readonly theoryAtRequestedGamma: number;
  /** Hash power above which selfish mining pays at the measured γ. */
  readonly threshold: number | null;
  readonly mainChainLength: number;
  readonly poolBlocksOnMain: number;
  readonly poolBlocksFound: number;
  readonly honestPeers: number;
  readonly raceTargets: number;
}

/** Every setting of a selfish-mining run, defaults filled in. */
export type SelfishSettings = Required<Omit<SelfishOptions, 'hooks'>>;

export const SELFISH_DEFAULTS = {
  gamma: 0,
  blocks: 10_000,
  honest: 10,
  intervalMs: 600_000,
  honestLatencyMs: 100,
  poolLatencyMs: 1,
} as const;

/** Check the options and fill in every default. */
export function resolveSelfish(o: SelfishOptions): SelfishSettings {
  const d = SELFISH_DEFAULTS;
  const slow = check('honest latency', o.honestLatencyMs ?? d.honestLatencyMs, 0.01, 60_000);
  const fast = check('pool latency', o.poolLatencyMs ?? d.poolLatencyMs, 0.001, 60_000);
  if (2 * fast >= slow)
    throw new RangeError(`the pool's latency (${fast} ms) must be under half the honest latency (${slow} ms), or it cannot win races`);
  return {
    seed: o.seed,
    alpha: check('alpha', o.alpha, 0, 0.5),
    gamma: check('gamma', o.gamma ?? d.gamma, 0, 1),
    blocks: check('blocks', o.blocks ?? d.blocks, 1, 10_000_000, true),
    honest: check('honest', o.honest ?? d.honest, 2, 1000, true),
    intervalMs: check('interval', o.intervalMs ?? d.intervalMs, 1000, 86_400_000),
    honestLatencyMs: slow,
    poolLatencyMs: fast,
  };
}

/**
 * Selfish mining on a network of honest miners (a full mesh, `honestLatencyMs` apart) and one
 * selfish pool linked to each of them `poolLatencyMs` away: the pool hears every honest block
 * first and, in a race, sends its own block to some honest miners only (enough of them for γ);
 * the rest hear the honest block first, from its finder.
 */
export async function selfish(options: SelfishOptions): Promise<SelfishResult> {
  const o = resolveSelfish(options);
  const { alpha, gamma, blocks, honest, intervalMs, honestLatencyMs: slow, poolLatencyMs: fast } = o;
  const pool = honest;
  const settings = {
    ...attackerMesh({ seed: o.seed, honest, latencyMs: slow, intervalMs }),
    latencyOverride: (a: number, b: number) => (a === pool || b === pool ? fast : undefined),
  };
  return runWorld<OwnFields<SelfishResult>>(options, settings, async (world) => {
    const honestNodes = Array.from({ length: honest }, (_, i) => i);
    // A miner's own block never loses its race at that miner, so with k of H miners as targets the
    // chance that the next honest block builds on the pool's is k(H−1)/H²: choose k for γ.
    const k = Math.max(0, Math.min(honest, Math.round((gamma * honest * honest) / (honest - 1))));
    const raceTargets = world.rng
      .fork('race-targets')
      .shuffle([...honestNodes])
      .slice(0, k)
      .sort((a, b) => a - b);
    const selfishMiner = new SelfishMiner(world, pool, honestNodes, raceTargets);
    const mining = honestAndAttacker(world, honest, selfishMiner, alpha, intervalMs);
    // Let every connection open before the first block.
    await world.runFor(5_000);
    mining.start(blocks);
    await world.scheduler.run({ stopWhen: () => !mining.running });
    await world.scheduler.run({ until: world.scheduler.time + 120_000, stopWhen: () => world.converged() });

    const reference = world.nodes[0]!.peer.chain;
    const height = reference.height;
    let poolOnMain = 0;
    for (let h = 2; h <= height; h++) if (selfishMiner.branch.own.has(reference.hashAt(h) as string)) poolOnMain++;
    const main = height - 1;
    const gammaMeasured = selfishMiner.gammaMeasured;
    return {
      blocks: mining.found,
      close: () => selfishMiner.branch.close(),
      fields: {
        scenario: 'selfish',
        alpha,
        gamma,
        races: selfishMiner.races,
        gammaMeasured: round(gammaMeasured),
        revenueShare: round(main === 0 ? 0 : poolOnMain / main, 5) as number,
        theory: Number.isFinite(gammaMeasured) ? round(selfishRevenue(alpha, gammaMeasured), 5) : null,
        theoryAtRequestedGamma: round(selfishRevenue(alpha, gamma), 5) as number,
        threshold: Number.isFinite(gammaMeasured) ? round(selfishThreshold(gammaMeasured)) : null,
        mainChainLength: main,
        poolBlocksOnMain: poolOnMain,
        poolBlocksFound: mining.foundBy[honest] as number,
        honestPeers: honest,
        raceTargets: k,
      },
    };
  });
}

export function selfishTable(r: SelfishResult): string {
  return [
    `selfish mining: pool with α = ${r.alpha} of the hash power against ${r.honestPeers} honest miners; γ requested ${r.gamma} (race blocks sent to ${r.raceTargets} of them); ${count(r.blocks)} blocks found`,
    '',
    table(
      ['', 'value'],
      [
        [
          'γ measured (races settled on the pool’s block)',
          r.gammaMeasured === null ? '— (no race)' : `${r.gammaMeasured} of ${r.races} races`,
        ],
        ['pool’s share of main-chain blocks', `${r.revenueShare.toFixed(4)} (${r.poolBlocksOnMain} of ${r.mainChainLength})`],
        ['Eyal & Sirer R(α, γ measured)', r.theory === null ? '—' : r.theory.toFixed(4)],
        ['difference', r.theory === null ? '—' : (r.revenueShare - r.theory).toFixed(4)],
        [`R(α, γ = ${r.gamma}) as requested`, r.theoryAtRequestedGamma.toFixed(4)],
        ['pool’s share of hash power (honest mining’s revenue)', r.alpha.toFixed(4)],
        ['threshold (1 − γ)/(3 − 2γ) at the measured γ', r.threshold === null ? '—' : r.threshold.toFixed(4)],
        [
          'blocks the pool found / of them on the main chain',
          `${r.poolBlocksFound} / ${percent(r.poolBlocksFound === 0 ? NaN : r.poolBlocksOnMain / r.poolBlocksFound)}`,
        ],
      ],
    ),
    '',
    footer(r),
  ].join('\n');
}

/** The measured revenue against the formula's curve at the measured γ. */
export function selfishPlot(results: readonly SelfishResult[]): string {
  const gammas = [...new Set(results.map((r) => r.gammaMeasured ?? r.gamma))];
  const curves = gammas.slice(0, 3).map((g) => ({
    name: `Eyal & Sirer R(α, γ = ${g.toFixed(2)})`,
    points: Array.from({ length: 50 }, (_, i) => [i / 100, selfishRevenue(i / 100, g)] as const),
    style: 'line' as const,
    dashed: true,
  }));
  return lineChart({
    title: 'Selfish mining: the pool’s share of the main chain',
    xLabel: 'pool’s share of hash power α',
    yLabel: 'pool’s share of main-chain blocks',
    yInclude: [0],
    series: [
      ...curves,
      {
        name: 'honest share (R = α)',
        points: [
          [0, 0],
          [0.5, 0.5],
        ],
        style: 'line',
      },
      { name: 'simulated (real peers)', points: results.map((r) => [r.alpha, r.revenueShare] as const), style: 'points' },
    ],
  });
}
