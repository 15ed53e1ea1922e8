import { Command, InvalidArgumentError, Option } from 'commander';
import {
  SCENARIOS,
  SCENARIO_LIST,
  SIM_FLAGS,
  defaultJobs,
  flagDefaults,
  parseDurations,
  parseFlag,
  parseShard,
  planOf,
  render,
  runPlan,
  shardFromEnv,
  shardRecords,
  type FlagSpec,
  type Shard,
} from '@chain/sim';
import { EXIT, UsageError } from '../errors';
import { intArg } from '../parse';
import type { CommandContext } from './context';
import { addOutputOptions, prepareOutputs, writeOutputs, type OutputFlags } from './sim-output';
import { ProgressLine } from './sim-progress';
import { simMergeCommand } from './sim-merge';

/** Commander parser of a scenario setting: the simulator's own check, its message kept. */
function settingArg(f: FlagSpec): (value: string) => number | string {
  return (value) => {
    try {
      return parseFlag(f, value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A flag's default in each scenario that takes it: `(default: propagation 10m, partition 1m)`, once when they agree. */
function defaultsText(name: string): string {
  const takers = SCENARIO_LIST.filter((s) => name in s.flags).map((s) => [s.name, flagDefaults(s)[name]] as const);
  const values = new Set(takers.map(([, v]) => v));
  const list = takers.map(([n]) => n).join(', ');
  if (values.size === 1) return `(${list}; default: ${[...values][0]})`;
  return `(default: ${takers.map(([n, v]) => `${n} ${v}`).join('; ')})`;
}

interface SimCommandFlags extends OutputFlags {
  readonly seed: string;
  readonly seeds?: string;
  readonly sweep?: string[];
  readonly sweepInterval?: true | string;
  readonly jobs: number;
  readonly shard?: string;
  readonly shardCount?: number;
}

const SIM_HELP = `
Every simulated peer is a real peer (the rules, the protocol, gossip and sync) on a virtual
network with a virtual clock; one seed decides everything, and each result ends with the trace
hash of the run (the same for the same command and seed). A setting a scenario does not take is
an error; durations need a unit (500ms, 10s, 2m, 1h).

Scenarios:
${SCENARIO_LIST.map((s) => `  ${s.name.padEnd(12)}  ${s.summary}`).join('\n')}

Many runs:
  --seeds N | A..B | LIST    every figure as mean, standard error and 95 % interval (Student's t
                             over the seeds; rates also cover the pooled Wilson interval)
  --sweep FLAG=START:END:STEP or FLAG=A,B,C, again for a grid: one row a point
  --jobs N                   runs at once in worker threads; the results are the same for any N
  --shard I/N                the I-th of N shares, as JSON Lines for \`chain-peer sim merge\`
                             (or --shard-count N with JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)

Examples:
  chain-peer sim propagation --peers 200 --interval 10s --blocks 100
  chain-peer sim selfish --alpha 0.3 --gamma 0.5 --blocks 10000 --seeds 20
  chain-peer sim selfish --sweep alpha=0.1:0.45:0.05 --sweep gamma=0,0.5 --seeds 10 --plot selfish.svg
  chain-peer sim propagation --peers 100 --sweep interval=10m,1m,10s,1s --format csv
  chain-peer sim doublespend --q 0.1 --z 2 --trials 2000 --json
  chain-peer sim doublespend --q 0.3 --z 2 --seeds 40 --shard 1/4 > shard-1.jsonl
  chain-peer sim merge shard-*.jsonl --plot doublespend.png
  chain-peer sim partition --peers 60 --split-at 10m --heal-at 40m --events blocks.jsonl
`;

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    // Settings out of range are refused before anything runs, naming the setting.
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
}

function shardOf(flags: SimCommandFlags): Shard | null {
  if (flags.shard !== undefined) return parseShard(flags.shard);
  if (flags.shardCount === undefined) return null;
  const s = shardFromEnv(flags.shardCount);
  if (s === null)
    throw new RangeError(
      '--shard-count takes the shard from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, and neither is set: give --shard I/N',
    );
  return s;
}

/** `sim <scenario>`: run a simulation (many seeds, a sweep, a shard) and print its results; `--plot` writes a chart. */
export async function sim(scenario: string, flags: SimCommandFlags, command: Command, ctx: CommandContext): Promise<number> {
  if (!(SCENARIOS as readonly string[]).includes(scenario))
    throw new UsageError(`unknown scenario "${scenario}"; choose one of ${SCENARIOS.join(', ')}`);
  const given = (name: string) => command.getOptionValueSource(camel(name)) === 'cli';
  const settings: Record<string, number | string> = {};
  for (const f of SIM_FLAGS) if (given(f.name)) settings[f.name] = command.getOptionValue(camel(f.name)) as number | string;
  const plan = usage(() =>
    planOf({
      scenario,
      flags: settings,
      seed: given('seed') ? flags.seed : undefined,
      seeds: flags.seeds,
      sweep: flags.sweep,
      sweepInterval:
        flags.sweepInterval === undefined || flags.sweepInterval === true
          ? flags.sweepInterval
          : parseDurations(flags.sweepInterval, '--sweep-interval'),
    }),
  );
  const shard = usage(() => shardOf(flags));
  if (shard !== null) {
    const extra = (['json', 'plot', 'events'] as const).find((k) => flags[k] !== undefined) ?? (given('format') ? 'format' : undefined);
    if (extra !== undefined)
      throw new UsageError(`--${extra} is for the whole run: a shard writes JSON Lines records; give --${extra} to chain-peer sim merge`);
  }
  const chart = shard === null ? await prepareOutputs(flags) : null;
  const tasks = plan.seeds.length * plan.sweep.reduce((n, a) => n * a.values.length, 1);
  const progress = new ProgressLine(
    ctx.err,
    process.stderr.isTTY === true && !flags.json,
    shard ? Math.ceil(tasks / shard.count) : tasks,
    `sim ${scenario}`,
  );
  const records = await runPlan(plan, {
    jobs: flags.jobs,
    shard,
    events: shard !== null || flags.events !== undefined,
    onProgress: progress.progress,
    onDone: progress.done,
  });
  progress.finish(Math.min(flags.jobs, tasks));
  if (shard !== null) ctx.out(shardRecords(plan, shard, records));
  else await writeOutputs(render(plan, records), flags, chart, ctx.out);
  return EXIT.ok;
}

export function simCommand(ctx: CommandContext): Command {
  const command = new Command('sim')
    .description('simulate thousands of real peers on a virtual network: propagation, selfish mining, double spending, partitions, eclipse')
    .argument('<scenario>', SCENARIOS.join(' | '))
    .option('--seed <text>', 'the seed of every random choice', '1')
    .option('--seeds <n|a..b|list>', 'run every seed: 20 (1 to 20), 5..9 or 3,7,11; figures get a mean and a 95 % interval')
    .option(
      '--sweep <flag=values>',
      'sweep a numeric setting: alpha=0.1:0.45:0.05 or interval=10m,10s; repeat for a grid',
      (v: string, prev: string[] = []) => [...prev, v],
    );
  for (const f of SIM_FLAGS) {
    const o = new Option(`--${f.name} <${f.value}>`, `${f.help} ${defaultsText(f.name)}`).argParser(settingArg(f));
    command.addOption(f.choices ? o.choices(f.choices) : o);
  }
  command
    .addOption(
      new Option(
        '--sweep-interval [list]',
        "propagation: --sweep interval=… by another name; alone, Gervais et al.'s 10m,150s,60s,30s,10s,5s,1s,500ms",
      ),
    )
    .addOption(
      new Option('--jobs <n>', "runs at once, each in a worker thread (the machine's cores)")
        .argParser(intArg('--jobs', 1, 1024))
        .default(defaultJobs()),
    )
    .option('--shard <i/n>', 'run the i-th of n shares of the runs and write their records (JSON Lines) for `sim merge`')
    .addOption(
      new Option('--shard-count <n>', 'the number of shares, this one from JOB_COMPLETION_INDEX (from 0) or SLURM_ARRAY_TASK_ID').argParser(
        intArg('--shard-count', 1, 1_000_000),
      ),
    );
  return addOutputOptions(command, {
    json: 'print the result as JSON: every run, every setting with its default, the version',
    plot: 'write a chart of the result: file.svg, or file.png (drawn by a headless Chromium)',
    events: 'write every found block as a JSON line: finder, time found, reach times, stale, height',
  })
    .addHelpText('after', SIM_HELP)
    .addCommand(simMergeCommand(ctx))
    .action(async (scenario: string, flags: SimCommandFlags, cmd: Command) => ctx.setExit(await sim(scenario, flags, cmd, ctx)));
}
