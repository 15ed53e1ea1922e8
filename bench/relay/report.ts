/** The relay benchmark's table, its section of docs/benchmarks.md and its summary rows. */
import type { ProtocolVersion } from '@chain/protocol';
import { count } from '../lib/common.js';
import type { ProfileSummary } from '../lib/profile.js';
import { table, updateSection, updateSummary } from '../lib/report.js';
import { BLOCK_TXS, type Three, type Wire } from './measure.js';
import type { SimCase, SimRun } from './sim.js';

export interface Figures {
  readonly two: Wire;
  readonly three: Three;
  readonly sim: SimRun & { profile?: ProfileSummary };
  readonly sweep: readonly SimRun[];
}

export interface Settings {
  readonly two: number;
  readonly burst: number;
  readonly paced: number;
  readonly gapMs: number;
  readonly target: SimCase;
  readonly sweep: readonly SimCase[];
  readonly load: string;
  readonly quick: boolean;
}

const SIM_TARGET = 50_000;
const f2 = (x: number) => x.toFixed(2);
const byOp = (o: Record<string, number>, per = 1) =>
  Object.entries(o)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([op, n]) => `${op} ${n / per < 10 ? f2(n / per) : count(n / per)}`)
    .join(', ');
const kB = (x: number) => (x >= 1e4 ? `${(x / 1e3).toFixed(1)} kB` : `${x.toFixed(0)} B`);
/** A profile position; tsx's sources map to their first line only, which says nothing. */
const at = (where: string) => (where ? `\`${where.replace(/:1$/, '')}\`` : '');
const rate = (c: SimCase) => (c.txPerBlock * 1000) / c.intervalMs;
const perSecond = (c: SimCase) => (rate(c) < 1 ? `1/${Math.round(1 / rate(c))}` : count(rate(c)));

/** One row of the summary: 1.2 measured, 1.1 the reference of the same run. */
/** A summary row: a figure of 1.2 and of 1.1 (by `pick`), their ratio, and whether 1.2 is at most `limit`. */
function summaryRow(
  f: Record<ProtocolVersion, Figures>,
  name: string,
  show: (x: number) => string,
  pick: (x: Figures) => number,
  target: string,
  limit: number,
): string[] {
  const now = pick(f['1.2']);
  const old = pick(f['1.1']);
  return [`Relay: ${name}`, `${show(now)} (1.2)`, `${show(old)} (1.1)`, `${f2(now / old)}×`, target, now <= limit ? 'yes' : 'no'];
}

function rows(f: Record<ProtocolVersion, Figures>, s: Settings): string[][] {
  const both = (g: (x: Figures) => string) => [g(f['1.1']), g(f['1.2'])];
  const t = s.target;
  return [
    ['bytes on the wire per relayed transaction, two peers', ...both((x) => count(x.two.bytes))],
    ['frames per transaction per peer, two peers', ...both((x) => f2(x.two.frames))],
    [`frames per transaction per peer, three peers, ${s.burst} at once`, ...both((x) => f2(x.three.burst.frames))],
    [`frames per transaction per peer, three peers, ${s.paced} at ${s.gapMs} ms apart`, ...both((x) => f2(x.three.paced.frames))],
    [`copies of each body a peer lacked, three peers, ${s.burst} at once`, ...both((x) => f2(x.three.burst.copies))],
    [`copies of each body a peer lacked, three peers, ${s.paced} at ${s.gapMs} ms apart`, ...both((x) => f2(x.three.paced.copies))],
    [
      `bytes a peer receives for a ${BLOCK_TXS}-transaction block in its pool`,
      ...both((x) => `${count(x.three.blockBytes)} (the block: ${count(x.three.wholeBytes)})`),
    ],
    [`frames by opcode per transaction, three peers, ${s.paced} paced (every link)`, ...both((x) => byOp(x.three.paced.ops))],
    [
      'heartbeat frames meanwhile per transaction per peer (left out above): at once; paced',
      ...both((x) => `${f2(x.three.burst.heartbeatFrames)}; ${f2(x.three.paced.heartbeatFrames)}`),
    ],
    [`simulator messages per block, ${count(t.peers)} peers, ${t.txPerBlock} transactions a block`, ...both((x) => count(x.sim.perBlock))],
    ['the same by opcode', ...both((x) => byOp(x.sim.byOp))],
    ...s.sweep.flatMap((c, i) => [
      [
        `simulator, ${c.peers} peers, ${perSecond(c)} tx/s (${c.txPerBlock} a block a minute): messages a block; a transaction`,
        ...both((x) => `${count(x.sweep[i]!.perBlock)}; ${count(x.sweep[i]!.txMessagesPerTx)}`),
      ],
      [`… announcements (\`tx\` pushes in 1.1) per transaction per link`, ...both((x) => f2(x.sweep[i]!.perTxPerLink))],
    ]),
  ];
}

