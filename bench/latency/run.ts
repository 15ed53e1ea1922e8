/**
 * Propagation latency: three peers on loopback, each with its own data directory (every
 * acknowledgement durable) and a miner; a client submits a transaction to A over TCP and the clock
 * stops when a block holding it is on all three. p50 / p99 over 200 trials, for the `comp3221` and
 * `default` presets, with protocol 1.1 and 1.2. References in the same run: a loopback TCP round trip and one fdatasync.
 *
 *   npm run bench -- latency [--quick] [--no-write] [--trials N] [--protocol 1.1|1.2|both]
 *
 * The presets run with the three peers in this process (three Peer instances, their miners in
 * worker threads). The `default` rules at difficulty 3 run twice: in this process, and with each
 * peer in a process of its own (each child notes on the machine's monotonic clock when the block
 * arrives, so IPC adds nothing to the figure). Only the origin peer mines the transaction at once;
 * the other two hold a gossiped transaction back for `minerGraceMs` (1 s, the default), as deployed.
 * Every setting runs with each protocol version (every peer speaking it) or the one `--protocol`
 * names: a trio for each, running at once, their trials taken in turn.
 */
import { COMP3221_NETWORK, DEFAULT_NETWORK, type NetworkParams } from '@chain/core';
import type { ProtocolVersion } from '@chain/protocol';
import { argValue, fsyncLatency, log, logMachine, loopbackRtt, machine, median, ms, quick, runMain, write } from '../lib/common.js';
import { measure, type PresetResult } from './measure.js';
import { latencyReport } from './report.js';

const trials = Number(argValue('--trials') ?? (quick ? 20 : 200));
if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials is a whole number of at least 1, got ${argValue('--trials')}`);
const only = argValue('--protocol') ?? 'both';
if (only !== 'both' && only !== '1.1' && only !== '1.2') throw new Error(`--protocol is 1.1, 1.2 or both, got ${only}`);
const protocols: readonly ProtocolVersion[] = only === 'both' ? ['1.1', '1.2'] : [only];

/** The `default` rules at difficulty 3: the figure the process-separation targets are set for. */
const D3_NETWORK: NetworkParams = Object.freeze({ ...DEFAULT_NETWORK, name: 'default-d3', difficulty: 3 });

async function main(): Promise<void> {
  logMachine();
  const load = machine().load;
  log('References: loopback round trip, fdatasync ...');
  const rtt = median(await loopbackRtt());
  const fsync = median(fsyncLatency());
  log(`  loopback RTT p50 ${ms(rtt)}, fdatasync p50 ${ms(fsync)}`);
  const results: PresetResult[] = [];
  for (const [preset, network] of [
    ['comp3221', COMP3221_NETWORK],
    ['default', DEFAULT_NETWORK],
    ['default-d3', D3_NETWORK],
  ] as const) {
    log(`Preset ${preset}, protocol ${protocols.join(' and ')}: ${trials} trials each ...`);
    results.push(...(await measure(preset, network, 'one process', protocols, trials)));
  }
  log(`Preset default-d3, protocol ${protocols.join(' and ')}, each peer in its own process: ${trials} trials each ...`);
  results.push(...(await measure('default-d3', D3_NETWORK, 'three processes', protocols, trials)));
  const report = latencyReport({ results, protocols, trials, rtt, fsync, load });
  console.log(`\n${report.text}`);
  if (!write) return;
  report.write();
  log('Updated docs/benchmarks.md');
}

runMain(main);
