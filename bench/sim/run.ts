/**
 * Simulator scale: what a delivered message costs with 1,000 real peers and blocks of 10
 * transactions, beside the bare virtual clock's cost of an event measured in the same run (the
 * scheduler running empty events, which no simulator of this design can beat), and 100,000 real
 * peers propagating 10 blocks, with memory per peer and wall time.
 *
 *   npm run bench -- sim [--blocks N] [--scale-peers N] [--scale-blocks N] [--quick] [--no-write]
 *
 * `--blocks` (default 100) is the number of blocks of the 1,000-peer run; the time of 1,000 blocks
 * is projected from it when fewer (messages grow linearly with blocks). `--scale-peers` (default
 * 100,000) and `--scale-blocks` (default 10) size the scale run: blocks every 10 s without
 * transactions, heartbeats every 10 minutes, so that its messages are the blocks' own. `--quick`
 * runs 200 peers and 2,000 in the scale run.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { Scheduler, propagation, type PropagationResult } from '@chain/sim';
import { argValue, count, log, logMachine, machine, procStatusBytes, quick, runMain, write } from '../lib/common.js';
import { INTRO, NOTES } from './notes.js';
import { table, updateSection, updateSummary } from '../lib/report.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PEERS = quick ? 200 : 1000;
const BIG = Number(argValue('--scale-peers') ?? (quick ? 2000 : 100_000));
const BLOCKS = Number(argValue('--blocks') ?? (quick ? 5 : 100));
const BIG_BLOCKS = Number(argValue('--scale-blocks') ?? (quick ? 2 : 10));
const TARGET_RATIO = 10;
const TARGET_RSS = 12 * 1024 ** 3;
const TARGET_BLOCKS = 1000;
const TARGET_S = 60;

const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
const us = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} µs`;
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const num = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;

/** Peak resident set size of this process so far (VmHWM), or the current RSS where /proc is missing. */
function peakRss(): number {
  try {
    const peak = procStatusBytes('self', 'VmHWM');
    if (!Number.isNaN(peak)) return peak;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage().rss;
}

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * µs an event of the bare clock: empty events at random times, each followed by the same wait for
 * promise jobs the world gets, with 10,000 pending at any time (each schedules the next one of its
 * chain), about what a world of a thousand peers holds.
 */
async function bareClock(events: number): Promise<number> {
  const s = new Scheduler(0);
  let x = 1;
  let left = events;
  const next = (): number => (x = (x * 48271) % 2147483647) % 1000;
  const step = (): void => {
    if (--left > 0) s.after(next(), step);
  };
  for (let i = 0; i < 10_000; i++) s.after(next(), step);
  const t0 = performance.now();
  const r = await s.run();
  return ((performance.now() - t0) * 1000) / r.events;
}

interface Run {
  peers: number;
  blocks: number;
  result: PropagationResult;
  heapStart: number;
  heapEnd: number;
  rss: number;
  /** Real ms from the world built to the end of the run (what the messages cost). */
  runMs: number;
  startMs: number;
}

/**
 * A propagation run; heap a peer measured after a collection, of the idle world once started and
 * of the running world at the end. `scale` runs empty blocks every 10 s, heartbeats every 10 minutes.
 */
async function run(peers: number, blocks: number, scale: boolean): Promise<Run> {
  log(`${num(peers)} peers: running ${blocks} blocks...`);
  const before = heap();
  const t0 = performance.now();
  let heapStart = 0;
  let heapEnd = 0;
  let started = 0;
  let ended = 0;
  const result = await propagation({
    seed: 'bench',
    peers,
    blocks,
    ...(scale ? { intervalMs: 10_000, txPerSecond: 0, heartbeatMs: 600_000 } : {}),
    hooks: {
      started: (w) => {
        heapStart = heap() - before;
        log(`${num(peers)} peers: started in ${secs(performance.now() - t0)}, ${kib(heapStart / peers)} of heap a peer`);
        started = performance.now();
        let shown = started;
        // A line a minute of real time: a long run shows how far it is.
        w.scheduler.observe(() => {
          const now = performance.now();
          if (now - shown < 60_000) return;
          shown = now;
          const m = w.trace.messages;
          log(
            `  ${secs(now - started)}: ${secs(w.elapsed)} virtual, ${w.tracker.mined.length} blocks, ${count(m)} messages, RSS ${mib(process.memoryUsage().rss)}`,
          );
        }, 14);
      },
    },
    onEnd: () => {
      ended = performance.now();
      heapEnd = heap() - before;
    },
  });
  return { peers, blocks, result, heapStart, heapEnd, rss: peakRss(), runMs: ended - started, startMs: started - t0 };
}

async function main(): Promise<void> {
  logMachine();
  const limit = getHeapStatistics().heap_size_limit;
  // A started peer holds about 90 KiB of heap: refuse before hours of work end out of memory.
  if (limit < BIG * 100 * 1024)
    throw new Error(
      `the heap limit is ${mib(limit)}, too small for ${num(BIG)} peers: run with NODE_OPTIONS=--max-old-space-size=${Math.ceil((BIG * 110) / 1024)}`,
    );
  const load = machine().load;
  const clockUs = await bareClock(quick ? 200_000 : 2_000_000);
  log(`bare clock: ${us(clockUs)} an event`);
  const small = await run(PEERS, BLOCKS, false);
  const perMessage = (small.runMs * 1000) / small.result.messages;
  const ratioNow = perMessage / clockUs;
  log(`${num(PEERS)} peers: ${us(perMessage)} a message, ${ratioNow.toFixed(1)}× the bare clock's event`);
  const big = await run(BIG, BIG_BLOCKS, true);
  const head = [
    'run',
    'peers',
    'blocks',
    'messages',
    'start-up',
    'run time',
    'messages/s',
    'µs a message',
    'messages a block',
    'heap a peer (started)',
    'heap a peer (end)',
    'peak RSS',
  ];
  const body = [small, big].map((r) => [
    r === big
      ? `propagation, empty blocks every 10 s, ${r.result.topology}, ${r.result.latency}`
      : `propagation, ${r.result.topology}, ${r.result.latency}`,
    num(r.peers),
    num(r.result.blocks),
    count(r.result.messages),
    secs(r.startMs),
    secs(r.runMs),
    count(Math.round(r.result.messages / (r.runMs / 1000))),
    us((r.runMs * 1000) / r.result.messages),
    count(Math.round(r.result.messages / Math.max(1, r.result.blocks))),
    kib(r.heapStart / r.peers),
    kib(r.heapEnd / r.peers),
    mib(r.rss),
  ]);
  const byOp = (r: Run) =>
    Object.entries(r.result.messagesByOp)
      .map(([op, n]) => `${op} ${((100 * n) / r.result.messages).toFixed(1)} %`)
      .join(', ');
  const measured = small.blocks >= TARGET_BLOCKS;
  const projectedMs = (small.runMs / Math.max(1, small.result.blocks)) * TARGET_BLOCKS;
  const text = [
    table(head, body),
    '',
    `Reference (same run): the bare virtual clock, ${us(clockUs)} an empty event (waiting for promise jobs after each as the world does). ` +
      `A message at ${num(small.peers)} peers costs ${us(perMessage)}: ${ratioNow.toFixed(1)}× the bare clock's event (target ≤ ${TARGET_RATIO}×).`,
    `Machine load average at the start: ${load}, at the end: ${machine().load}. Run time is from the world built to the end of the run; start-up builds and starts every peer.`,
    `Messages by opcode at ${num(small.peers)} peers: ${byOp(small)}; at ${num(big.peers)}: ${byOp(big)}.`,
    `${num(big.peers)} peers: ${gib(big.rss)} peak RSS, ${kib(big.rss / big.peers)} of it a peer (limit ${gib(TARGET_RSS)}); ` +
      `${secs(big.startMs + big.runMs)} wall time in all.`,
    '',
    measured
      ? `${num(TARGET_BLOCKS)} blocks at ${num(small.peers)} peers took ${secs(small.runMs)} (target < ${TARGET_S} s).`
      : `${num(TARGET_BLOCKS)} blocks at ${num(small.peers)} peers, projected from ${small.blocks} measured (messages grow linearly with blocks): ${secs(projectedMs)} (target < ${TARGET_S} s).`,
  ].join('\n');
  console.log(text);
  if (!write || quick) return;
  updateSection('Simulator', [...INTRO, '', text, '', ...NOTES].join('\n'));
  updateSummary(
    [
      [
        `Simulator, ${num(small.peers)} peers: a message against an event of the bare clock`,
        us(perMessage),
        `bare clock ${us(clockUs)} an event`,
        `${ratioNow.toFixed(1)}×`,
        `≤ ${TARGET_RATIO}×`,
        ratioNow <= TARGET_RATIO ? 'yes' : 'no',
      ],
      [
        `Simulator, ${num(small.peers)} peers × ${num(TARGET_BLOCKS)} blocks of 10 tx`,
        `${secs(measured ? small.runMs : projectedMs)}${measured ? '' : ' (projected)'}`,
        '',
        '',
        `< ${TARGET_S} s`,
        (measured ? small.runMs : projectedMs) < TARGET_S * 1000 ? 'yes' : 'no',
      ],
      [
        `Simulator, ${num(big.peers)} peers × ${big.result.blocks} blocks`,
        `${gib(big.rss)} peak RSS (${kib(big.rss / big.peers)} a peer), ${secs(big.startMs + big.runMs)}`,
        '',
        '',
        `RSS ≤ ${gib(TARGET_RSS)}`,
        big.rss <= TARGET_RSS ? 'yes' : 'no',
      ],
    ],
    'Simulator',
  );
}

runMain(main);
