/**
 * Sync: a fresh peer joins a peer that holds 10,000 blocks of 5 signed transactions; the clock
 * runs from the start of the fresh peer until it has the same tip. Reported as transactions per
 * second, against native Ed25519 verifications per second on one core measured in the same run
 * (every synced transaction is verified once). Each peer runs in its own process with a data
 * directory; the chain is generated once by bench/peer/make-chain.ts and cached. The fresh peer
 * syncs once per protocol: 1.1 (`hb` batches) and 1.2 (headers first, bodies by `gb`), against
 * the same server.
 *
 *   npm run bench -- sync [--quick] [--no-write] [--blocks N] [--protocol 1.1|1.2] [--cpu-prof]
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { ChainState } from '@chain/core';
import { DiskBlockStore } from '@chain/peer';
import { BENCH_NETWORK } from '../peer/make-chain.js';
import { headerReader, txRootFor } from '../../packages/peer/src/headers/stored-headers.js';
import { headersWithin } from '../../packages/peer/src/headers/handlers.js';
import {
  argValue,
  cachedChain,
  count,
  ed25519Reference,
  log,
  logMachine,
  machine,
  ms,
  quick,
  ratio,
  runMain,
  scratch,
  write,
} from '../lib/common.js';
import { table, updateSection, updateSummary } from '../lib/report.js';
import { Proc } from '../lib/proc.js';

const blocks = Number(argValue('--blocks') ?? (quick ? 1000 : 10_000));
const cpuProf = process.argv.includes('--cpu-prof');
const only = argValue('--protocol');
if (only !== undefined && only !== '1.1' && only !== '1.2') throw new Error(`--protocol is 1.1 or 1.2, got ${only}`);
const protocols = only === undefined ? (['1.1', '1.2'] as const) : ([only] as const);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Stats {
  height: number;
  tip: string;
  verifications: number;
  repeated: number;
  cpuMs: number;
  rss: number;
}

interface Run {
  readonly protocol: '1.1' | '1.2';
  readonly elapsed: number;
  readonly rate: number;
  readonly stats: Stats;
  /** CPU time the server spent meanwhile. */
  readonly serverCpuMs: number;
}

