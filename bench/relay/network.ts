/**
 * Peers of the relay benchmark: `n` of them in this process over TCP, every link through a
 * counting proxy, signed transactions for them, and clients that submit those transactions
 * around the proxies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes, signTransaction, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { createClient } from '@chain/net';
import { Peer } from '@chain/peer';
import type { ProtocolVersion } from '@chain/protocol';
import { EASY_SIGNED, until } from '@chain/testkit';
import { CountingProxy } from './proxy.js';

/** Heartbeat of every peer (ms): pools converge by it when an announcement or push is lost. */
export const HEARTBEAT_MS = 1000;
/** The heartbeat's opcodes in 1.1 and 1.2. */
export const HEARTBEAT_OPS: readonly string[] = ['hb', 'hi'];

export interface Net {
  readonly peers: Peer[];
  readonly proxies: CountingProxy[];
  /** Sum of `f` over the proxies. */
  sum(f: (p: CountingProxy) => number): number;
  /** Start counting afresh at every proxy. */
  reset(): void;
  /** Wait until every connection has carried two more heartbeats, so one whole round began after the call: what a pool exchange brings has come. */
  heartbeatRound(): Promise<void>;
  stop(): Promise<void>;
}

const heartbeats = (p: CountingProxy): number => HEARTBEAT_OPS.reduce((s, op) => s + (p.crossed.ops.get(op) ?? 0), 0);

/** `n` peers, every pair linked both ways, every link through the proxy of the peer it reaches. */
export async function network(n: number, protocol: ProtocolVersion): Promise<Net> {
  const root = mkdtempSync(join(tmpdir(), 'relay-'));
  const proxies = Array.from({ length: n }, () => new CountingProxy());
  const ports = await Promise.all(proxies.map((p) => p.listen()));
  const peers: Peer[] = [];
  for (let i = 0; i < n; i++) {
    const p = await Peer.start({
      network: EASY_SIGNED,
      port: 0,
      mine: false,
      heartbeatMs: HEARTBEAT_MS,
      protocol,
      dataDir: join(root, String(i)),
      advertise: `127.0.0.1:${ports[i]}`,
      neighbours: ports.filter((_, j) => j !== i).map((port) => `127.0.0.1:${port}`),
    });
    (proxies[i] as CountingProxy).target = p.address.port;
    peers.push(p);
  }
  const linked = () => peers.every((p) => p.neighbours.list().filter((x) => x.version !== null).length === n - 1);
  await until(linked, `${n} peers linked`, 20_000);
  const sum = (f: (p: CountingProxy) => number) => proxies.reduce((s, p) => s + f(p), 0);
  return {
    peers,
    proxies,
    sum,
    reset: () => proxies.forEach((p) => p.reset()),
    async heartbeatRound() {
      // A heartbeat is two frames (request, reply) on each of the n − 1 connections that reach a proxy.
      const want = proxies.map((p) => heartbeats(p) + 2 * 2 * (n - 1));
      await until(() => proxies.every((p, i) => heartbeats(p) >= (want[i] as number)), 'a heartbeat round on every link', 20_000);
    },
    async stop() {
      await Promise.all(peers.map((p) => p.stop()));
      await Promise.all(proxies.map((p) => p.close()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `n` signed transactions of the network of `genesis`, distinct by `tag`. */
export function transactions(genesis: string, n: number, tag: string): Transaction[] {
  const seed = hexToBytes('22'.repeat(32));
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    signTransaction({
      genesisHash: genesis,
      secretKey: seed,
      content: `${tag} ${i}`,
      timestamp: now - 1000 + (i % 500),
      ed25519: nodeEd25519,
    }),
  );
}

/**
 * Submit `txs` round-robin to `to` over clients of their own (not through the proxies): pipelined,
 * 128 in flight, or with `gapMs` between one and the next to model a steady rate.
 */
export async function submit(to: readonly Peer[], txs: readonly Transaction[], gapMs = 0): Promise<void> {
  const clients = to.map((p) => createClient({ host: '127.0.0.1', port: p.address.port }));
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < txs.length; i++) {
    inflight.push((clients[i % clients.length] as ReturnType<typeof createClient>).request('tx', txs[i] as never));
    if (gapMs > 0)
      await new Promise((r) => setTimeout(r, gapMs)); // pacing the load, not waiting for a result
    else if (inflight.length >= 128) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  await Promise.all(clients.map((c) => c.close()));
}
