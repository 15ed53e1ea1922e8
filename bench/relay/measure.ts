/**
 * What the relay costs on the wire, counted at the proxies: a transaction between two peers, a
 * transaction among three (in a burst and at a steady low rate), and a block every pool holds.
 */
import type { Peer } from '@chain/peer';
import type { ProtocolVersion } from '@chain/protocol';
import { proofFor, until } from '@chain/testkit';
import { HEARTBEAT_OPS, network, submit, transactions, type Net } from './network.js';
import type { CountingProxy } from './proxy.js';

/** Transactions a block of the benchmark's network holds (EASY_SIGNED's maxTxPerBlock). */
export const BLOCK_TXS = 500;

export interface Wire {
  /** Bytes on the wire per transaction, every link and both ways, heartbeats left out. */
  readonly bytes: number;
  /** Frames per transaction per peer, each counted at its sender and its receiver, heartbeats left out. */
  readonly frames: number;
  /** Heartbeat frames (`hb`, `hi` and replies) meanwhile, per transaction per peer: they follow the clock, not the transactions. */
  readonly heartbeatFrames: number;
  /** Copies of each body a peer lacked that it received (1 wastes nothing). */
  readonly copies: number;
  /** Frames per transaction by opcode (requests and replies together), every link. */
  readonly ops: Record<string, number>;
}

/** Counted from the proxies' reset until every pool holds the `n` new transactions and a heartbeat round passed. */
function wire(net: Net, n: number): Wire {
  const peers = net.peers.length;
  const ops: Record<string, number> = {};
  for (const p of net.proxies) for (const [op, k] of p.crossed.ops) ops[op] = (ops[op] ?? 0) + k / n;
  // Each peer was handed 1/peers of the transactions by a client: it lacked the rest.
  const lacked = (n * peers * (peers - 1)) / peers;
  const beat = (m: ReadonlyMap<string, number>) => HEARTBEAT_OPS.reduce((s, op) => s + (m.get(op) ?? 0), 0);
  const beatFrames = net.sum((p) => beat(p.crossed.ops));
  return {
    bytes: net.sum((p) => p.crossed.bytes - beat(p.crossed.opBytes)) / n,
    frames: (2 * (net.sum((p) => p.crossed.frames) - beatFrames)) / (peers * n),
    heartbeatFrames: (2 * beatFrames) / (peers * n),
    copies: net.sum((p) => p.crossed.bodies) / lacked,
    ops,
  };
}

/** `count` transactions submitted to `to` (all at once, or `gapMs` apart) until all `net`'s pools hold them. */
async function relay(net: Net, to: readonly Peer[], count: number, tag: string, gapMs = 0): Promise<Wire> {
  const txs = transactions((net.peers[0] as Peer).chain.genesisHash, count, tag);
  const before = net.peers.map((p) => p.chain.pool.size);
  net.reset();
  await submit(to, txs, gapMs);
  const arrived = () => net.peers.every((p, i) => p.chain.pool.size === (before[i] as number) + count);
  await until(arrived, `${count} more transactions in every pool`, 120_000);
  await net.heartbeatRound();
  return wire(net, count);
}

/** Two peers, all `count` transactions handed to one: what a relayed transaction costs. */
export async function twoPeers(protocol: ProtocolVersion, count: number): Promise<Wire> {
  const net = await network(2, protocol);
  try {
    return await relay(net, [net.peers[0] as Peer], count, `two ${protocol}`);
  } finally {
    await net.stop();
  }
}

export interface Three {
  /** Transactions handed round-robin to the three, as fast as they take them. */
  readonly burst: Wire;
  /** The same at a steady low rate. */
  readonly paced: Wire;
  /** Bytes of block frames (`nb`, `cb`, `bt`) each receiver got for a block of {@link BLOCK_TXS} in its pool. */
  readonly blockBytes: number;
  /** The block as JSON. */
  readonly wholeBytes: number;
}

/** Three fully connected peers: a burst, a paced run, then a block of transactions every pool holds. */
export async function threePeers(protocol: ProtocolVersion, burst: number, paced: number, gapMs: number): Promise<Three> {
  const net = await network(3, protocol);
  try {
    const [a, b, c] = net.peers as [Peer, Peer, Peer];
    const slow = await relay(net, net.peers, paced, `paced ${protocol}`, gapMs);
    const fast = await relay(net, net.peers, burst, `three ${protocol}`);
    // Mined at a from a pool that every peer holds: what b and c receive of it.
    net.reset();
    const work = a.work.describe();
    const mined = await a.work.submit(proofFor(work), work.templateHash as string);
    if (mined.status !== 'Reward') throw new Error(`the block was not taken: ${JSON.stringify(mined)}`);
    if (mined.block.transactions.length !== BLOCK_TXS)
      throw new Error(`a block of ${mined.block.transactions.length} transactions, not ${BLOCK_TXS}`);
    await until(() => b.chain.height === 2 && c.chain.height === 2, 'the block at b and c', 30_000);
    await net.heartbeatRound(); // a late copy from the other receiver comes within it
    const received = (p: CountingProxy) => p.crossed.blockBytes;
    const blockBytes = (received(net.proxies[1] as CountingProxy) + received(net.proxies[2] as CountingProxy)) / 2;
    return { burst: fast, paced: slow, blockBytes, wholeBytes: Buffer.byteLength(JSON.stringify(mined.block)) };
  } finally {
    await net.stop();
  }
}
