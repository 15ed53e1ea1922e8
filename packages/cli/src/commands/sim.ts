import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SCENARIOS, parseDuration, parseDurations, runScenario, type SimFlags } from '@chain/sim';
import { EXIT, UsageError } from '../errors';
import { intArg, numberArg } from '../parse';
import type { CommandContext, Out } from './context';
import * as flag from './options';

/** Commander parser: a duration (`600000`, `10m`, `1s`, `500ms`). */
function durationArg(what: string): (value: string) => number {
  return (value) => {
    try {
      return parseDuration(value, what);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** Bits a second, with an optional k, M or G: `20M`. */
function bandwidthArg(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([kMG]?)$/.exec(value);
  if (!m) throw new InvalidArgumentError('--bandwidth must be bits a second, e.g. 20000000 or 20M');
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[m[2] ?? '']!;
}

interface SimCommandFlags extends Omit<SimFlags, 'sweepInterval'> {
  readonly sweepInterval?: true | string;
  readonly json?: boolean;
  readonly plot?: string;
}

const SIM_HELP = `
Every simulated peer is a real peer (the rules, the protocol, gossip and sync) on a virtual
network with a virtual clock; one seed decides everything, and each result ends with the trace
hash of the run (the same for the same command and seed).

Scenarios:
  propagation   time for a block to reach 50/90/100 % of the peers, and the stale rate
  selfish       a selfish pool's share of the main chain beside Eyal & Sirer's formula
  doublespend   a double spender's success rate beside the model of this chain's rules
  partition     a split network that heals: time to converge, transactions returned to pools
  eclipse       a victim surrounded by the attacker, and one protected by docs/spec.md §7

Examples:
  chain-peer sim propagation --peers 200 --interval 10s --blocks 100
  chain-peer sim propagation --peers 100 --sweep-interval --plot stale.svg
  chain-peer sim selfish --alpha 0.3 --gamma 0.5 --blocks 10000
  chain-peer sim doublespend --q 0.1 --z 2 --trials 2000 --json
  chain-peer sim partition --peers 60 --split-at 10m --heal-at 40m
  chain-peer sim eclipse --plot eclipse.svg
`;

/** `sim <scenario>`: run a simulation and print its table (or JSON); `--plot` writes a chart. */
export async function sim(scenario: string, flags: SimCommandFlags, out: Out): Promise<number> {
  if (!(SCENARIOS as readonly string[]).includes(scenario))
    throw new UsageError(`unknown scenario "${scenario}"; choose one of ${SCENARIOS.join(', ')}`);
  const { json, plot, sweepInterval, ...rest } = flags;
  let sweep: SimFlags['sweepInterval'];
  try {
    sweep = sweepInterval === undefined || sweepInterval === true ? sweepInterval : parseDurations(sweepInterval, '--sweep-interval');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let output;
  try {
    output = await runScenario(scenario, { ...rest, sweepInterval: sweep });
  } catch (err) {
    // Settings out of range are refused before anything runs, naming the setting.
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  out(json ? `${JSON.stringify(output.result, null, 2)}\n` : `${output.text}\n`);
  if (plot !== undefined) {
    writeFileSync(plot, output.svg);
    if (!json) out(`chart written to ${plot}\n`);
  }
  return EXIT.ok;
}

export function simCommand(ctx: CommandContext): Command {
  return new Command('sim')
    .description('simulate thousands of real peers on a virtual network: propagation, selfish mining, double spending, partitions, eclipse')
    .argument('<scenario>', SCENARIOS.join(' | '))
    .option('--seed <text>', 'the seed of every random choice', '1')
    .option('--peers <n>', 'peers (propagation, partition: all of them; eclipse: honest miners)', intArg('--peers', 2, 100_000))
    .option('--topology <spec>', 'regular:K (random K-regular, default regular:8), mesh, or a file of edges "a b" a line')
    .option('--latency <spec>', 'constant:MS, uniform:MIN-MAX, lognormal:MEDIAN,SIGMA or regions (default regions)')
    .option(
      '--bandwidth <bits/s>',
      "upload and download of every peer, e.g. 20M (default: the region preset's, else unlimited)",
      bandwidthArg,
    )
    .option('--loss <p>', 'probability that a segment is lost and resent after a timeout', numberArg('--loss', 0, 0.99))
    .option('--heartbeat <duration>', 'heartbeat of every peer (default 5s, longer for long intervals)', durationArg('--heartbeat'))
    .option('--interval <duration>', 'mean time between blocks, e.g. 10m, 10s (virtual time)', durationArg('--interval'))
    .option('--blocks <n>', 'blocks to find', intArg('--blocks', 1, 10_000_000))
    .option('--tx-per-block <n>', 'transactions a block holds at most (propagation)', intArg('--tx-per-block', 1, 10_000))
    .option('--tx-rate <tx/s>', 'transactions users send a second (propagation, partition)', numberArg('--tx-rate', 0, 1_000_000))
    .option(
      '--miners <n>',
      'propagation: peers that mine, chosen at random with equal shares (default: every peer)',
      intArg('--miners', 1, 100_000),
    )
    .option('--content-bytes <n>', "characters of each transaction's content, 12-70 (propagation)", intArg('--content-bytes', 12, 70))
    .addOption(
      new Option(
        '--sweep-interval [list]',
        "propagation at each interval: Gervais et al.'s (10m,150s,60s,30s,10s,5s,1s,500ms) or a comma list",
      ),
    )
    .option('--alpha <share>', "the attacker's share of the hash power (selfish, eclipse)", numberArg('--alpha', 0, 0.999))
    .option('--gamma <share>', 'selfish: share of honest hash power the pool aims to reach first in a race', numberArg('--gamma', 0, 1))
    .option('--honest <n>', 'honest miners (selfish default 10, doublespend default 4)', intArg('--honest', 1, 1000))
    .option('--q <share>', "doublespend: the attacker's share of the hash power", numberArg('--q', 0.001, 0.499))
    .option('--z <n>', 'doublespend: confirmations the merchant waits for', intArg('--z', 1, 100))
    .option('--trials <n>', 'doublespend: attempts', intArg('--trials', 1, 10_000_000))
    .option(
      '--give-up <n>',
      'doublespend: the attacker gives up when more than this many blocks behind (default 20)',
      intArg('--give-up', 1, 10_000),
    )
    .option('--split-at <duration>', 'partition: when the network splits (default 10m)', durationArg('--split-at'))
    .option('--heal-at <duration>', 'partition: when it heals (default 40m)', durationArg('--heal-at'))
    .option('--share <fraction>', 'partition: share of the peers on the second side (default 0.5)', numberArg('--share', 0.01, 0.99))
    .option('--attackers <n>', 'eclipse: attacker peers (default 40)', intArg('--attackers', 1, 1000))
    .option('--duration <duration>', 'eclipse: how long the attack runs (default 2h)', durationArg('--duration'))
    .addOption(
      new Option(
        '--wire <mode>',
        "payloads by reference (object) or through JSON and the protocol's checks (json); the same trace either way",
      ).choices(['object', 'json']),
    )
    .addOption(flag.json('print the result as JSON'))
    .option('--plot <file.svg>', 'write a chart of the result as SVG')
    .addHelpText('after', SIM_HELP)
    .action(async (scenario: string, flags: SimCommandFlags) => ctx.setExit(await sim(scenario, flags, ctx.out)));
}
