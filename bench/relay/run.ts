/**
 * Relay cost, protocol 1.1 against 1.2 in the same run: bytes and frames on the wire per relayed
 * transaction between two peers, frames and copies of each body among three (in a burst and at a
 * steady low rate), the bytes a peer receives for a 500-transaction block it already holds, and the
 * simulator's messages per block at 1,000 peers, with a sweep of transaction rates and a CPU
 * profile. The peers run in this process over TCP, each link through a counting proxy; their
 * clients' own `tx` requests do not cross a proxy.
 *
 *   npm run bench -- relay [--quick] [--no-write]
 */
import type { ProtocolVersion } from '@chain/protocol';
import { count, log, logMachine, machine, quick, runMain, write } from '../lib/common.js';
import { BLOCK_TXS, threePeers, twoPeers } from './measure.js';
import { relayReport, type Figures } from './report.js';
import { simulate, type SimCase, type SimRun } from './sim.js';

const VERSIONS: readonly ProtocolVersion[] = ['1.1', '1.2'];
const SIZES = {
  two: quick ? 500 : 2000,
  burst: quick ? 600 : 3000,
  paced: quick ? 20 : 40,
  /** A transaction every 250 ms: about two to an announcement flush of 500 ms. */
  gapMs: 250,
};
const TARGET: SimCase = { peers: quick ? 200 : 1000, blocks: quick ? 2 : 5, txPerBlock: 10, intervalMs: 600_000 };
/** Blocks a minute apart at 10, 60 and 600 transactions each: 1/6, 1 and 10 transactions a second. */
const SWEEP: SimCase[] = [10, 60, 600].map((txPerBlock) => ({ peers: quick ? 100 : 200, blocks: 2, txPerBlock, intervalMs: 60_000 }));

const fixed = (x: number, d = 2) => x.toFixed(d);
const ops = (o: Record<string, number>, scale = 1) =>
  Object.entries(o)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([op, n]) => `${op} ${n * scale < 10 ? fixed(n * scale) : count(n * scale)}`)
    .join(', ');

async function measure(v: ProtocolVersion): Promise<Figures> {
  log(`protocol ${v}: two peers, ${SIZES.two} transactions ...`);
  const two = await twoPeers(v, SIZES.two);
  log(`  ${count(two.bytes)} bytes, ${fixed(two.frames)} frames a transaction a peer (${ops(two.ops)})`);
  log(
    `protocol ${v}: three peers, ${SIZES.paced} transactions ${SIZES.gapMs} ms apart, ${SIZES.burst} at once, a block of ${BLOCK_TXS} ...`,
  );
  const three = await threePeers(v, SIZES.burst, SIZES.paced, SIZES.gapMs);
  log(`  burst: ${fixed(three.burst.frames)} frames a transaction a peer, ${fixed(three.burst.copies)} copies (${ops(three.burst.ops)})`);
  log(`  paced: ${fixed(three.paced.frames)} frames a transaction a peer, ${fixed(three.paced.copies)} copies (${ops(three.paced.ops)})`);
  log(`  block: ${count(three.blockBytes)} bytes a receiver (the block ${count(three.wholeBytes)})`);
  log(`protocol ${v}: the simulator, ${TARGET.peers} peers, ${TARGET.blocks} blocks of ${TARGET.txPerBlock} transactions ...`);
  const sim = await simulate(v, TARGET, v === '1.2');
  log(`  ${count(sim.perBlock)} messages a block (${ops(sim.byOp)}) in ${(sim.wallMs / 1000).toFixed(0)} s`);
  const sweep: SimRun[] = [];
  for (const c of SWEEP) {
    log(`protocol ${v}: the simulator, ${c.peers} peers, blocks of ${c.txPerBlock} a minute ...`);
    const r = await simulate(v, c);
    log(
      `  ${count(r.perBlock)} messages a block, ${fixed(r.txMessagesPerTx, 0)} a transaction, ${fixed(r.perTxPerLink)} announcements a link`,
    );
    sweep.push(r);
  }
  return { two, three, sim, sweep };
}

async function main(): Promise<void> {
  logMachine();
  const load = machine().load;
  const figures = {} as Record<ProtocolVersion, Figures>;
  for (const v of VERSIONS) figures[v] = await measure(v);
  const report = relayReport(figures, { ...SIZES, target: TARGET, sweep: SWEEP, load, quick });
  console.log(report.table);
  if (write) report.write();
}

runMain(main);
