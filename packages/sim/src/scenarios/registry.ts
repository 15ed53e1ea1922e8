import type { ResultBase } from './common';
import {
  propagation,
  propagationTable,
  resolvePropagation,
  PROPAGATION_DEFAULTS,
  type PropagationOptions,
  type PropagationResult,
} from './propagation';
import { propagationPlot } from './propagation-sweep';
import { resolveSelfish, selfish, selfishPlot, selfishTable, type SelfishOptions, type SelfishResult } from './selfish';
import {
  doublespend,
  doublespendPlot,
  doublespendTable,
  resolveDoubleSpend,
  type DoubleSpendOptions,
  type DoubleSpendResult,
} from './doublespend';
import {
  partition,
  partitionPlot,
  partitionTable,
  resolvePartition,
  PARTITION_DEFAULTS,
  type PartitionOptions,
  type PartitionResult,
} from './partition';
import { eclipse, eclipsePlot, eclipseTable, resolveEclipse, type EclipseOptions, type EclipseResult } from './eclipse';
import { DOUBLESPEND_FIGURES, ECLIPSE_FIGURES, PARTITION_FIGURES, PROPAGATION_FIGURES, SELFISH_FIGURES, type Figure } from '../figures';

/** The scenarios `chain-peer sim` knows. */
export const SCENARIOS = ['propagation', 'selfish', 'doublespend', 'partition', 'eclipse'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

type Options = Record<string, unknown>;

/** A scenario as the runner sees it: the flags it takes, how to run it and how to show its results. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly summary: string;
  /** The flags it takes: flag name → the key of its option. */
  readonly flags: Readonly<Record<string, string>>;
  /** Options it starts from before any flag (peers it runs by default). */
  readonly base: Readonly<Options>;
  /** Flags it cannot run without, with what to say when one is missing, and an example value for `--help`. */
  readonly required: Readonly<Record<string, { readonly message: string; readonly example: number }>>;
  /** Defaults that follow other settings, in words (for `--help`). */
  readonly derived: Readonly<Record<string, string>>;
  /** For flags it does not take that a reader might reach for: what to use instead. */
  readonly instead: Readonly<Record<string, string>>;
  /** Every setting, defaults filled in and checked. */
  readonly resolve: (o: Options) => Options;
  readonly run: (o: Options) => Promise<ResultBase>;
  readonly table: (r: ResultBase) => string;
  /** A chart of one run, or of several at different settings. */
  readonly plot: (runs: readonly ResultBase[]) => string;
  readonly figures: readonly Figure<ResultBase>[];
}

/** Erases a scenario's own types once its functions are matched with each other. */
function define<O, R extends ResultBase>(s: {
  name: ScenarioName;
  summary: string;
  flags: Record<string, keyof O & string>;
  base?: Partial<O>;
  required?: Scenario['required'];
  derived?: Scenario['derived'];
  instead?: Scenario['instead'];
  resolve: (o: O) => object;
  run: (o: O) => Promise<R>;
  table: (r: R) => string;
  plot: (runs: readonly R[]) => string;
  figures: readonly Figure<R>[];
}): Scenario {
  return { base: {}, required: {}, derived: {}, instead: {}, ...s } as unknown as Scenario;
}

/** A chart that draws one run: the first of those given. */
const firstRun =
  <R>(plot: (r: R) => string) =>
  (runs: readonly R[]): string =>
    plot(runs[0] as R);

const COMMON = {
  peers: 'peers',
  topology: 'topology',
  latency: 'latency',
  bandwidth: 'bandwidthBps',
  loss: 'loss',
  heartbeat: 'heartbeatMs',
  wire: 'wire',
  protocol: 'protocol',
  'validation-us-per-tx': 'validationUsPerTx',
  interval: 'intervalMs',
} as const;

const COMMON_DERIVED = {
  topology: 'regular:8 (mesh up to 9 peers)',
  bandwidth: "the latency model's (regions: per region), else unlimited",
};

