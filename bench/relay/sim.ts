/**
 * The simulator's messages per block, protocol 1.1 against 1.2: at the default workload (blocks of
 * 10 transactions every 10 minutes), and at higher transaction rates where announcements batch.
 * One run can be CPU-profiled in this process (node:inspector) to show where its time goes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { ProtocolVersion } from '@chain/protocol';
import { propagation } from '@chain/sim';
import { profileSummary, type ProfileSummary } from '../lib/profile.js';
import { scratch } from '../lib/common.js';

/** The simulator's default graph: every peer has 8 neighbours. */
const DEGREE = 8;
/** Opcodes that carry transactions, requests and replies alike. */
const TX_OPS = ['tx', 'ia', 'tb', 'gt'];

export interface SimRun extends SimCase {
  readonly protocol: ProtocolVersion;
  /** Messages delivered per block found, connection set-up included. */
  readonly perBlock: number;
  /** The same by opcode. */
  readonly byOp: Record<string, number>;
  /** Messages of the opcodes that carry transactions, per transaction a block holds. */
  readonly txMessagesPerTx: number;
  /** `ia` requests (or `tx` pushes for 1.1) per transaction per link: 1 means no batching at all. */
  readonly perTxPerLink: number;
  readonly wallMs: number;
}

export interface SimCase {
  readonly peers: number;
  readonly blocks: number;
  readonly txPerBlock: number;
  readonly intervalMs: number;
}

/** One propagation run; with `profile`, its CPU profile summarised too. */
export async function simulate(protocol: ProtocolVersion, c: SimCase, profile = false): Promise<SimRun & { profile?: ProfileSummary }> {
  const session = profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const r = await propagation({ seed: 'relay-bench', protocol, ...c });
  let summary: ProfileSummary | undefined;
  if (session) {
    const { profile: p } = await session.post('Profiler.stop');
    session.disconnect();
    const dir = scratch('relay-prof');
    writeFileSync(join(dir, 'sim.cpuprofile'), JSON.stringify(p));
    summary = profileSummary(join(dir, 'sim.cpuprofile'));
    rmSync(dir, { recursive: true, force: true });
  }
  const byOp: Record<string, number> = {};
  for (const [op, n] of Object.entries(r.messagesByOp)) byOp[op] = n / r.blocks;
  const txs = c.txPerBlock;
  const txMessages = TX_OPS.reduce((s, op) => s + (byOp[op] ?? 0), 0);
  const links = (c.peers * DEGREE) / 2;
  const announced = protocol === '1.2' ? (byOp.ia ?? 0) : (byOp.tx ?? 0);
  return {
    protocol,
    ...c,
    perBlock: r.messages / r.blocks,
    byOp,
    txMessagesPerTx: txMessages / txs,
    perTxPerLink: announced / 2 / txs / links,
    wallMs: r.wallMs,
    ...(summary ? { profile: summary } : {}),
  };
}
