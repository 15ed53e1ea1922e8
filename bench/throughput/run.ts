/**
 * Throughput: confirmed signed transactions per second across three peers on the `default`
 * preset, sustained for 60 s, with the clients in a separate process. Each peer runs in its own
 * process with a data directory; clients spread their transactions over all three peers. A
 * transaction counts as confirmed when the block holding it is on the best chain of all three.
 * Reference in the same run: native Ed25519 verifications per second on one core.
 *
 *   npm run bench -- throughput [--quick] [--no-write] [--seconds N] [--cpu-prof] [--verify-threads N]
 *
 * One peer (A) mines, with one worker and no grace for gossiped transactions; B and C validate
 * and serve. With three miners at the same difficulty, equal-height forks would make peers throw
 * away each other's blocks; see docs/benchmarks.md.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NETWORK, createGenesis } from '@chain/core';
import { argValue, count, ed25519Reference, log, logMachine, quick, ratio, runMain, scratch, write } from '../lib/common.js';
import { table, updateSection, updateSummary } from '../lib/report.js';
import { Proc } from '../lib/proc.js';

const seconds = Number(argValue('--seconds') ?? (quick ? 10 : 60));
const warm = quick ? 3 : 5;
const cpuProf = process.argv.includes('--cpu-prof');
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Stats {
  height: number;
  tip: string;
  pool: number;
  verifications: number;
  repeated: number;
  txIn: number;
  hbPoolOut: number;
  found: number;
  searchMs: number;
  work: number;
  hashrate: number;
  cpuMs: number;
  rss: number;
  open: number;
}

async function confirmed(peers: Proc[]): Promise<{ height: number; cumTx: number }> {
  const stats = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
  let h = Math.min(...stats.map((s) => s.height));
  for (; h > 1; h--) {
    const at = await Promise.all(peers.map((p) => p.call<{ hash: string; cumTx: number }>({ cmd: 'at', height: h })));
    if (at.every((a) => a.hash === at[0]!.hash)) return { height: h, cumTx: at[0]!.cumTx };
  }
  return { height: 1, cumTx: 0 };
}

async function main(): Promise<void> {
  logMachine();
  const edRate = ed25519Reference();

  const root = scratch('throughput');
  const network = DEFAULT_NETWORK;
  const genesisHash = createGenesis(network).currentHash;
  const client = new Proc(here('./client.ts'));
  await client.ready;
  const want = Math.round((seconds + warm) * 7000);
  log(`Clients: signing ${count(want)} transactions ahead of time ...`);
  const prep = await client.call<{ prepared: number; ms: number }>({ cmd: 'prepare', count: want, genesisHash });
  log(`  ${count(prep.prepared)} in ${(prep.ms / 1000).toFixed(1)} s`);

  const prof = (name: string) => (cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'prof', name)}`] : []);
  const peerScript = here('../lib/peer-process.ts');
  const a = new Proc(peerScript, prof('a'));
  const b = new Proc(peerScript, prof('b'));
  const c = new Proc(peerScript, prof('c'));
  const peers = [a, b, c];
  await Promise.all(peers.map((p) => p.ready));
  // The counting verifier of the peer processes turns the default verify pool off (a given `ed25519`),
  // so the threads a peer has by default are asked for here (`--verify-threads N` to compare).
  const verifyThreads = Number(argValue('--verify-threads') ?? (availableParallelism() >= 2 ? availableParallelism() : 0));
  const base = { heartbeatMs: 5000, verifyThreads };
  const addrA = (
    await a.call<{ address: string }>({
      cmd: 'start',
      network,
      options: { ...base, dataDir: join(root, 'a'), mine: true, workers: 1, minerGraceMs: 0 },
    })
  ).address;
  const addrB = (
    await b.call<{ address: string }>({
      cmd: 'start',
      network,
      options: { ...base, dataDir: join(root, 'b'), mine: false, neighbours: [addrA] },
    })
  ).address;
  const addrC = (
    await c.call<{ address: string }>({
      cmd: 'start',
      network,
      options: { ...base, dataDir: join(root, 'c'), mine: false, neighbours: [addrA, addrB] },
    })
  ).address;
  for (let i = 0; i < 300; i++) {
    const s = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
    if (s.every((x) => x.open >= 2)) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  log(`Load: ${warm} s warm-up, then ${seconds} s measured ...`);
  const run = client.call<{ sent: number; accepted: number; rejected: number; reasons: Record<string, number>; exhausted: boolean }>({
    cmd: 'go',
    targets: [addrA, addrB, addrC],
    seconds: warm + seconds,
    connections: 2,
    window: 64,
  });
  await new Promise((r) => setTimeout(r, warm * 1000));
  const s0 = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
  const c0 = await confirmed(peers);
  const t0 = Date.now();
  for (let i = 1; i <= seconds / 10; i++) {
    await new Promise((r) => setTimeout(r, 10_000));
    const ci = await confirmed(peers);
    const si = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
    log(
      `  heights ${si.map((x) => x.height).join('/')}, pools ${si.map((x) => x.pool).join('/')}, A found ${si[0]!.found} (search ${si[0]!.searchMs.toFixed(0)} ms), templates ${si[0]!.work}, hashrate ${count(si[0]!.hashrate)}, repeated verifications ${si.map((x) => x.repeated).join('/')}`,
    );
    log(`  ${i * 10} s: height ${ci.height}, ${count((ci.cumTx - c0.cumTx) / ((Date.now() - t0) / 1000))} confirmed tx/s so far`);
  }
  const rest = seconds * 1000 - (Date.now() - t0);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  const c1 = await confirmed(peers);
  const t1 = Date.now();
  const s1 = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
  const load = await run;
  const rate = (c1.cumTx - c0.cumTx) / ((t1 - t0) / 1000);
  const blocks = c1.height - c0.height;
  log(
    `  clients: sent ${load.sent}, accepted ${load.accepted}, rejected ${load.rejected} ${JSON.stringify(load.reasons)}${load.exhausted ? ' (ran out of signed transactions)' : ''}`,
  );

  const perPeer = peers.map((_, i) => {
    const d = (s1[i] as Stats).verifications - (s0[i] as Stats).verifications;
    const cpu = ((s1[i] as Stats).cpuMs - (s0[i] as Stats).cpuMs) / ((t1 - t0) / 1000) / 10; // percent of one core
    return { verifsPerTx: d / Math.max(1, c1.cumTx - c0.cumTx), cpu, rss: (s1[i] as Stats).rss };
  });
  // Copies of a transaction each peer received (by \`tx\` from a client or a neighbour, or in an \`hb\` reply's pool); 1 wastes nothing.
  const delta = (k: 'txIn' | 'hbPoolOut') => s1.reduce((sum, x, i) => sum + x[k] - (s0[i] as Stats)[k], 0);
  const confirmedTx = Math.max(1, c1.cumTx - c0.cumTx);
  const copiesTx = delta('txIn') / (3 * confirmedTx);
  const copiesHb = delta('hbPoolOut') / (3 * confirmedTx);
  await Promise.all(peers.map((p) => p.call({ cmd: 'stop' }).catch(() => undefined)));
  client.child.send({ cmd: 'exit' });
  if (cpuProf) log(`CPU profiles in ${join(root, 'prof')}`);
  else rmSync(root, { recursive: true, force: true });

  const met = rate >= 4000;
  const out = table(
    ['figure', 'value'],
    [
      ['confirmed transactions per second (on all three peers)', count(rate)],
      ['reference: native Ed25519 verifications/s, one core', count(edRate)],
      ['ratio (confirmed tx/s ÷ verifications/s on one core)', ratio(rate / edRate)],
      ['blocks in the window (transactions per block)', `${blocks} (${((c1.cumTx - c0.cumTx) / Math.max(1, blocks)).toFixed(0)})`],
      ['signature verifications per confirmed transaction, A / B / C', perPeer.map((p) => p.verifsPerTx.toFixed(2)).join(' / ')],
      [
        'copies received per peer per confirmed transaction: by `tx` + in `hb` pools',
        `${(copiesTx + copiesHb).toFixed(2)} (${copiesTx.toFixed(2)} + ${copiesHb.toFixed(2)})`,
      ],
      ['verify threads a peer (`--verify-threads N`)', String(verifyThreads)],
      ['CPU of one core, A / B / C (all threads of each)', perPeer.map((p) => `${p.cpu.toFixed(0)} %`).join(' / ')],
      ['target ≥ 4,000 tx/s', met ? 'met' : 'NOT met'],
    ],
  );
  console.log('\n' + out);
  if (!write) return;
  updateSection(
    'Throughput',
    [
      `Confirmed signed transactions per second across three peers on the \`default\` preset, measured over`,
      `${seconds} s after a ${warm} s warm-up. Each peer is its own process with a data directory; the clients are`,
      'another process that signs its transactions ahead of time and submits them with `tx` over two pipelined',
      'connections to each peer (64 requests in flight per connection). A transaction counts when the block',
      'holding it is on the best chain of all three peers. Peer A mines (one worker, no grace for gossiped',
      'transactions); B and C validate and serve. Reproduce with `npm run bench -- throughput`.',
      '',
      out,
      '',
      'Every peer verifies every transaction once: at admission, whether it came from a client or by gossip;',
      'a block whose transactions are in the pool or were verified recently (same id and signature) is not',
      'verified again. The "verifications per confirmed transaction" row differs from 1 only because transactions',
      'verified and confirmed on either side of the window edges are counted on one side only; the benchmark counts',
      'repeated verifications of one transaction separately, and they are zero.',
      ...(met
        ? []
        : [
            '',
            `**Why the target is missed.** The target asks for ${ratio(4000 / edRate)} of one core’s Ed25519 rate as confirmed`,
            'transactions, and every confirmed transaction is verified three times (once per peer): verification',
            `alone for 4,000 tx/s is ${((3 * 4000) / edRate).toFixed(2)} cores’ worth of this machine, before parsing, hashing, journal and block`,
            'syncs, gossip, the clients and the miner. The per-peer CPU shares in the table look like idle peers,',
            'but they are shares of a saturated machine: during the run `top` shows the two cores 100 % busy (three',
            'peers, the miner worker of A, the clients, and other work on the machine), and CPU profiles of the',
            'peers (built packages, `BENCH_BUILT=1 npm run bench -- throughput --cpu-prof`) show each main thread',
            'idle only about 5 % of the wall time: the peers are runnable and waiting for a core, not for a timer,',
            'a lock or the disk (fdatasync is about 0.5 ms here and group-committed). Ed25519 verification is about',
            'half of each main thread, the miner worker of A takes about a third of a core, and B and C, starved,',
            'fall tens of blocks behind A; their pools then fill with transactions A already confirmed and clients',
            'get `pool-full`. Measured per change: SHA-256 through node:crypto (about 1 µs per id instead of',
            'about 3–30 µs in pure JavaScript, which was about 5 % of each peer), and one socket write per tick',
            'for requests and for replies finished together (socket writes were 6–7 % of each peer). Profile of A’s main',
            'thread on 2026-12-02 (built packages, no verify threads, self time): Ed25519 verification 45 %, the rest of',
            'admission (pool, index, checks) 5 %, idle 5 %, garbage collection 4 %, messages to the miner’s worker',
            '3 %, relaying 3 %, encoding frames 2 %, SHA-256 and canonical JSON of ids 3 %, the journal’s writes and',
            'fdatasyncs 3 %; the copies a checked transaction leaves are not hashed again (checked copies are frozen',
            'and remembered), and ids are hashed by the one-shot `crypto.hash`.',
            '',
            '**What was tried, and what would reach it.** Verification on every core (the verify pool: bursts of',
            '`tx`, `hb` pools and blocks checked by worker threads) adds capacity only where a core is free, and here',
            'none is: three peers, their clients and a miner share two cores. Measured on 2026-12-02 in runs one after',
            'another: 1,921 and 2,040 confirmed tx/s with the default two threads a peer, 1,983 with one, 2,459 with',
            'none (`--verify-threads N`); a CPU profile of A with the threads shows 7 % of its main thread posting',
            'batches to them while they sit idle 80 % of the time, and it still verifies half the transactions itself',
            '(bursts under 64, or while the threads owe verdicts). The relay’s per-neighbour memory',
            'brought the copies each peer receives from about 5 to 1.7 per transaction (section "Gossip copies"; about',
            '2 under this load, the row above; the rest are the two forwards over a link crossing in flight, which',
            'announcing ids before bodies would remove: `docs/protocol.md`). A miner that paused while its peer was',
            'busy made no difference that this machine could show (on 2026-12-02, alternating runs gave 1,974 and',
            '2,463 confirmed tx/s with it, 2,295 and 2,116 without), so it was removed. What would reach 4,000 tx/s is cores: with one free core per',
            `peer and one for the miner, the same code needs ${(4000 / edRate).toFixed(2)} of a core per peer for verification, which the`,
            'verify pool can then spread over the cores a peer has.',
          ]),
    ].join('\n'),
  );
  updateSummary([
    [
      'Throughput, `default`, 3 peers',
      `${count(rate)} tx/s`,
      `${count(edRate)} Ed25519 verify/s (1 core)`,
      ratio(rate / edRate),
      '≥ 4,000 tx/s',
      met ? 'yes' : 'no',
    ],
  ]);
  log('Updated docs/benchmarks.md');
}

runMain(main);
