import { DoubleSpender } from '../strategies/double-spend';
import { nakamoto, rosenfeld, strictDoubleSpend } from '../theory';
import { round, wilson } from '../stats';
import { count, percentSig, table } from '../format';
import { check, footer, type Hooked, type ResultBase } from './common';
import { attackerMesh, honestAndAttacker, runWorld, type OwnFields } from './run-world';
import { lineChart } from '../svg';

export interface DoubleSpendOptions extends Hooked {
  readonly seed: string | number;
  /** The attacker's share of the hash power. */
  readonly q: number;
  /** Confirmations the merchant waits for (the payment's block and z − 1 on top). */
  readonly z: number;
  /** Attempts, one after another. Default 1000. */
  readonly trials?: number;
  /** The attacker gives up when the public chain is more than this many blocks ahead. Default 20. */
  readonly giveUpBehind?: number;
  /** Honest miners, each a peer with an equal share; the first is the merchant. Default 4. */
  readonly honest?: number;
  /** Mean block interval (virtual ms). Default 600 000. */
  readonly intervalMs?: number;
  /** One-way latency of every link (ms). Default 100. */
  readonly latencyMs?: number;
}

export interface DoubleSpendResult extends ResultBase {
  readonly scenario: 'doublespend';
  readonly q: number;
  readonly z: number;
  readonly trials: number;
  readonly successes: number;
  readonly successRate: number;
  /** Wilson 95 % interval of the success rate. */
  readonly interval95: { readonly low: number; readonly high: number };
  /** The model of this chain's rules (strictly longer branch), with the attacker's give-up as simulated. */
  readonly theory: number;
  /** The same with an attacker that never gives up. */
  readonly theoryNoGiveUp: number;
  readonly theoryInInterval: boolean;
  readonly nakamoto: number;
  readonly rosenfeld: number;
  readonly giveUpBehind: number;
  /** Mean attacker blocks when the merchant accepted (the model says z·q/p). */
  readonly meanAttackerBlocksAtAcceptance: number | null;
  readonly honestPeers: number;
  /** Attempts whose branch was published but not taken by the merchant (it had heard of a block the attacker had not). */
  readonly lost: number;
  /** Attempts given up, and of them before the merchant accepted. */
  readonly gaveUp: number;
  /** Success rate by the attacker's blocks when the merchant accepted: [k, attempts, successes, model]. */
  readonly byK: readonly (readonly [number, number, number, number])[];
}

/** Every setting of a double-spending run, defaults filled in. */
export type DoubleSpendSettings = Required<Omit<DoubleSpendOptions, 'hooks'>>;

export const DOUBLESPEND_DEFAULTS = { trials: 1000, giveUpBehind: 20, honest: 4, intervalMs: 600_000, latencyMs: 100 } as const;

/** Check the options and fill in every default. */
export function resolveDoubleSpend(o: DoubleSpendOptions): DoubleSpendSettings {
  const d = DOUBLESPEND_DEFAULTS;
  return {
    seed: o.seed,
    q: check('q', o.q, 0.001, 0.499),
    z: check('z', o.z, 1, 100, true),
    trials: check('trials', o.trials ?? d.trials, 1, 10_000_000, true),
    giveUpBehind: check('give-up', o.giveUpBehind ?? d.giveUpBehind, 1, 10_000, true),
    honest: check('honest', o.honest ?? d.honest, 1, 1000, true),
    intervalMs: check('interval', o.intervalMs ?? d.intervalMs, 1000, 86_400_000),
    latencyMs: check('latency', o.latencyMs ?? d.latencyMs, 0.01, 60_000),
  };
}

/**
 * Double spending against a merchant that waits for z confirmations, on a network of honest
 * miners (a full mesh) and the attacker linked to each of them.
 */