function profileTable(p: ProfileSummary): string {
  const busy = p.totalMs - p.idleMs;
  const top = p.functions.filter((e) => e.name !== '(idle)').slice(0, 10);
  const files = p.files.filter((e) => e.where !== '(native)' || true).slice(0, 6);
  return [
    table(
      ['function', 'where', 'self time', 'share of busy time'],
      top.map((e) => [`\`${e.name}\``, at(e.where), `${e.ms.toFixed(0)} ms`, `${((100 * e.ms) / busy).toFixed(1)} %`]),
      '---|---|---:|---:',
    ),
    '',
    `By file: ${files.map((e) => `\`${e.where}\` ${((100 * e.ms) / busy).toFixed(0)} %`).join(', ')}.`,
  ].join('\n');
}

/** Why frames per transaction at a low rate miss the target, from the run's own figures. */
function pacedWhy(f: Record<ProtocolVersion, Figures>, s: Settings): string[] {
  const paced = f['1.2'].three.paced;
  const per = (op: string) => f2(paced.ops[op] ?? 0);
  const need = (500 / s.gapMs) * (paced.frames / 2);
  return [
    `**Why frames per transaction miss the target at a low rate.** Paced at a transaction every ${s.gapMs} ms, a flush`,
    `(mean 500 ms) carries about ${(500 / s.gapMs).toFixed(0)} ids, and each flush to each neighbour is an \`ia\`, its reply, a \`tb\` and its reply:`,
    `${per('ia')} \`ia\` and ${per('tb')} \`tb\` frames per transaction over the six connections of three peers, ${f2(paced.frames)} a peer`,
    `against ${f2(f['1.1'].three.paced.frames)} for 1.1 (a \`tx\` and its reply per transaction and link). A burst shares those four`,
    `frames among hundreds of transactions (${f2(f['1.2'].three.burst.frames)} a peer). Frames fall as one over the ids a flush`,
    `carries, so the target of 2 wants about ${need.toFixed(0)} ids a flush: about ${(2 * need).toFixed(0)} transactions a second at the default`,
    '`announceMs`, or a lower rate with a longer `announceMs`, which delays every hop by as much (docs/spec.md §8.3.7).',
  ];
}

/** The sentences that say why the simulator's target is missed, from the run's own figures. */
function simWhy(f: Record<ProtocolVersion, Figures>, s: Settings): string[] {
  const now = f['1.2'].sim;
  const old = f['1.1'].sim;
  const t = s.target;
  const txPart = now.txMessagesPerTx * t.txPerBlock;
  const rest = now.perBlock - txPart;
  const links = (t.peers * 8) / 2;
  const allowed = (SIM_TARGET - rest) / t.txPerBlock;
  const fast = f['1.2'].sweep[f['1.2'].sweep.length - 1] as SimRun;
  const slow = f['1.2'].sweep[0] as SimRun;
  const scaled = fast.txMessagesPerTx * (t.peers / fast.peers);
  return [
    `**Why the simulator's target is missed.** Of the ${count(now.perBlock)} messages a block at ${count(t.peers)} peers, ${count(rest)} are`,
    `the block (\`cb\`, with \`bt\` for missing bodies), the heartbeats (\`hi\`, once an interval on each of the ${count(2 * links)} connections) and`,
    `connection set-up (\`syn\`, \`vs\`, spread over ${t.blocks} blocks); the ${t.txPerBlock} transactions take ${count(txPart)}, ${count(now.txMessagesPerTx)} each.`,
    `Users send a transaction a minute, so an \`ia\` nearly always carries one id: ${f2(now.perTxPerLink)} announcements per transaction per link`,
    `(a request and its reply), against ${f2(old.perTxPerLink)} \`tx\` pushes in 1.1 on each of the ${count(links)} links. A link carries about one`,
    'announcement of a transaction, where both ends often announced it before: an id that the neighbour announced (or sent,',
    'or fetched) while it waited for a flush is dropped (docs/spec.md §8.3.4). Flushes from both ends that cross on the link (each sent before the other',
    'end’s `ia` arrived) still count twice, and a flush that happens to carry two transactions counts once for both.',
    '(Before that rule, on 2026-12-07: 1.37 a link and 162.3 k messages a block, as both ends often heard of a transaction',
    'elsewhere before either flushed.) An announcement costs a message pair as a',
    `push does and the body then takes a \`tb\` pair of its own, so at this rate 1.2 sends ${f2(now.perBlock / old.perBlock)}× the messages of 1.1`,
    `(${count(old.perBlock)}): ${now.perBlock < old.perBlock ? 'fewer, because a link carries one announcement where 1.1 often pushes both ways' : 'it saves the second copy of each body, in bytes, not messages'}.`,
    `One announcement a link is two messages a link a transaction, already ${count(2 * links * t.txPerBlock)} a block, above the target before`,
    `any body, block or heartbeat; the target leaves`,
    `${count(Math.max(0, allowed))} messages a transaction. Announcements batch only when transactions come faster than the flushes`,
    `(mean 500 ms, docs/spec.md §8.3.7): in the sweep at ${fast.peers} peers, ${f2(slow.perTxPerLink)} announcements per transaction per link at`,
    `${perSecond(slow)} tx/s and ${f2(fast.perTxPerLink)} at ${perSecond(fast)} tx/s, ${count(slow.txMessagesPerTx)} and ${count(fast.txMessagesPerTx)} messages a transaction. Batched as at ${perSecond(fast)} tx/s,`,
    `${t.txPerBlock} transactions at ${count(t.peers)} peers would cost about ${count(scaled * t.txPerBlock)} (messages a transaction grow with the links),`,
    `${count(rest + scaled * t.txPerBlock)} a block in all. What would reach ${count(SIM_TARGET)} at this workload: announcements that carry`,
    'many transactions (a flush gap of minutes, which would add minutes a hop to every transaction, or ids',
    'carried only by the heartbeat’s pool, which goes once an interval anyway), or a simulator that models',
    'transaction relay instead of delivering every message. Neither is a cheap, safe change of the peer.',
    'The faster rates show that the same code needs several times fewer messages a transaction once',
    'transactions share a flush.',
  ];
}

