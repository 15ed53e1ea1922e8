import { planTasks, type Plan } from './plan';
import { shardTasks, type Shard } from './shard';
import { runTasks, type PoolOptions } from './pool';
import { buildDocument, type SimDocument } from './document';
import { documentTable } from './report-table';
import { documentCsv, documentJsonl } from './report-rows';
import { documentPlot } from './report-plot';
import { scenarioOf } from './scenarios/registry';
import type { ResultBase } from './scenarios/common';
import type { RunRecord, TaskSpec } from './task';

export interface ExperimentOptions extends PoolOptions {
  /** Run only this share of the plan's runs. */
  readonly shard?: Shard | null;
  /** Keep every found block's record (`--events`). */
  readonly events?: boolean;
}

/** The tasks of a plan (of one shard when given), ready to run. */
export function planSpecs(plan: Plan, o: Pick<ExperimentOptions, 'shard' | 'events'> = {}): TaskSpec[] {
  return shardTasks(planTasks(plan), o.shard ?? null).map((t) => ({
    ...t,
    scenario: plan.scenario,
    flags: plan.flags,
    events: o.events ?? false,
  }));
}

/** Run a plan (or a shard of it), `jobs` runs at a time; the records come in plan order. */
export function runPlan(plan: Plan, o: ExperimentOptions = {}): Promise<RunRecord[]> {
  return runTasks(planSpecs(plan, o), o);
}

/** Every way of writing a plan's results, made when asked for. */
export interface Rendered {
  /** One run's result as `--json` prints it, or the document of many. */
  readonly json: () => object;
  readonly table: () => string;
  readonly csv: () => string;
  readonly jsonl: () => string;
  readonly svg: () => string;
  /** Every found block, a JSON line each, with its run's seed and point. */
  readonly events: () => string;
  readonly document: () => SimDocument;
}

/** The outputs of a plan's records (all of them: a whole run, or shards merged). */
export function render(plan: Plan, records: readonly RunRecord[]): Rendered {
  let doc: SimDocument | undefined;
  const document = () => (doc ??= buildDocument(plan, records));
  const single = !plan.multi && records.length === 1 ? (records[0] as RunRecord) : null;
  const s = scenarioOf(plan.scenario);
  return {
    json: () => single?.result ?? document(),
    table: () => (single ? s.table(single.result as unknown as ResultBase) : documentTable(document())),
    csv: () => documentCsv(document()),
    jsonl: () => documentJsonl(document()),
    svg: () => (single ? s.plot([single.result as unknown as ResultBase]) : documentPlot(document())),
    events: () =>
      [...records]
        .sort((a, b) => a.task - b.task)
        .flatMap((r) =>
          (r.events ?? []).map(
            (e) => `${JSON.stringify({ scenario: plan.scenario, seed: r.seed, point: r.point, values: r.values, ...e })}\n`,
          ),
        )
        .join(''),
    document,
  };
}
