/**
 * One latency setting: three peers speaking `protocol` on loopback, in this process or each in a
 * process of its own, and a client that submits one transaction at a time to A; a sample is the
 * time until a block holding it is on all three.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClassicTransaction, createGenesis, signTransaction, type Block, type Transaction, type NetworkParams } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { createClient, observedTcpTransport, tcpTransport, type Transport } from '@chain/net';
import { Peer } from '@chain/peer';
import type { ProtocolVersion } from '@chain/protocol';
import { until } from '@chain/testkit';
import { Proc } from '../lib/proc.js';
import { log, median, ms, quick, scratch } from '../lib/common.js';

export interface PresetResult {
  preset: string;
  /** The version every peer spoke. */
  protocol: ProtocolVersion;
  /** Where the peers ran. */
  where: 'one process' | 'three processes';
  /** In one process: per trial, ms from the request until A's miner found the proof, A added the block, and the client had the `tx` reply. */
  stages?: { found: number[]; a: number[]; reply: number[] };
  /** In one process: block requests (`nb`, `cb`, `bt`) the three peers' servers received, summed over the trials. */
  frames?: BlockFrames;
  samples: number[];
  blocks: number;
}

/** Requests that carry a block or its transactions, counted per opcode. */
export type BlockFrames = Record<(typeof BLOCK_OPS)[number], number>;
const BLOCK_OPS = ['nb', 'cb', 'bt'] as const;

/** TCP whose servers count the block requests they read (replies, read by clients, carry the same opcodes). */
function countingTransport(): { transport: Transport; take(): BlockFrames } {
  let counts: BlockFrames = { nb: 0, cb: 0, bt: 0 };
  const servers = observedTcpTransport({
    frame: (direction, op) => {
      if (direction === 'in' && (BLOCK_OPS as readonly string[]).includes(op)) counts[op as keyof BlockFrames]++;
    },
  });
  const transport: Transport = {
    name: 'tcp',
    createServer: (o) => servers.createServer(o),
    createClient: (o) => tcpTransport.createClient(o),
  };
  const take = () => {
    const out = counts;
    counts = { nb: 0, cb: 0, bt: 0 };
    return out;
  };
  return { transport, take };
}

/** Trials before the measured ones, in every setting. */
const WARMUP = quick ? 3 : 10;

/** A client connected to the peer at `host:port` (resolves once the connection is open). */
async function openClient(host: string, port: number): Promise<ReturnType<typeof createClient>> {
  const client = createClient({ host, port, requestTimeoutMs: 30_000 });
  await new Promise<void>((r) => (client.state === 'open' ? r() : client.once('connect', () => r())));
  return client;
}

/** A transaction of `network` with the given content, timestamped now (signed by a fixed key, or classic). */
function txMaker(network: NetworkParams): (content: string) => Transaction {
  const genesisHash = createGenesis(network).currentHash;
  const seed = new Uint8Array(32).fill(3);
  return (content) =>
    network.txFormat === 'signed'
      ? signTransaction({ genesisHash, secretKey: seed, content, timestamp: Date.now(), ed25519: nodeEd25519 })
      : createClassicTransaction('benc0001', { content, timestamp: Date.now() });
}

/**
 * Wait until every pool is empty and the three tips agree. A trial slower than the miner grace
 * (a stall of the machine) lets B or C mine the transaction too: an equal-height fork that only
 * the next block settles. So tips that still differ after 5 s are left to the next trial (and
 * counted); pools that do not empty within 30 s are an error.
 */
