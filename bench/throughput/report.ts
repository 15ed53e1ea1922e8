/** The throughput benchmark's table, its section of docs/benchmarks.md and its summary rows. */
import { count, ratio } from '../lib/common.js';
import type { ProfileSummary } from '../lib/profile.js';
import { table, updateSection, updateSummary } from '../lib/report.js';
import { verifyThreads, type Outcome } from './measure.js';

export interface Settings {
  readonly edRate: number;
  readonly load: string;
  readonly seconds: number;
  readonly warm: number;
}

const TARGET_RATE = 3000;
const TARGET_RATIO = 0.4;
/** Below this reference (verifications a second) the machine was slowed by other work: the usual is about 10,000. */
const SLOWED = 7000;
const met = (o: Outcome, edRate: number) => o.rate >= TARGET_RATE && o.rate / edRate >= TARGET_RATIO;
const pct = (ms: number, of: number) => `${((100 * ms) / of).toFixed(1)} %`;

function profileTable(p: ProfileSummary): string {
  const top = p.functions.filter((e) => e.name !== '(idle)').slice(0, 8);
  return table(
    ['function', 'where', 'self time', 'share of the wall time'],
    [
      ['(idle)', '', `${p.idleMs.toFixed(0)} ms`, pct(p.idleMs, p.totalMs)],
      ...top.map((e) => [
        `\`${e.name}\``,
        e.where ? `\`${e.where.replace(/:1$/, '')}\`` : '',
        `${e.ms.toFixed(0)} ms`,
        pct(e.ms, p.totalMs),
      ]),
    ],
    '---|---|---:|---:',
  );
}

/** Why the target is missed, from the run's own figures. */
function why(runs: readonly Outcome[], s: Settings): string[] {
  const cores = (rate: number) => ((3 * rate) / s.edRate).toFixed(2);
  const best = runs.reduce((x, y) => (y.rate > x.rate ? y : x));
  const need = Math.max(TARGET_RATE, TARGET_RATIO * s.edRate);
  return [
    `**Why the target is missed.** The target asks for ${Math.round(need).toLocaleString('en-US')} confirmed tx/s here (3,000, and ${TARGET_RATIO}× the ${count(s.edRate)}`,
    `verifications a second of one core), and every confirmed transaction is verified by each of the three peers:`,
    `verification alone for it is ${cores(need)} cores of this machine, against ${runs.map((o) => `${cores(o.rate)} at the ${count(o.rate)} tx/s of ${o.protocol}`).join(' and ')},`,
    'before parsing, hashing, the journal and block syncs, relaying, the clients (another process) and the',
    `miner’s worker, all on two cores; and the machine was shared (load average ${s.load} at the start), so the`,
    'peers got less than the two cores. The CPU shares in the table are of one core; their sum is what the peers',
    `took of the machine. Protocol 1.2 sends each body about once instead of about twice (section “Relay”), which`,
    'saves admissions of duplicates and frames, but the bodies that are needed still cost the same to check: the',
    `verification is the floor, and ${best.protocol} is the faster here by ${ratio(best.rate / Math.min(...runs.map((o) => o.rate)))}. What would reach the target is cores:`,
    `with one free core per peer and one for the miner, the same code needs ${(need / s.edRate).toFixed(2)} of a core per peer for`,
    'verification, which the verify pool spreads over the cores a peer has.',
    ...(s.edRate >= SLOWED
      ? []
      : [
          `Under this load the reference fell too: ${count(s.edRate)} verifications a second against about 10,000 on quiet runs of`,
          'this machine (7,700–11,900 in the other sections), so the ratio above flatters and the cores quoted are those',
          `of a machine slowed by other work; at 10,000 a second, 3,000 tx/s needs ${((3 * 3000) / 10_000).toFixed(2)} cores of verification, ${(3000 / 10_000).toFixed(2)} a peer.`,
        ]),
    '',
    '**What was tried before (2026-12-02, protocol 1.1, load about 2).** SHA-256 through node:crypto (about 1 µs',
    'an id instead of 3–30 µs in JavaScript, about 5 % of each peer) and one socket write per tick (socket writes',
    'were 6–7 % of each peer) were each measured and kept. Verification on worker threads adds capacity only where',
    'a core is free: 1,921 and 2,040 confirmed tx/s with two threads a peer, 1,983 with one, 2,459 with none',
    '(`--verify-threads N`), a profile of A showing 7 % of its main thread posting batches to threads idle 80 % of',
    'the time. A miner that paused while its peer was busy made no difference this machine could show (1,974 and',
    '2,463 tx/s with it, 2,295 and 2,116 without), so it was removed.',
  ];
}

