/** The latency benchmark's tables, its section of docs/benchmarks.md and its summary rows, for one protocol version or both. */
import type { ProtocolVersion } from '@chain/protocol';
import { median, ms, percentile, ratio } from '../lib/common.js';
import { table, updateSection, updateSummary } from '../lib/report.js';
import type { BlockFrames, PresetResult } from './measure.js';

export interface LatencyRun {
  /** Every setting for every version run, in the order run. */
  readonly results: readonly PresetResult[];
  readonly protocols: readonly ProtocolVersion[];
  readonly trials: number;
  /** References of the same run (ms): a loopback round trip and one fdatasync. */
  readonly rtt: number;
  readonly fsync: number;
  readonly load: string;
}

/** How much slower 1.2 may be than 1.1 at the default `announceMs` (p50, ms), with each peer in its own process. */
const OVER_V11_MS = 1;

/** p50 targets: 10 ms for every preset; at difficulty 3, 5 ms between processes and 2.5 ms in one. */
function targetOf(r: PresetResult): number {
  if (r.preset !== 'default-d3') return 10;
  return r.where === 'three processes' ? 5 : 2.5;
}

/** One setting (preset and where the peers ran) with its result for each version run. */
interface Setting {
  readonly name: string;
  readonly where: PresetResult['where'];
  readonly of: Partial<Record<ProtocolVersion, PresetResult>>;
}

function settings(run: LatencyRun): Setting[] {
  const out = new Map<string, Setting>();
  for (const r of run.results) {
    const key = `${r.preset} ${r.where}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { name: r.preset, where: r.where, of: {} }));
    s.of[r.protocol] = r;
  }
  return [...out.values()];
}

const p50 = (r: PresetResult) => median(r.samples);
/** 1.2's p50 less 1.1's, when both ran. */
const over = (s: Setting) => (s.of['1.1'] && s.of['1.2'] ? p50(s.of['1.2']) - p50(s.of['1.1']) : undefined);
const first = (s: Setting) => (s.of['1.2'] ?? s.of['1.1']) as PresetResult;
/** The target against 1.1 holds for three processes, where the hop between peers is a real one. */
const againstV11 = (s: Setting) => s.where === 'three processes' && over(s) !== undefined;
/** Every version under the preset's target. */
const metAlone = (s: Setting, run: LatencyRun) => run.protocols.every((v) => p50(s.of[v] as PresetResult) < targetOf(first(s)));
const metAgainst = (s: Setting) => (over(s) as number) <= OVER_V11_MS;
/** The met cell: the preset's target, then the one against 1.1 where it holds. */
const met = (s: Setting, run: LatencyRun, yes: string, no: string) =>
  `${metAlone(s, run) ? yes : no}${againstV11(s) ? `; against 1.1: ${metAgainst(s) ? yes : no}` : ''}`;
const target = (s: Setting) => `< ${targetOf(first(s))} ms${againstV11(s) ? `; 1.2 ≤ 1.1 + ${OVER_V11_MS} ms` : ''}`;
const signed = (x: number) => `${x < 0 ? '−' : '+'}${ms(Math.abs(x))}`;
/** Block requests of one kind the three peers received per trial, in one process. */
const perTrial = (r: PresetResult, op: keyof BlockFrames) => (r.frames as BlockFrames)[op] / r.samples.length;
/** The one-process runs of a version. */
const oneProcess = (run: LatencyRun, v: ProtocolVersion) => run.results.filter((r) => r.frames && r.protocol === v);
/** Under 1.2, blocks went whole (`nb`) rather than as `cb` completed by `bt`: fewer than one `bt` in ten trials. */
const wentWhole = (run: LatencyRun) => oneProcess(run, '1.2').every((r) => perTrial(r, 'bt') < 0.1);

export function latencyReport(run: LatencyRun): { text: string; write(): void } {
  const { protocols } = run;
  const ref = run.rtt + run.fsync;
  const all = settings(run);
  const per = (head: string) => protocols.map((v) => `${head}, ${v}`);
  const both = protocols.length === 2;
  const out = table(
    ['preset', 'peers in', ...per('p50'), ...per('p99'), ...per('min–max'), ...(both ? ['1.2 − 1.1, p50'] : []), 'target', 'met'],
    all.map((s) => {
      const rs = protocols.map((v) => s.of[v] as PresetResult);
      return [
        `\`${s.name}\``,
        s.where,
        ...rs.map((r) => ms(p50(r))),
        ...rs.map((r) => ms(percentile(r.samples, 99))),
        ...rs.map((r) => `${ms(Math.min(...r.samples))}–${ms(Math.max(...r.samples))}`),
        ...(both ? [signed(over(s) as number)] : []),
        target(s),
        met(s, run, 'met', 'NOT met'),
      ];
    }),
  );
  const path = table(
    ['preset (one process)', 'protocol', 'proof found at A', 'block added at A', '`tx` reply at the client', 'block on all three'],
    run.results
      .filter((r) => r.stages)
      .map((r) => [
        `\`${r.preset}\``,
        r.protocol,
        ms(median(r.stages!.found)),
        ms(median(r.stages!.a)),
        ms(median(r.stages!.reply)),
        ms(p50(r)),
      ]),
  );
  const frames = table(
    ['preset (one process)', 'protocol', '`nb` per block', '`cb` per block', '`bt` per block'],
    run.results
      .filter((r) => r.frames)
      .map((r) => [`\`${r.preset}\``, r.protocol, ...(['nb', 'cb', 'bt'] as const).map((op) => perTrial(r, op).toFixed(2))]),
  );
  const refs = table(
    ['reference (same run)', 'p50'],
    [
      ['loopback TCP round trip (64 B, Nagle off)', ms(run.rtt)],
      ['append + fdatasync of 300 B', ms(run.fsync)],
    ],
  );
  const write = () => {
    updateSection('Latency', section(run, out, path, frames, refs, all));
    updateSummary(
      all.map((s) => {
        const r = first(s);
        return [
          `Latency p50, \`${s.name}\`${s.where === 'three processes' ? ', three processes' : s.name === 'default-d3' ? ', one process' : ''}`,
          [...protocols]
            .reverse()
            .map((v) => `${ms(p50(s.of[v] as PresetResult))} (${v})`)
            .join(', '),
          `${ms(ref)} (RTT + fsync)`,
          `${ratio(p50(r) / ref)}${both ? ' (1.2)' : ''}`,
          target(s),
          met(s, run, 'yes', 'no'),
        ];
      }),
    );
  };
  return { text: `${out}\n\n${path}\n\n${frames}\n\n${refs}`, write };
}

