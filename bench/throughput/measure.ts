/**
 * One throughput run: three peer processes speaking `protocol` (A mines, B and C validate), loaded
 * by the client process for `warm + seconds`; a transaction counts once the block holding it is
 * on the best chain of all three.
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NETWORK } from '@chain/core';
import type { ProtocolVersion } from '@chain/protocol';
import { argValue, count, log } from '../lib/common.js';
import { Proc } from '../lib/proc.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Stats {
  height: number;
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

export interface Outcome {
  readonly protocol: ProtocolVersion;
  /** Confirmed transactions a second. */
  readonly rate: number;
  readonly blocks: number;
  readonly txPerBlock: number;
  /** Signature verifications per confirmed transaction, A, B, C. */
  readonly verifsPerTx: readonly number[];
  /** Percent of one core, A, B, C (every thread of each). */
  readonly cpu: readonly number[];
  /** Copies received per peer per confirmed transaction by `tx` and in `hb` pools (1.1's ways; 1.2's `tb` and `gt` are not counted here). */
  readonly copiesTx: number;
  readonly copiesHb: number;
  readonly clients: { sent: number; accepted: number; rejected: number; reasons: Record<string, number>; exhausted: boolean };
  /** Where each peer's CPU profile goes (with `--cpu-prof`). */
  readonly profDir: string | null;
}

/** The verify threads a peer has by default; the counting verifier of the peer processes turns the default pool off. */
export const verifyThreads = Number(argValue('--verify-threads') ?? (availableParallelism() >= 2 ? availableParallelism() : 0));

async function confirmed(peers: Proc[]): Promise<{ height: number; cumTx: number }> {
  const stats = await Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
  let h = Math.min(...stats.map((s) => s.height));
  for (; h > 1; h--) {
    const at = await Promise.all(peers.map((p) => p.call<{ hash: string; cumTx: number }>({ cmd: 'at', height: h })));
    if (at.every((a) => a.hash === at[0]!.hash)) return { height: h, cumTx: at[0]!.cumTx };
  }
  return { height: 1, cumTx: 0 };
}

const stats = (peers: Proc[]) => Promise.all(peers.map((p) => p.call<Stats>({ cmd: 'stats' })));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms)); // the measuring window, not a synchronisation

/** Three peers at `root/<protocol>`, loaded by `client` (its transactions prepared) for `warm + seconds`. */
export async function measure(
  protocol: ProtocolVersion,
  client: Proc,
  root: string,
  warm: number,
  seconds: number,
  cpuProf: boolean,
): Promise<Outcome> {
  const dir = join(root, protocol);
  const profDir = cpuProf ? join(dir, 'prof') : null;
  const prof = (name: string) => (profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, name)}`] : []);
  const script = here('../lib/peer-process.ts');
  const peers = ['a', 'b', 'c'].map((n) => new Proc(script, prof(n)));
  const [a, b, c] = peers as [Proc, Proc, Proc];
  await Promise.all(peers.map((p) => p.ready));
  const base = { heartbeatMs: 5000, verifyThreads, protocol };
  const start = async (p: Proc, options: Record<string, unknown>) =>
    (await p.call<{ address: string }>({ cmd: 'start', network: DEFAULT_NETWORK, options: { ...base, ...options } })).address;
  const addrA = await start(a, { dataDir: join(dir, 'a'), mine: true, workers: 1, minerGraceMs: 0 });
  const addrB = await start(b, { dataDir: join(dir, 'b'), mine: false, neighbours: [addrA] });
  const addrC = await start(c, { dataDir: join(dir, 'c'), mine: false, neighbours: [addrA, addrB] });
  for (let i = 0; i < 300 && !(await stats(peers)).every((x) => x.open >= 2); i++) await pause(50);

  log(`Protocol ${protocol}: ${warm} s warm-up, then ${seconds} s measured ...`);
  const targets = [addrA, addrB, addrC];
  const run = client.call<Outcome['clients']>({ cmd: 'go', targets, seconds: warm + seconds, connections: 2, window: 64 });
  await pause(warm * 1000);
  const s0 = await stats(peers);
  const c0 = await confirmed(peers);
  const t0 = Date.now();
  for (let i = 1; i <= seconds / 10; i++) {
    await pause(t0 + i * 10_000 - Date.now());
    const ci = await confirmed(peers);
    const si = await stats(peers);
    log(
      `  ${i * 10} s: heights ${si.map((x) => x.height).join('/')}, pools ${si.map((x) => x.pool).join('/')}, ${count((ci.cumTx - c0.cumTx) / ((Date.now() - t0) / 1000))} confirmed tx/s so far`,
    );
  }
  const rest = seconds * 1000 - (Date.now() - t0);
  if (rest > 0) await pause(rest);
  const c1 = await confirmed(peers);
  const t1 = Date.now();
  const s1 = await stats(peers);
  const clients = await run;
  const txs = Math.max(1, c1.cumTx - c0.cumTx);
  const secondsRun = (t1 - t0) / 1000;
  const delta = (k: 'txIn' | 'hbPoolOut') => s1.reduce((sum, x, i) => sum + x[k] - (s0[i] as Stats)[k], 0);
  await Promise.all(peers.map((p) => p.call({ cmd: 'stop' }).catch(() => undefined)));
  await Promise.all(peers.map((p) => new Promise<void>((r) => (p.child.exitCode !== null ? r() : p.child.once('exit', () => r())))));
  log(
    `  clients: sent ${clients.sent}, accepted ${clients.accepted}, rejected ${clients.rejected} ${JSON.stringify(clients.reasons)}${clients.exhausted ? ' (ran out of signed transactions)' : ''}`,
  );
  return {
    protocol,
    rate: (c1.cumTx - c0.cumTx) / secondsRun,
    blocks: c1.height - c0.height,
    txPerBlock: (c1.cumTx - c0.cumTx) / Math.max(1, c1.height - c0.height),
    verifsPerTx: s1.map((x, i) => (x.verifications - (s0[i] as Stats).verifications) / txs),
    cpu: s1.map((x, i) => (x.cpuMs - (s0[i] as Stats).cpuMs) / secondsRun / 10),
    copiesTx: delta('txIn') / (3 * txs),
    copiesHb: delta('hbPoolOut') / (3 * txs),
    clients,
    profDir,
  };
}