export function throughputReport(runs: readonly Outcome[], profiles: readonly (ProfileSummary | undefined)[], s: Settings) {
  const cols = (f: (o: Outcome) => string) => runs.map(f);
  const body = table(
    ['figure', ...runs.map((o) => `protocol ${o.protocol}`)],
    [
      ['confirmed transactions per second (on all three peers)', ...cols((o) => count(o.rate))],
      ['reference: native Ed25519 verifications/s, one core', ...cols(() => count(s.edRate))],
      ['ratio (confirmed tx/s ÷ verifications/s on one core)', ...cols((o) => ratio(o.rate / s.edRate))],
      ['blocks in the window (transactions per block)', ...cols((o) => `${o.blocks} (${o.txPerBlock.toFixed(0)})`)],
      [
        'signature verifications on the main thread per confirmed transaction, A / B / C',
        ...cols((o) => o.verifsPerTx.map((v) => v.toFixed(2)).join(' / ')),
      ],
      [
        'copies received per peer per confirmed transaction by `tx` + in `hb` pools (1.1 only)',
        ...cols((o) =>
          o.protocol === '1.1'
            ? `${(o.copiesTx + o.copiesHb).toFixed(2)} (${o.copiesTx.toFixed(2)} + ${o.copiesHb.toFixed(2)})`
            : 'by `tb`/`gt`: section Relay',
        ),
      ],
      [
        'clients: accepted / rejected (reasons)',
        ...cols((o) =>
          `${count(o.clients.accepted)} / ${count(o.clients.rejected)} ${
            Object.keys(o.clients.reasons).length
              ? `(${Object.entries(o.clients.reasons)
                  .map(([k, v]) => `${k} ${count(v)}`)
                  .join(', ')})`
              : ''
          }`.trim(),
        ),
      ],
      ['verify threads a peer (`--verify-threads N`)', ...cols(() => String(verifyThreads))],
      ['CPU of one core, A / B / C (all threads of each)', ...cols((o) => o.cpu.map((c) => `${c.toFixed(0)} %`).join(' / '))],
      [`target ≥ 3,000 tx/s and ≥ ${TARGET_RATIO}×`, ...cols((o) => (met(o, s.edRate) ? 'met' : 'NOT met'))],
    ],
  );
  const write = () => {
    const profiled = runs.map((o, i) => ({ o, p: profiles[i] })).filter((x) => x.p !== undefined);
    updateSection(
      'Throughput',
      [
        `Confirmed signed transactions per second across three peers on the \`default\` preset, measured over`,
        `${s.seconds} s after a ${s.warm} s warm-up, once with every peer speaking protocol 1.1 and once with 1.2, one after the other in`,
        'the same run (fresh data directories each time, the same signed transactions, the same reference). Each peer',
        'is its own process with a data directory; the clients are another process that signs its transactions ahead',
        'of time and submits them with `tx` over two pipelined connections to each peer (64 requests in flight per',
        'connection). A transaction counts when the block holding it is on the best chain of all three peers. Peer A',
        'mines (one worker, no grace for gossiped transactions); B and C validate and serve. Load average',
        `${s.load} at the start (the machine is shared, and was busy with other work: compare the two columns, not`,
        'runs of other days). Reproduce with `npm run bench -- throughput` (`--protocol 1.1` or `1.2` for one).',
        '',
        body,
        '',
        'Every peer verifies every transaction once: at admission, whether it came from a client or by relay; a block',
        'whose transactions are in the pool or were verified recently (same id and signature) is not verified again.',
        'The benchmark counts the verifications of the main thread only: the rest run on the verify threads (batches',
        'of `tx`, of bodies that come together and of blocks), and those near the window edges are counted on one side.',
        'Repeated verifications of one transaction are counted apart, and they are zero.',
        ...(runs.every((o) => met(o, s.edRate)) ? [] : ['', ...why(runs, s)]),
        ...profiled.flatMap(({ o, p }) => [
          '',
          `CPU profile of A’s main thread, protocol ${o.protocol} (\`--cpu-prof\`, this run, ${(p!.totalMs / 1000).toFixed(1)} s profiled, self time, sources):`,
          '',
          profileTable(p!),
        ]),
      ].join('\n'),
    );
    updateSummary(
      runs.map((o) => [
        `Throughput, \`default\`, 3 peers, protocol ${o.protocol}`,
        `${count(o.rate)} tx/s`,
        `${count(s.edRate)} Ed25519 verify/s (1 core)`,
        ratio(o.rate / s.edRate),
        `≥ 3,000 tx/s and ≥ ${TARGET_RATIO}×`,
        met(o, s.edRate) ? 'yes' : 'no',
      ]),
      'Throughput',
    );
  };
  return { table: body, write };
}