/** One sync of a fresh peer speaking `protocol` from the server at `addr`. */
async function syncOnce(protocol: '1.1' | '1.2', addr: string, root: string, server: Proc, target: Stats): Promise<Run> {
  const script = here('../lib/peer-process.ts');
  const prof = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(root, `prof-${protocol}`)}`] : [];
  log(`Protocol ${protocol}: starting a fresh peer ...`);
  const fresh = new Proc(script, prof);
  await fresh.ready;
  const cpu0 = (await fresh.call<Stats>({ cmd: 'stats' }).catch(() => ({ cpuMs: 0 }))).cpuMs;
  const server0 = (await server.call<Stats>({ cmd: 'stats' })).cpuMs;
  const t0 = process.hrtime.bigint();
  // The counting verifier turns the default pool off (a given `ed25519`), so the threads are asked for here.
  const verifyThreads = Number(argValue('--verify-threads') ?? (availableParallelism() >= 2 ? availableParallelism() : 0));
  await fresh.call({
    cmd: 'start',
    network: BENCH_NETWORK,
    options: { dataDir: join(root, `fresh-${protocol}`), mine: false, neighbours: [addr], heartbeatMs: 5000, verifyThreads, protocol },
  });
  // Answered when the fresh peer's tip is the server's (it checks on each block it adds; nothing polls it).
  const stats = await fresh.call<Stats>({ cmd: 'wait-tip', tip: target.tip });
  stats.cpuMs -= cpu0;
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  const serverCpuMs = (await server.call<Stats>({ cmd: 'stats' })).cpuMs - server0;
  const rate = ((target.height - 1) * 5) / (elapsed / 1000);
  log(
    `  same tip after ${ms(elapsed)}: ${count(rate)} tx/s, ${stats.verifications} verifications (${stats.repeated} repeated), fresh peer CPU ${ms(stats.cpuMs)}, server CPU ${ms(serverCpuMs)}`,
  );
  await fresh.call({ cmd: 'stop' }).catch(() => undefined);
  return { protocol, elapsed, rate, stats, serverCpuMs };
}

/** Time to serve every header of the chain in `dir` from a cold log: from the record metas, and from whole blocks. */
async function headerCost(dir: string): Promise<{ meta: number; whole: number }> {
  const out = { meta: 0, whole: 0 };
  for (const kind of ['whole', 'meta'] as const) {
    const store = await DiskBlockStore.open(dir, { txRoot: txRootFor(BENCH_NETWORK), cacheBytes: 0 });
    const chain = await ChainState.open({ params: BENCH_NETWORK, store });
    if (kind === 'whole') store.txRootOf = async () => null; // as for records of an older log
    const reader = headerReader(chain, store);
    const t = process.hrtime.bigint();
    let n = 0;
    for (let from = 2; from <= chain.height; from += 2000) n += (await headersWithin(chain, reader, from, 2000, 16 << 20)).headers.length;
    out[kind] = Number(process.hrtime.bigint() - t) / 1e3 / n;
    await store.close();
  }
  return out;
}

async function main(): Promise<void> {
  logMachine();
  const load = machine().load;
  const edRate = ed25519Reference();
  const source = await cachedChain(blocks);
  const root = scratch('sync');
  cpSync(source, join(root, 'server'), { recursive: true });
  const server = new Proc(here('../lib/peer-process.ts'));
  await server.ready;
  const addr = (
    await server.call<{ address: string }>({
      cmd: 'start',
      network: BENCH_NETWORK,
      options: { dataDir: join(root, 'server'), mine: false },
    })
  ).address;
  const target = await server.call<Stats>({ cmd: 'stats' });
  log(`Server at height ${target.height}`);
  const runs: Run[] = [];
  for (const p of protocols) runs.push(await syncOnce(p, addr, root, server, target));
  await server.call({ cmd: 'stop' }).catch(() => undefined);
  log('Serving headers from the server’s log (cold) ...');
  const headers = await headerCost(source);
  log(`  ${headers.meta.toFixed(1)} µs a header from the record metas, ${headers.whole.toFixed(1)} µs from whole blocks`);
  if (cpuProf) log(`CPU profiles in ${join(root, 'prof-*')}`);
  else rmSync(root, { recursive: true, force: true });

  const txs = (target.height - 1) * 5;
  const verifyThreads = Number(argValue('--verify-threads') ?? (availableParallelism() >= 2 ? availableParallelism() : 0));
  const out = table(
    ['figure', ...runs.map((r) => `protocol ${r.protocol}`)],
    [
      ['blocks × transactions', ...runs.map(() => `${(target.height - 1).toLocaleString('en-US')} × 5`)],
      ['time to the same tip (fresh peer start → same tip)', ...runs.map((r) => ms(r.elapsed))],
      ['synced transactions per second', ...runs.map((r) => count(r.rate))],
      ['reference: native Ed25519 verifications/s, one core', ...runs.map(() => count(edRate))],
      ['ratio', ...runs.map((r) => ratio(r.rate / edRate))],
      ['verify threads of the fresh peer (`--verify-threads N`)', ...runs.map(() => String(verifyThreads))],
      [
        'signature verifications on the main thread (repeated)',
        ...runs.map((r) => `${r.stats.verifications.toLocaleString('en-US')} (${r.stats.repeated})`),
      ],
      ['CPU time of the fresh peer', ...runs.map((r) => ms(r.stats.cpuMs))],
      ['CPU time of the server meanwhile', ...runs.map((r) => ms(r.serverCpuMs))],
      ['target ≥ 1.5× the reference', ...runs.map((r) => (r.rate >= 1.5 * edRate ? 'met' : 'NOT met'))],
    ],
  );
  console.log('\n' + out);
  if (!write) return;
  const v12 = runs.find((r) => r.protocol === '1.2');
  const missed = runs.filter((r) => r.rate < 1.5 * edRate);
  updateSection(
    'Sync',
    [
      `A fresh peer with an empty data directory joins a peer holding ${(target.height - 1).toLocaleString('en-US')} blocks of 5 signed`,
      'transactions (generated by `bench/peer/make-chain.ts`, difficulty 1 so that generating it is quick;',
      'validation costs the same at any difficulty but for one hash). Both peers are separate processes on the',
      'same two cores; the clock runs from the start of the fresh peer (opening its storage included) until its',
      'tip is the server’s. The fresh peer syncs once with protocol 1.1 (`hb` batches of up to 500 blocks, the',
      'next asked while one is added) and once with 1.2 (headers first: `gh` up to 2,000 headers, then the',
      'bodies by `gb` in ranges of about 2,048 transactions, two in flight, added in batches of up to 16,384),',
      `from the same server. Load average ${load} at the start (the machine is shared). Reproduce with`,
      '`npm run bench -- sync` (`--protocol 1.1` or `1.2` for one of them).',
      '',
      out,
      '',
      `Serving headers from the server’s cold log (\`cacheBytes: 0\`): ${headers.meta.toFixed(1)} µs a header from the record metas`,
      `(the txRoot kept in the record, docs/storage.md), ${headers.whole.toFixed(1)} µs reading whole blocks as an older log must.`,
      ...(missed.length === 0
        ? []
        : [
            '',
            `**Why the target is missed (${missed.map((r) => r.protocol).join(', ')}).** Verifying the ${txs.toLocaleString('en-US')} signatures costs ${(txs / edRate).toFixed(2)} core-seconds at the`,
            `reference rate; 1.5× that rate means finishing in ${(txs / (1.5 * edRate)).toFixed(2)} s, that is ${((2 * txs) / (1.5 * edRate)).toFixed(2)} core-seconds on the two cores`,
            `for everything, the server’s share included: ${((2 * txs) / (1.5 * edRate) - txs / edRate).toFixed(2)} left for the rest. ${missed
              .map(
                (r) =>
                  `With ${r.protocol} the fresh peer used ${(r.stats.cpuMs / 1000).toFixed(2)} s of CPU and the server ${(r.serverCpuMs / 1000).toFixed(2)} s in ${(r.elapsed / 1000).toFixed(2)} s, so the rest took about ${((r.stats.cpuMs + r.serverCpuMs) / 1000 - txs / edRate).toFixed(2)} core-seconds and the two cores were busy ${((100 * (r.stats.cpuMs + r.serverCpuMs)) / (2 * r.elapsed)).toFixed(0)} % of the time.`,
              )
              .join(' ')}`,
            '',
            'Both syncs are bound by the CPU, not by waiting. A CPU profile (`--cpu-prof`) of the 1.2 sync shows the',
            'two verify threads in `verifyOneShot` 70–80 % of the run and the main thread busy about 60 % of it:',
            'format checks, canonical forms and hashes of each transaction’s id on its way to the threads, parsing the',
            '`gb` replies, garbage collection (about a tenth of the run), encoding and appending the block log; the',
            'server takes most of what is left of the two cores. Headers first removes the wait between batches and',
            'spreads the blocks over several neighbours, which pays where a link or one server is the limit; with one',
            'server on the same two cores there is no idle time for it to fill, so the two protocols come out within',
            'the noise of this shared machine (runs of either differ by a third from one to the next). 1.2 costs a little',
            'more CPU: each header is hashed three times when it is checked (its hash, its template, its proof of work)',
            'and again when its block comes, about 0.1 s for 10,000, and the server reads 10,000 record metas for `gh`.',
            'What would reach',
            'the target is less main-thread work per transaction, which must fit in the budget above beside the',
            'server’s: the ids and leaves computed on the verify threads from the bytes they are sent, the received',
            'bytes of a block kept for the block log instead of encoding it again, fewer copies of each transaction',
            'between the reply, the checked copy and the chain (less garbage to collect).',
          ]),
    ].join('\n'),
  );
  updateSummary(
    runs.map((r) => [
      r.protocol === '1.1' ? 'Sync, 10,000 blocks × 5 signed tx' : 'Sync 1.2 (headers first), 10,000 blocks × 5 signed tx',
      `${count(r.rate)} tx/s (${ms(r.elapsed)})`,
      `${count(edRate)} Ed25519 verify/s (1 core)`,
      ratio(r.rate / edRate),
      '≥ 1.5×',
      r.rate >= 1.5 * edRate ? 'yes' : 'no',
    ]),
  );
  if (v12) log(`1.2 / 1.1: ${ratio(v12.rate / (runs.find((r) => r.protocol === '1.1')?.rate ?? NaN))}`);
  log('Updated docs/benchmarks.md');
}

runMain(main);