/** Some settings have 1.2 faster than 1.1 and others slower. */
const signsDiffer = (all: readonly Setting[]) => {
  const d = all.map(over).filter((x): x is number => x !== undefined);
  return d.some((x) => x < 0) && d.some((x) => x > 0);
};

/** How 1.2 compares, from the run's own figures. */
function versions(run: LatencyRun, all: readonly Setting[]): string[] {
  const d3 = all.find((s) => s.name === 'default-d3' && s.where === 'three processes');
  const one = all.find((s) => s.name === 'default-d3' && s.where === 'one process');
  const added = (v: ProtocolVersion) => ms(median((one?.of[v] as PresetResult).stages!.a));
  const mean = (v: ProtocolVersion, op: keyof BlockFrames) => {
    const rs = oneProcess(run, v);
    return (rs.reduce((sum, r) => sum + perTrial(r, op), 0) / rs.length).toFixed(2);
  };
  const received = (v: ProtocolVersion) => `${mean(v, 'nb')} \`nb\`, ${mean(v, 'cb')} \`cb\` and ${mean(v, 'bt')} \`bt\``;
  return [
    '**Protocol 1.2 against 1.1**, at the default `announceMs` (500 ms). The medians of 1.2 differ from those of',
    `1.1 by ${all.map((s) => signed(over(s) as number)).join(', ')} (the rows in order)${d3 ? `; the target for 1.2, at most ${OVER_V11_MS} ms over 1.1 with each peer in its own process, is ${(over(d3) as number) <= OVER_V11_MS ? 'met' : 'missed'} (${signed(over(d3) as number)})` : ''}.`,
    ...(one
      ? [
          `A adds the block as fast with either (\`default-d3\` in one process: ${added('1.1')} and ${added('1.2')}); what differs is the hop to B and C.`,
        ]
      : []),
    'In 1.2 the transaction is announced to B and C on the next flush (mean 500 ms), long after A mined it,',
    ...(wentWhole(run)
      ? [
          'so A does not know them to hold it when the block goes, and sends the block (one transaction, far',
          'under 8 KB) whole by `nb`, as 1.1 does (docs/spec.md §8.4.1), rather than a compact block (`cb`) they',
          'would answer `Missing` and the body in `bt`, a round trip more. The three peers received',
          `${received('1.2')} a block with 1.2, ${received('1.1')} with 1.1 (the means of the one-process`,
          'rows of the table above: A sends to B and C, and each of them to the other). Before that rule, on',
          '2026-12-07, every block went by `cb`, `Missing` and `bt`, and 1.2 was +568 µs to +1.02 ms slower.',
          'What still differs on the hop: under 1.1 A pushes the transaction to B and C as soon as it admits it,',
          'so they usually hold it, its signature checked, before the block comes (a transaction of a block',
          'found in the pool is not verified again); under 1.2 they first meet it in the block and verify its',
          `signature on the path (the \`default\` rules; \`comp3221\` transactions carry none).${signsDiffer(all) ? ` The differences change sign between settings, so at this load much of them is noise.` : ''}`,
        ]
      : [
          'so the block reaches them as a compact block (`cb`) whose one transaction their pools lack: they',
          'answer `Missing`, A sends the body in `bt`, and only then do they store the block. That is a round trip',
          `more on the path than the \`nb\` of 1.1, which carries the whole block (the three peers received ${received('1.2')}`,
          `a block with 1.2, ${received('1.1')} with 1.1); on a loaded machine each of its messages`,
          'waits for a core, so it costs far more than the bare round trip of the reference.',
        ]),
  ];
}

