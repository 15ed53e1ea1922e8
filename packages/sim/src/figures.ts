import type { Counts } from './estimate';
import type { PropagationResult } from './scenarios/propagation';
import type { SelfishResult } from './scenarios/selfish';
import type { DoubleSpendResult } from './scenarios/doublespend';
import type { PartitionResult } from './scenarios/partition';
import type { EclipseResult } from './scenarios/eclipse';

/** How a figure is written: a percentage, a fraction (0.3263), a duration, a number. */
export type FigureUnit = 'percent' | 'fraction' | 'ms' | 'number';

/** What an estimate's place against a reference means, in words. */
export interface Verdicts {
  readonly above: string;
  readonly below: string;
  readonly inside: string;
}

/** A value a figure is compared with: a theory, a model, a published figure, a threshold. */
export interface Reference<R = never> {
  readonly key: string;
  readonly label: string;
  readonly value: (r: R) => number | null;
  /** Absent: shown beside the figure, no conclusion drawn. */
  readonly verdicts?: Verdicts;
}

/** A headline figure of a scenario: one value a run, summarised over the seeds. */
export interface Figure<R = never> {
  readonly key: string;
  readonly label: string;
  readonly unit: FigureUnit;
  readonly value: (r: R) => number | null;
  /** For a rate: its successes and trials in the run (the interval then also covers the pooled Wilson interval). */
  readonly counts?: (r: R) => Counts;
  readonly references?: readonly Reference<R>[];
}

const agreement = (what: string): Verdicts => ({
  inside: `consistent with ${what} (inside the interval)`,
  above: `above ${what} (the whole interval is)`,
  below: `below ${what} (the whole interval is)`,
});

/** A rate of successes in trials, beside the model it is tested against and a published figure shown with it. */
function rateFigure<R>(
  rate: Pick<Figure<R>, 'key' | 'label' | 'value'> & { readonly counts: (r: R) => Counts },
  model: Reference<R>,
  published: Reference<R>,
): Figure<R> {
  return { ...rate, unit: 'percent', references: [model, published] };
}

export const PROPAGATION_FIGURES: readonly Figure<PropagationResult>[] = [
  rateFigure<PropagationResult>(
    { key: 'staleRate', label: 'stale rate', value: (r) => r.staleRate, counts: (r) => ({ k: r.staleBlocks, n: r.blocks }) },
    { key: 'model', label: 'model 1 − exp(−t/T)', value: (r) => r.modelStaleRate, verdicts: agreement('the model 1 − exp(−t/T)') },
    { key: 'gervais2016', label: 'Gervais et al. 2016', value: (r) => r.publishedStaleRate },
  ),
  { key: 'reach90p50', label: 'median time to reach 90 %', unit: 'ms', value: (r) => r.propagationMs.p50 },
  { key: 'reach100p50', label: 'median time to reach 100 %', unit: 'ms', value: (r) => r.reachMs['100'].p50 },
  { key: 'meanDelayMs', label: 'mean delay to a peer', unit: 'ms', value: (r) => r.meanDelayMs },
];

export const SELFISH_FIGURES: readonly Figure<SelfishResult>[] = [
  {
    key: 'revenueShare',
    label: 'pool’s share of the main chain',
    unit: 'fraction',
    value: (r) => r.revenueShare,
    references: [
      { key: 'theory', label: 'R(α, γ measured)', value: (r) => r.theory, verdicts: agreement('Eyal & Sirer’s R(α, γ measured)') },
      {
        key: 'alpha',
        label: 'α (honest mining)',
        value: (r) => r.alpha,
        verdicts: {
          above: 'the pool gains over honest mining (the whole interval is above α)',
          below: 'the pool loses against honest mining (the whole interval is below α)',
          inside: 'too wide to conclude whether the pool gains over honest mining: the interval straddles α',
        },
      },
    ],
  },
  { key: 'gammaMeasured', label: 'γ measured', unit: 'fraction', value: (r) => r.gammaMeasured },
];

export const DOUBLESPEND_FIGURES: readonly Figure<DoubleSpendResult>[] = [
  rateFigure<DoubleSpendResult>(
    { key: 'successRate', label: 'success rate', value: (r) => r.successRate, counts: (r) => ({ k: r.successes, n: r.trials }) },
    { key: 'theory', label: 'this chain’s model', value: (r) => r.theory, verdicts: agreement('the model of this chain’s rules') },
    { key: 'rosenfeld', label: 'Rosenfeld 2014', value: (r) => r.rosenfeld },
  ),
];

export const PARTITION_FIGURES: readonly Figure<PartitionResult>[] = [
  { key: 'convergeMs', label: 'time to converge after the heal', unit: 'ms', value: (r) => r.convergeMs },
  { key: 'orphaned', label: 'blocks orphaned', unit: 'number', value: (r) => r.orphaned },
  { key: 'returnedDistinct', label: 'transactions returned to pools (distinct)', unit: 'number', value: (r) => r.returnedDistinct },
];

export const ECLIPSE_FIGURES: readonly Figure<EclipseResult>[] = [
  { key: 'victim1OnHonest', label: 'victim 1: time on the honest chain', unit: 'percent', value: (r) => r.victims[0].onHonestChain },
  { key: 'victim2OnHonest', label: 'victim 2: time on the honest chain', unit: 'percent', value: (r) => r.victims[1].onHonestChain },
  { key: 'victim2Attackers', label: 'victim 2: attacker neighbours', unit: 'number', value: (r) => r.victims[1].attackerNeighbours },
  { key: 'victim2Poisoned', label: 'victim 2: addresses from one host', unit: 'number', value: (r) => r.victims[1].learnedFromPoisoner },
];
