import { createHash } from 'node:crypto';
import { clipped, compare, estimate, meanOf, rateEstimate, type Comparison, type Estimate } from './estimate';
import { round } from './stats';
import { gridPoints, type Plan, type Task } from './plan';
import { scenarioOf, type ScenarioName } from './scenarios/registry';
import type { ResultBase } from './scenarios/common';
import type { Figure, Reference } from './figures';
import { SIM_VERSION, type RunRecord } from './task';

/** A reference value beside a figure and what the figure's interval says about it. */
export interface ReferenceSummary extends Pick<Reference, 'key' | 'label'> {
  /** Mean over the seeds (a theory can depend on what a run measured). */
  readonly value: number | null;
  readonly comparison: Comparison;
  /** The conclusion in words, or null when the reference draws none or there is no interval. */
  readonly verdict: string | null;
}

/** A headline figure over the seeds of one point. */
export interface FigureSummary extends Pick<Figure, 'key' | 'label' | 'unit'> {
  readonly estimate: Estimate;
  readonly references: readonly ReferenceSummary[];
}

/** One point of the grid: its settings, its figures over the seeds, and every run's full result. */
export interface PointSummary extends Pick<Task, 'point' | 'values'> {
  readonly seeds: number;
  readonly figures: readonly FigureSummary[];
  /** SHA-256 over its runs' trace hashes, in seed order. */
  readonly traceHash: string;
  readonly runs: readonly Readonly<Record<string, unknown>>[];
}

/** The result of many runs: the plan, a summary a point, and every run. */
export interface SimDocument extends Pick<Plan, 'scenario' | 'seeds' | 'sweep' | 'flags'> {
  readonly simVersion: string;
  /** The first run's configuration: every setting with its defaults (the swept ones vary by point). */
  readonly config: unknown;
  readonly runs: number;
  readonly blocks: number;
  readonly messages: number;
  /** Real time of the runs added up (the only figure that differs between equal runs). */
  readonly wallMs: number;
  /** SHA-256 over every run's trace hash, in plan order: equal for equal runs. */
  readonly traceHash: string;
  readonly points: readonly PointSummary[];
}

function hashOf(hashes: readonly string[]): string {
  const h = createHash('sha256');
  for (const x of hashes) h.update(`${x}\n`);
  return h.digest('hex');
}

const r6 = (x: number | null): number | null => (x === null ? null : round(x, 6));

function rounded(e: Estimate): Estimate {
  return { ...e, mean: r6(e.mean), sd: r6(e.sd), se: r6(e.se), low: r6(e.low), high: r6(e.high) };
}

/** The figures of one point over its runs. */
export function summarise(scenario: ScenarioName, runs: readonly ResultBase[]): FigureSummary[] {
  return scenarioOf(scenario).figures.map((f) => {
    const raw = f.counts
      ? rateEstimate(runs.filter((r) => f.value(r) !== null).map((r) => f.counts!(r)))
      : estimate(runs.map((r) => f.value(r) ?? NaN));
    const e = f.unit === 'percent' || f.unit === 'fraction' ? clipped(raw) : raw;
    return {
      key: f.key,
      label: f.label,
      unit: f.unit,
      estimate: rounded(e),
      references: (f.references ?? []).map((ref) => {
        const value = meanOf(runs.map((r) => ref.value(r)));
        const comparison = ref.verdicts ? compare(e, value) : 'no-interval';
        return {
          key: ref.key,
          label: ref.label,
          value: r6(value),
          comparison,
          verdict: ref.verdicts && comparison !== 'no-interval' ? ref.verdicts[comparison] : null,
        };
      }),
    };
  });
}

/** The document of a plan's runs (every task's record, in any order). */
export function buildDocument(plan: Plan, records: readonly RunRecord[]): SimDocument {
  const sorted = [...records].sort((a, b) => a.task - b.task);
  const points = gridPoints(plan.sweep).map((values, point): PointSummary => {
    const runs = sorted.filter((r) => r.point === point).map((r) => r.result);
    return {
      point,
      values,
      seeds: runs.length,
      figures: summarise(plan.scenario, runs as unknown as ResultBase[]),
      traceHash: hashOf(runs.map((r) => r.traceHash as string)),
      runs,
    };
  });
  const all = sorted.map((r) => r.result as unknown as ResultBase);
  return {
    scenario: plan.scenario,
    simVersion: SIM_VERSION,
    seeds: plan.seeds,
    sweep: plan.sweep,
    flags: plan.flags,
    config: sorted[0]?.result.config ?? null,
    runs: all.length,
    blocks: all.reduce((n, r) => n + r.blocks, 0),
    messages: all.reduce((n, r) => n + r.messages, 0),
    wallMs: all.reduce((n, r) => n + r.wallMs, 0),
    traceHash: hashOf(all.map((r) => r.traceHash)),
    points,
  };
}