let forks = 0;
async function settle(look: () => { pools: number[]; tips: string[] } | Promise<{ pools: number[]; tips: string[] }>): Promise<void> {
  const started = Date.now();
  for (;;) {
    const { pools, tips } = await look();
    const empty = pools.every((n) => n === 0);
    const agreed = tips.every((t) => t === tips[0]);
    if (empty && agreed) return;
    if (empty && Date.now() - started > 5000) {
      forks++;
      log(`  the tips still differ 5 s after a trial (an equal-height fork, ${forks} so far); the next block settles it`);
      return;
    }
    if (Date.now() - started > 30_000) throw new Error(`pools not empty 30 s after a trial: ${pools.join(', ')}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function startTrio(network: NetworkParams, protocol: ProtocolVersion, root: string, transport: Transport): Promise<Peer[]> {
  const a = await Peer.start({ network, protocol, transport, port: 0, dataDir: join(root, 'a'), mine: true, heartbeatMs: 5000 });
  const b = await Peer.start({
    network,
    protocol,
    transport,
    port: 0,
    dataDir: join(root, 'b'),
    mine: true,
    workers: 1,
    neighbours: [a.listenAddress],
    heartbeatMs: 5000,
  });
  const c = await Peer.start({
    network,
    protocol,
    transport,
    port: 0,
    dataDir: join(root, 'c'),
    mine: true,
    workers: 1,
    neighbours: [a.listenAddress, b.listenAddress],
    heartbeatMs: 5000,
  });
  const peers = [a, b, c];
  // Full mesh: A learns B and C from their heartbeats; wait until every peer has its neighbours open.
  await until(
    () => peers.every((p) => p.neighbours.list().filter((n) => n.state === 'open').length >= 2),
    'the peers to connect to each other',
    15_000,
  );
  return peers;
}

/** Three running peers and a client on A: one trial at a time. */
interface Trio {
  /** Submit a transaction with `content` to A; the ms until a block holding it is on all three, and the stages in one process. */
  trial(content: string): Promise<{ ms: number; stages?: { found: number; a: number; reply: number }; frames?: BlockFrames }>;
  stop(): Promise<void>;
}

/** The three peers in this process. */
async function inProcess(preset: string, network: NetworkParams, protocol: ProtocolVersion): Promise<Trio> {
  const root = scratch(`latency-${preset}-${protocol}`);
  const counting = countingTransport();
  const peers = await startTrio(network, protocol, root, counting.transport);
  const [a] = peers as [Peer, Peer, Peer];
  const client = await openClient(a.address.host, a.address.port);
  const makeTx = txMaker(network);
  const trial = async (content: string) => {
    const tx = makeTx(content);
    const seen = new Set<Peer>();
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    let foundAt = 0n;
    let aAt = 0n;
    const onFound = () => (foundAt = process.hrtime.bigint());
    a.miner?.on('found', onFound);
    const listeners = peers.map((p) => {
      const on = ({ block }: { block: Block }) => {
        if (block.transactions.some((t) => t.content === content)) {
          if (p === a) aAt = process.hrtime.bigint();
          seen.add(p);
          if (seen.size === peers.length) resolveAll();
        }
      };
      p.on('block', on);
      return on;
    });
    counting.take(); // what came before this trial is not its block's
    const t0 = process.hrtime.bigint();
    const reply = await client.request('tx', tx);
    const replyAt = process.hrtime.bigint();
    if (reply.status !== 'Accepted') throw new Error(`transaction refused: ${JSON.stringify(reply)}`);
    const timeout = setTimeout(() => resolveAll(), 30_000);
    await all;
    clearTimeout(timeout);
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    peers.forEach((p, k) => p.off('block', listeners[k] as never));
    a.miner?.off('found', onFound);
    if (seen.size !== peers.length) throw new Error(`${content}: the block did not reach all three peers within 30 s`);
    // Let the tip settle everywhere (the next trial starts from a quiet network).
    await settle(() => ({ pools: peers.map((p) => p.chain.pool.size), tips: peers.map((p) => p.chain.tip.hash) }));
    const since = (t: bigint) => Number(t - t0) / 1e6;
    return { ms: dt, stages: { found: since(foundAt), a: since(aAt), reply: since(replyAt) }, frames: counting.take() };
  };
  const stop = async () => {
    await client.close();
    await Promise.all(peers.map((p) => p.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  return { trial, stop };
}

/** The three peers each in a process of its own (TypeScript through tsx, as the throughput benchmark runs them). */
async function inProcesses(preset: string, network: NetworkParams, protocol: ProtocolVersion): Promise<Trio> {
  const root = scratch(`latency-proc-${preset}-${protocol}`);
  const script = new URL('../lib/peer-process.ts', import.meta.url).pathname;
  const procs = [new Proc(script), new Proc(script), new Proc(script)];
  await Promise.all(procs.map((p) => p.ready));
  const [a, b, c] = procs as [Proc, Proc, Proc];
  const base = { heartbeatMs: 5000, protocol };
  const start = (p: Proc, name: string, options: Record<string, unknown>) =>
    p.call<{ address: string }>({ cmd: 'start', network, options: { ...base, dataDir: join(root, name), mine: true, ...options } });
  const addrA = (await start(a, 'a', {})).address;
  const addrB = (await start(b, 'b', { workers: 1, neighbours: [addrA] })).address;
  await start(c, 'c', { workers: 1, neighbours: [addrA, addrB] });
  type Stats = { open: number; tip: string; pool: number };
  const stats = () => Promise.all(procs.map((p) => p.call<Stats>({ cmd: 'stats' })));
  for (let i = 0; ; i++) {
    if ((await stats()).every((x) => x.open >= 2)) break;
    if (i > 300) throw new Error('the three peer processes did not connect to each other within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const [host, port] = [addrA.slice(0, addrA.lastIndexOf(':')), Number(addrA.slice(addrA.lastIndexOf(':') + 1))];
  const client = await openClient(host, port);
  const makeTx = txMaker(network);
  const trial = async (content: string) => {
    const tx = makeTx(content);
    await Promise.all(procs.map((p) => p.call({ cmd: 'arm', content })));
    const t0 = process.hrtime.bigint();
    const reply = await client.request('tx', tx);
    if (reply.status !== 'Accepted') throw new Error(`transaction refused: ${JSON.stringify(reply)}`);
    const seen = await Promise.all(procs.map((p) => p.call<{ at: string }>({ cmd: 'seen', content })));
    const last = seen.reduce((m, x) => (BigInt(x.at) > m ? BigInt(x.at) : m), 0n);
    // Let the tip settle everywhere (the next trial starts from a quiet network).
    await settle(async () => {
      const s = await stats();
      return { pools: s.map((x) => x.pool), tips: s.map((x) => x.tip) };
    });
    return { ms: Number(last - t0) / 1e6 };
  };
  const stop = async () => {
    await client.close();
    await Promise.all(procs.map((p) => p.call({ cmd: 'stop' }).catch(() => undefined)));
    procs.forEach((p) => p.kill());
    rmSync(root, { recursive: true, force: true });
  };
  return { trial, stop };
}

/**
 * One setting for each of `protocols`: a trio of peers each, all running at once, and their trials
 * taken in turn (the order flipped every round), so that a change of the machine's load falls on
 * every version alike instead of on whichever ran during it.
 */
export async function measure(
  preset: string,
  network: NetworkParams,
  where: PresetResult['where'],
  protocols: readonly ProtocolVersion[],
  trials: number,
): Promise<PresetResult[]> {
  const open = where === 'one process' ? inProcess : inProcesses;
  const trios: Trio[] = [];
  for (const v of protocols) trios.push(await open(preset, network, v));
  const results: PresetResult[] = protocols.map((protocol) => ({
    preset,
    protocol,
    where,
    samples: [],
    blocks: 0,
    ...(where === 'one process' ? { stages: { found: [], a: [], reply: [] }, frames: { nb: 0, cb: 0, bt: 0 } } : {}),
  }));
  for (let i = 0; i < trials + WARMUP; i++) {
    const order = [...trios.keys()];
    if (i % 2 === 1) order.reverse();
    for (const k of order) {
      const r = results[k] as PresetResult;
      const t = await (trios[k] as Trio).trial(`latency ${preset} ${r.protocol} ${where} ${i} ${Date.now()}`);
      r.blocks++;
      if (i < WARMUP) continue;
      r.samples.push(t.ms);
      if (t.stages && r.stages) for (const step of ['found', 'a', 'reply'] as const) r.stages[step].push(t.stages[step]);
      if (t.frames && r.frames) for (const op of BLOCK_OPS) r.frames[op] += t.frames[op];
    }
    if ((i + 1) % 50 === 0)
      log(
        `  ${preset} (${where}): ${i + 1 - WARMUP} trials, p50 so far ${results.map((r) => `${ms(median(r.samples))} (${r.protocol})`).join(', ')}`,
      );
  }
  await Promise.all(trios.map((t) => t.stop()));
  return results;
}