export const SCENARIO_LIST: readonly Scenario[] = [
  define<PropagationOptions, PropagationResult>({
    name: 'propagation',
    summary: 'time for a block to reach 50/90/100 % of the peers, and the stale rate',
    flags: {
      ...COMMON,
      blocks: 'blocks',
      'tx-per-block': 'txPerBlock',
      'tx-rate': 'txPerSecond',
      'content-bytes': 'txContentBytes',
      miners: 'miners',
    },
    base: { peers: PROPAGATION_DEFAULTS.peers },
    derived: {
      ...COMMON_DERIVED,
      heartbeat: 'once an interval, 5s to 10m',
      'tx-rate': 'what blocks take: tx-per-block an interval',
      miners: 'every peer',
    },
    instead: { honest: 'every peer mines: --peers, or --miners for fewer' },
    resolve: resolvePropagation,
    run: propagation,
    table: propagationTable,
    plot: firstRun(propagationPlot),
    figures: PROPAGATION_FIGURES,
  }),
  define<SelfishOptions, SelfishResult>({
    name: 'selfish',
    summary: "a selfish pool's share of the main chain beside Eyal & Sirer's formula",
    flags: { alpha: 'alpha', gamma: 'gamma', blocks: 'blocks', honest: 'honest', interval: 'intervalMs' },
    required: { alpha: { message: 'selfish needs --alpha (the pool’s share of the hash power, e.g. 0.3)', example: 0.3 } },
    instead: { peers: 'the honest miners are --honest, the pool one more peer' },
    resolve: resolveSelfish,
    run: selfish,
    table: selfishTable,
    plot: selfishPlot,
    figures: SELFISH_FIGURES,
  }),
  define<DoubleSpendOptions, DoubleSpendResult>({
    name: 'doublespend',
    summary: "a double spender's success rate beside the model of this chain's rules",
    flags: { q: 'q', z: 'z', trials: 'trials', 'give-up': 'giveUpBehind', honest: 'honest', interval: 'intervalMs' },
    required: {
      q: { message: 'doublespend needs --q (the attacker’s share of the hash power) and --z (confirmations)', example: 0.1 },
      z: { message: 'doublespend needs --q (the attacker’s share of the hash power) and --z (confirmations)', example: 1 },
    },
    instead: { peers: 'the honest miners are --honest, the attacker one more peer', alpha: "the attacker's share is --q" },
    resolve: resolveDoubleSpend,
    run: doublespend,
    table: doublespendTable,
    plot: firstRun(doublespendPlot),
    figures: DOUBLESPEND_FIGURES,
  }),
  define<PartitionOptions, PartitionResult>({
    name: 'partition',
    summary: 'a split network that heals: time to converge, transactions returned to pools',
    flags: { ...COMMON, 'split-at': 'splitAtMs', 'heal-at': 'healAtMs', share: 'share', 'tx-rate': 'txPerSecond' },
    base: { peers: PARTITION_DEFAULTS.peers },
    derived: COMMON_DERIVED,
    resolve: resolvePartition,
    run: partition,
    table: partitionTable,
    plot: firstRun(partitionPlot),
    figures: PARTITION_FIGURES,
  }),
  define<EclipseOptions, EclipseResult>({
    name: 'eclipse',
    summary: 'a victim surrounded by the attacker, and one protected by docs/spec.md §7',
    flags: { peers: 'honest', attackers: 'attackers', alpha: 'alpha', interval: 'intervalMs', duration: 'durationMs' },
    instead: { honest: 'the honest miners are --peers here' },
    resolve: resolveEclipse,
    run: eclipse,
    table: eclipseTable,
    plot: firstRun(eclipsePlot),
    figures: ECLIPSE_FIGURES,
  }),
];

/** The scenario called `name`, or an error listing them. */
export function scenarioOf(name: string): Scenario {
  const s = SCENARIO_LIST.find((x) => x.name === name);
  if (s === undefined) throw new RangeError(`unknown scenario "${name}"; choose one of ${SCENARIOS.join(', ')}`);
  return s;
}