function section(run: LatencyRun, out: string, path: string, frames: string, refs: string, all: readonly Setting[]): string {
  const whole = !run.protocols.includes('1.2') || wentWhole(run);
  return [
    'A transaction submitted at peer A (one long-lived client connection) until a block holding it is on',
    `all three peers, ${run.trials} trials per preset and protocol version after a warm-up, one transaction at a time. Three peers on`,
    'loopback, each with its own data directory (the transaction journal and the block log are synced before',
    'every acknowledgement) and a miner; the peers that receive the transaction by gossip hold it back for the',
    'miner grace (1 s), so only A mines it. The peers run in one process, and for `default-d3` (the `default`',
    'rules at difficulty 3, 4,096 attempts expected) also each in a process of its own, where every child',
    'notes the block’s arrival on the machine’s monotonic clock.',
    ...(run.protocols.length === 2
      ? [
          'Each setting runs a trio of peers speaking 1.1 and one speaking 1.2 at once (in one process, for the',
          'one-process settings), their trials taken in turn, the order flipped every round: a change of the',
          'load of the shared machine falls on both versions alike.',
        ]
      : [`Every peer speaks ${run.protocols[0]}.`]),
    `Load average ${run.load} at the start. Reproduce with \`npm run bench -- latency\` (\`--protocol 1.1\` or \`1.2\` for one).`,
    '',
    out,
    '',
    'Where the time goes in one process: medians over the trials of the time from the request to each step',
    '(on the monotonic clock; the steps overlap, the `tx` reply waits for the journal’s fdatasync while A mines):',
    '',
    path,
    '',
    'The requests that carried the block (or its missing transactions) to the three peers, per block:',
    '',
    frames,
    '',
    refs,
    ...(run.protocols.length === 2 ? ['', ...versions(run, all)] : []),
    ...(all.every((s) => metAlone(s, run))
      ? []
      : [
          '',
          `**Load.** ${all.filter((s) => !metAlone(s, run)).length} of the ${all.length} settings miss their own target with both versions alike in this run, at a load`,
          Number(run.load.split(' ')[0]) >= 2
            ? `average of ${run.load.split(' ')[0]} on two cores: every step of the path waits for a core behind other work, and the tails reach a tenth of a second.`
            : `average of ${run.load.split(' ')[0]} at the start, the machine otherwise idle: runs minutes apart on this virtual machine differ by two to three times at the median.`,
          'The same settings met their targets on 2026-12-02 (1.1):',
          '2.37, 5.92, 2.41 and 3.32 ms. Only the two versions of one run compare.',
        ]),
    '',
    `The original system took about 2 s (0.6–3.2 s) for the same walk: a 5 s heartbeat pull, a polling miner`,
    'and unframed pickles. Here the critical path is: the client’s request to A, the long-poll wake-up of',
    'A’s miner, the proof search (`default`: difficulty 4, 65,536 attempts expected, about 4 ms on two',
    'WebAssembly workers; `comp3221`: difficulty 2, 256), A’s rules on the block, one hop to B and C',
    `(A announces its own block while its append syncs; ${whole ? 'by `nb`' : 'in 1.2 a `cb` and the missing body'}) and their`,
    'block syncs, in parallel; A’s journal sync for the transaction runs beside it and holds only the',
    `client’s reply. That is about one round trip${whole ? '' : ' (two in 1.2)'}, one fdatasync on the path (more beside it,`,
    'which share the disk) and the proof search; the p99 is the exponential tail of the proof search plus',
    'scheduling noise on the shared machine.',
    '',
    'At difficulty 3 (4,096 attempts expected) the rest of the path shows. Two changes brought it to the',
    'one-process target on 2026-12-02, with 1.1 (medians of separate runs: 3.19–3.55 ms before, 2.77–3.14 ms with the',
    'first, 2.38–2.51 ms with both). The miner’s pool now cuts a search into chunks sized from the difficulty (1,024',
    'proofs at difficulty 3 on two workers, 16,384 at 4) instead of 65,536: with one chunk far larger than',
    'the expected search, the proof was nearly always in the first chunk, one worker found it while the',
    'other scanned past it in vain and took a core from the peers (an isolated search at difficulty 3:',
    '0.63 ms on average before, 0.51 ms after; the `default` median fell from about 9 ms to about 6.5 ms).',
    'And A announces a block of its own as soon as it passed the rules, while its block log syncs, so B’s',
    'and C’s appends no longer wait for A’s, which on a busy disk queued behind the three journal syncs of',
    'the transaction (the `Reward` reply still waits for A’s sync; `docs/decisions.md`). In one process the',
    'three peers, the client and the miners share one event loop and two cores, so the median sits close',
    'to the target and moves with the machine; with each peer in its own process the path is the same plus',
    'a process switch at each hop. What would take more off: appends by a synchronous write and fdatasync',
    '(0.18 ms against 0.30 ms through the thread pool on this machine, at the price of the event loop',
    'waiting for the disk).',
  ].join('\n');
}
