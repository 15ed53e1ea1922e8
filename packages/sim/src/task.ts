import { performance } from 'node:perf_hooks';
import { version } from '../package.json';
import { blockEvents, type BlockEvent } from './block-events';
import { scenarioOptions, type GivenFlags } from './config';
import { worldSettings, type WorldSettings } from './world-settings';
import { scenarioOf, type ScenarioName } from './scenarios/registry';
import type { RunHooks } from './scenarios/common';
import type { Task } from './plan';

/** The version of @chain/sim every result carries. */
export const SIM_VERSION: string = version;

/** One run to do, as plain data (it crosses to a worker thread). */
export interface TaskSpec extends Task {
  readonly scenario: ScenarioName;
  readonly flags: GivenFlags;
  /** Keep every found block's record. */
  readonly events: boolean;
}

/** What one run gave: its result (with the configuration it ran with) and its blocks when asked. */
export interface RunRecord {
  readonly task: number;
  readonly point: number;
  readonly seed: string;
  readonly values: Readonly<Record<string, number>>;
  readonly result: Readonly<Record<string, unknown>>;
  readonly events?: readonly BlockEvent[];
}

/** How far a running task is. */
export interface TaskProgress {
  readonly task: number;
  readonly virtualMs: number;
  readonly blocks: number;
  readonly messages: number;
}

/** The least real time between two progress reports of a task (ms). */
const REPORT_MS = 200;

/**
 * Run one task. The result carries `simVersion` and `config`: every setting of the scenario with
 * its defaults, and what the world ran with (network parameters, links, every peer's settings).
 */
export async function runTask(t: TaskSpec, watch?: (p: TaskProgress) => void): Promise<RunRecord> {
  const s = scenarioOf(t.scenario);
  const options = scenarioOptions(s, t.seed, { ...t.flags, ...t.values });
  const settings = s.resolve(options);
  let world: WorldSettings | undefined;
  let events: BlockEvent[] | undefined;
  const hooks: RunHooks = {
    started: (w) => {
      world = worldSettings(w);
      if (watch === undefined) return;
      let last = -Infinity;
      // Every 1024 events, a look at the real clock; a report at most every REPORT_MS.
      w.scheduler.observe(() => {
        const now = performance.now();
        if (now - last < REPORT_MS) return;
        last = now;
        watch({ task: t.index, virtualMs: w.elapsed, blocks: w.tracker.mined.length, messages: w.trace.messages });
      }, 10);
    },
    ending: (w) => {
      w.scheduler.observe(null);
      if (t.events) events = blockEvents(w);
    },
  };
  const result = await s.run({ ...options, hooks });
  return {
    task: t.index,
    point: t.point,
    seed: t.seed,
    values: t.values,
    result: { ...result, simVersion: SIM_VERSION, config: { scenario: s.name, seed: t.seed, ...settings, world } },
    ...(events === undefined ? {} : { events }),
  };
}
