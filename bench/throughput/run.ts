/**
 * Throughput: confirmed signed transactions per second across three peers on the `default`
 * preset, sustained for 60 s, with the clients in a separate process, once for each protocol
 * version in the same run. Each peer runs in its own process with a data directory; clients
 * spread their transactions over all three peers. A transaction counts as confirmed when the
 * block holding it is on the best chain of all three. Reference in the same run: native Ed25519
 * verifications per second on one core.
 *
 *   npm run bench -- throughput [--quick] [--no-write] [--seconds N] [--protocol 1.1|1.2] [--cpu-prof] [--verify-threads N]
 *
 * One peer (A) mines, with one worker and no grace for gossiped transactions; B and C validate
 * and serve. With three miners at the same difficulty, equal-height forks would make peers throw
 * away each other's blocks; see docs/benchmarks.md.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NETWORK, createGenesis } from '@chain/core';
import type { ProtocolVersion } from '@chain/protocol';
import { argValue, count, ed25519Reference, log, logMachine, machine, quick, runMain, scratch, write } from '../lib/common.js';
import { profileSummary } from '../lib/profile.js';
import { Proc } from '../lib/proc.js';
import { measure, type Outcome } from './measure.js';
import { throughputReport } from './report.js';

const seconds = Number(argValue('--seconds') ?? (quick ? 10 : 60));
const warm = quick ? 3 : 5;
const cpuProf = process.argv.includes('--cpu-prof');
const only = argValue('--protocol');
if (only !== undefined && only !== '1.1' && only !== '1.2') throw new Error(`--protocol is 1.1 or 1.2, got ${only}`);
const protocols: readonly ProtocolVersion[] = only === undefined ? ['1.1', '1.2'] : [only];
if (!Number.isFinite(seconds) || seconds < 10) throw new Error(`--seconds is a number of at least 10, got ${argValue('--seconds')}`);

/** The profile of A's main thread (the first file its process wrote). */
function profileOf(o: Outcome) {
  if (!o.profDir) return undefined;
  const dir = join(o.profDir, 'a');
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  return file ? profileSummary(join(dir, file)) : undefined;
}

async function main(): Promise<void> {
  logMachine();
  const load = machine().load;
  const edRate = ed25519Reference();
  const root = scratch('throughput');
  const client = new Proc(fileURLToPath(new URL('./client.ts', import.meta.url)));
  await client.ready;
  const want = Math.round((seconds + warm) * 7000);
  log(`Clients: signing ${count(want)} transactions ahead of time (each run submits them from the first) ...`);
  const genesisHash = createGenesis(DEFAULT_NETWORK).currentHash;
  const prep = await client.call<{ prepared: number; ms: number }>({ cmd: 'prepare', count: want, genesisHash });
  log(`  ${count(prep.prepared)} in ${(prep.ms / 1000).toFixed(1)} s`);
  const runs: Outcome[] = [];
  for (const p of protocols) {
    const o = await measure(p, client, root, warm, seconds, cpuProf);
    log(`  protocol ${p}: ${count(o.rate)} confirmed tx/s, ${(o.rate / edRate).toFixed(2)}× one core's verify rate`);
    runs.push(o);
  }
  client.child.send({ cmd: 'exit' });
  const profiles = runs.map(profileOf);
  if (cpuProf) log(`CPU profiles in ${root}/<protocol>/prof`);
  else rmSync(root, { recursive: true, force: true });
  const report = throughputReport(runs, profiles, { edRate, load, seconds, warm });
  console.log('\n' + report.table);
  if (!write) return;
  report.write();
  log('Updated docs/benchmarks.md');
}

runMain(main);