export async function doublespend(options: DoubleSpendOptions): Promise<DoubleSpendResult> {
  const o = resolveDoubleSpend(options);
  const { q, z, trials, giveUpBehind, honest, intervalMs, latencyMs } = o;
  const attacker = honest;
  const mesh = attackerMesh({ seed: o.seed, honest, latencyMs, intervalMs });
  const settings = {
    ...mesh,
    // A payment stays valid for a week: it must not expire while the chain waits for a block.
    network: { txTtlMs: 7 * 86_400_000 },
    // The payment is mined by the next honest block wherever it is found.
    peer: { ...mesh.peer, minerGraceMs: 0 },
  };
  return runWorld<OwnFields<DoubleSpendResult>>(options, settings, async (world) => {
    const honestNodes = Array.from({ length: honest }, (_, i) => i);
    const spender = new DoubleSpender(world, attacker, honestNodes, 0, z, giveUpBehind, trials);
    const mining = honestAndAttacker(world, honest, spender, q, intervalMs);
    await world.runFor(5_000);
    spender.begin();
    mining.start();
    await world.scheduler.run({ stopWhen: () => spender.done });
    mining.stop();
    await world.scheduler.run({ until: world.scheduler.time + 60_000, stopWhen: () => world.converged() });

    const finished = spender.attempts.filter((a) => a.outcome !== null);
    const successes = finished.filter((a) => a.outcome === 'success').length;
    const ci = wilson(successes, finished.length);
    const theory = strictDoubleSpend(q, z, giveUpBehind);
    const ks = finished.map((a) => a.attackerBlocksAtAcceptance).filter((k): k is number => k !== null);
    return {
      blocks: mining.found,
      close: () => spender.branch.close(),
      fields: {
        scenario: 'doublespend',
        q,
        z,
        trials: finished.length,
        successes,
        successRate: round(finished.length === 0 ? 0 : successes / finished.length, 5) as number,
        interval95: { low: round(ci.low, 5) as number, high: round(ci.high, 5) as number },
        theory: round(theory, 5) as number,
        theoryNoGiveUp: round(strictDoubleSpend(q, z), 5) as number,
        theoryInInterval: theory >= ci.low && theory <= ci.high,
        nakamoto: round(nakamoto(q, z), 5) as number,
        rosenfeld: round(rosenfeld(q, z), 5) as number,
        giveUpBehind,
        meanAttackerBlocksAtAcceptance: ks.length === 0 ? null : round(ks.reduce((a, b) => a + b, 0) / ks.length),
        honestPeers: honest,
        lost: finished.filter((a) => a.outcome === 'lost').length,
        gaveUp: finished.filter((a) => a.outcome === 'gave-up').length,
        byK: [...new Set(ks)]
          .sort((a, b) => a - b)
          .map((k) => {
            const at = finished.filter((a) => a.attackerBlocksAtAcceptance === k);
            const p = 1 - q;
            return [
              k,
              at.length,
              at.filter((a) => a.outcome === 'success').length,
              round(k > z ? 1 : (q / p) ** (z - k + 1)) as number,
            ] as const;
          }),
      },
    };
  });
}

export function doublespendTable(r: DoubleSpendResult): string {
  const pct = (x: number) => percentSig(x);
  return [
    `double spending: attacker with q = ${r.q} of the hash power, merchant waits for z = ${r.z} confirmations; ${count(r.trials)} attempts against ${r.honestPeers} honest miners; the attacker gives up ${r.giveUpBehind + 1} blocks behind`,
    '',
    table(
      ['', 'success rate'],
      [
        ['simulated (real peers)', `${pct(r.successRate)} (${r.successes} of ${r.trials})`],
        ['95 % interval (Wilson)', `${pct(r.interval95.low)} – ${pct(r.interval95.high)}`],
        [
          'this chain’s rules: strictly longer branch, same give-up',
          `${pct(r.theory)}${r.theoryInInterval ? ' (inside the interval)' : ' (OUTSIDE the interval)'}`,
        ],
        ['the same, never giving up', pct(r.theoryNoGiveUp)],
        ['Rosenfeld 2014 (a tie wins)', pct(r.rosenfeld)],
        ['Nakamoto 2008 (Poisson approximation)', pct(r.nakamoto)],
      ],
    ),
    '',
    `attacker blocks when the merchant accepted: mean ${r.meanAttackerBlocksAtAcceptance ?? '—'} (model z·q/p = ${((r.z * r.q) / (1 - r.q)).toFixed(3)}); success by them: ${r.byK
      .map(([k, n, s, m]) => `k=${k}: ${s}/${n} (model ${m})`)
      .join(', ')}`,
    `${r.lost} branches published but not taken by the merchant; ${r.gaveUp} attempts given up`,
    footer(r),
  ].join('\n');
}

/** Success probability against z for this q: the three models, and the simulated rate with its 95 % interval. */
export function doublespendPlot(r: DoubleSpendResult): string {
  const zs = Array.from({ length: Math.max(r.z + 2, 6) }, (_, i) => i + 1);
  const curve = (f: (q: number, z: number) => number) => zs.map((z) => [z, Math.max(f(r.q, z), 1e-9)] as const);
  return lineChart({
    title: `Double spending with q = ${r.q}: success against confirmations`,
    xLabel: 'confirmations z',
    yLabel: 'success probability (log scale)',
    yLog: true,
    yFormat: (v) => (v >= 0.01 ? `${Number((v * 100).toPrecision(2))}%` : v.toExponential(0)),
    series: [
      { name: 'this chain (strictly longer wins)', points: curve((q, z) => strictDoubleSpend(q, z, r.giveUpBehind)), style: 'line' },
      { name: 'Rosenfeld 2014 (a tie wins)', points: curve(rosenfeld), style: 'line', dashed: true },
      { name: 'Nakamoto 2008', points: curve(nakamoto), style: 'line', dashed: true },
      { name: 'simulated, with 95 % interval', points: [[r.z, Math.max(r.successRate, 1e-9)]], style: 'points', colour: '#000' },
      {
        name: '',
        points: [
          [r.z, Math.max(r.interval95.low, 1e-9)],
          [r.z, Math.max(r.interval95.high, 1e-9)],
        ],
        style: 'line',
        colour: '#000',
      },
    ],
  });
}