export function relayReport(f: Record<ProtocolVersion, Figures>, s: Settings): { table: string; write(): void } {
  const body = table(['measure', '1.1', '1.2'], rows(f, s), '---|---:|---:');
  const write = () => {
    const now = f['1.2'];
    const prof = now.sim.profile;
    updateSection(
      'Relay: protocol 1.1 and 1.2',
      [
        `Measured by \`npm run bench -- relay\`${s.quick ? ' (--quick)' : ''}, load average ${s.load} at the start (the machine is shared).`,
        'Peers in one process over TCP, each link through a counting proxy that decodes every frame (bytes,',
        'frames, transaction bodies, block frames), mining off, signed transactions of the `default` rules at',
        `difficulty 1, heartbeats every second. Two peers relay ${s.two} transactions handed to one of them; three fully`,
        `connected peers relay ${s.paced} transactions handed round-robin ${s.gapMs} ms apart, then ${s.burst} at once, and one of them`,
        `mines a block of ${BLOCK_TXS} that every pool holds. Counting ends once every pool holds every transaction (or the`,
        'block) and each connection carried one more heartbeat round, which it includes. The simulator runs',
        '`propagation` at its defaults (regions latency, 8 neighbours a peer) for both versions.',
        '',
        body,
        '',
        'These are counts, not timings: bytes and copies per transaction do not depend on the load of the',
        'machine. Frames per transaction do depend on the rate in 1.2, by design: announcements and bodies go',
        'in batches per flush (mean 500 ms), so a burst shares frames among hundreds of transactions while the',
        `paced run (about ${(500 / s.gapMs).toFixed(0)} transactions a flush) shows a steady low rate; 1.1 sends a \`tx\` and its reply per`,
        'transaction and link whatever the rate. In 1.1 each body reaches a peer of three about twice (the',
        'pushes over a link cross in flight) and a block comes once from each neighbour; in 1.2 each body',
        'comes once, and the block comes as its header and short ids, rebuilt from the pool. Bytes and frames',
        'leave out the heartbeats (`hb`, `hi` and their replies), which follow the clock rather than the',
        'transactions (their frames are in a row of their own; bodies in 1.1 `hb` pools count as copies).',
        ...(f['1.2'].three.paced.frames <= 2 ? [] : ['', ...pacedWhy(f, s)]),
        ...(now.sim.perBlock <= SIM_TARGET ? [] : ['', ...simWhy(f, s)]),
        ...(prof
          ? [
              '',
              `CPU profile of the 1.2 simulator run (in this process, node:inspector; ${(prof.totalMs / 1000).toFixed(1)} s profiled, self time): the`,
              'time goes to delivering and handling messages, so fewer messages is what would make the run faster as well.',
              '',
              profileTable(prof),
            ]
          : []),
      ].join('\n'),
    );
    updateSummary(
      [
        summaryRow(f, 'bytes per relayed transaction, two peers', kB, (x) => x.two.bytes, '≤ 400 B', 400),
        summaryRow(f, `frames per transaction per peer, three peers, ${s.burst} at once`, f2, (x) => x.three.burst.frames, '≤ 2', 2),
        summaryRow(f, `frames per transaction per peer, three peers, ${1000 / s.gapMs} tx/s`, f2, (x) => x.three.paced.frames, '≤ 2', 2),
        summaryRow(f, 'copies of each body, three peers', f2, (x) => x.three.burst.copies, '≤ 1.1', 1.1),
        summaryRow(f, `bytes received per ${BLOCK_TXS}-tx block in the pool`, kB, (x) => x.three.blockBytes, '≤ 25 KB', 25_000),
        summaryRow(f, `simulator messages per block, ${count(s.target.peers)} peers`, count, (x) => x.sim.perBlock, '≤ 50,000', SIM_TARGET),
      ],
      'Relay:',
    );
  };
  return { table: body, write };
}
