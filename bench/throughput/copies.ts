/**
 * Copies of a transaction each peer receives: three peers in one process, fully connected over TCP,
 * each with a data directory, no miner; N signed transactions submitted round-robin to the three
 * (pipelined), then three heartbeats. Counts \`tx\` requests received and pool transactions sent in
 * \`hb\` replies (= received by the requester). A count, not a timing: the load on the machine moves
 * it little. \`before\` runs with the relay's per-neighbour memory disabled (every LruCache.has false).
 *
 *   npx tsx --conditions=@chain/source bench/throughput/copies.ts [after|before] [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LruCache, signTransaction, hexToBytes, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { createClient, tcpTransport, type Transport } from '@chain/net';
import { Peer } from '@chain/peer';
import { EASY_SIGNED } from '@chain/testkit';

const mode = process.argv[2] ?? 'after';
const N = Number(process.argv[3] ?? 3000);
if (mode === 'before') (LruCache.prototype as { has: (key: unknown) => boolean }).has = () => false; // the relay then knows nothing

const counts = new Map<string, { txIn: number; hbOut: number }>();
function counted(name: string): Transport {
  const c = { txIn: 0, hbOut: 0 };
  counts.set(name, c);
  return {
    name: 'tcp counted',
    createClient: (o) => tcpTransport.createClient(o),
    createServer(o) {
      const server = tcpTransport.createServer(o);
      type Handler = (req: unknown, rc: unknown) => unknown;
      const handle = server.handle.bind(server) as (op: string, h: Handler) => unknown;
      (server as { handle: unknown }).handle = (op: string, h: Handler) =>
        handle(op, (req, rc) => {
          if (op === 'tx') c.txIn++;
          const out = h(req, rc);
          if (op === 'hb')
            void Promise.resolve(out).then(
              (r) => (c.hbOut += (r as { pool: unknown[] }).pool.length),
              () => undefined,
            );
          return out;
        });
      return server;
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'copies-'));
const base = { network: EASY_SIGNED, port: 0, mine: false, heartbeatMs: 1000 };
const a = await Peer.start({ ...base, dataDir: join(root, 'a'), transport: counted('A') });
const b = await Peer.start({ ...base, dataDir: join(root, 'b'), transport: counted('B'), neighbours: [a.listenAddress] });
const c = await Peer.start({ ...base, dataDir: join(root, 'c'), transport: counted('C'), neighbours: [a.listenAddress, b.listenAddress] });
const peers = [a, b, c];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
while (!peers.every((p) => p.neighbours.list().filter((n) => n.state === 'open').length >= (p === a ? 0 : 1))) await wait(50);
await wait(1500);
const seed = hexToBytes('11'.repeat(32));
const now = Date.now();
const txs: Transaction[] = Array.from({ length: N }, (_, i) =>
  signTransaction({
    genesisHash: a.chain.genesisHash,
    secretKey: seed,
    content: `copy ${i}`,
    timestamp: now - 1000 + (i % 500),
    ed25519: nodeEd25519,
  }),
);
const clients = peers.map((p) => createClient({ host: p.address.host, port: p.address.port }));
await Promise.all(clients.map((cl) => new Promise<void>((r) => cl.once('connect', () => r()))));
for (const k of counts.values()) {
  k.txIn = 0;
  k.hbOut = 0;
}
const inflight: Promise<unknown>[] = [];
for (let i = 0; i < N; i++) {
  inflight.push(clients[i % 3]!.request('tx', txs[i] as never));
  if (inflight.length >= 192) await Promise.all(inflight.splice(0));
}
await Promise.all(inflight);
while (!peers.every((p) => p.chain.pool.size === N)) await wait(100);
await wait(3500); // three heartbeats
const total = [...counts.values()].reduce((s, k) => s + k.txIn + k.hbOut, 0);
const tx = [...counts.values()].reduce((s, k) => s + k.txIn, 0);
console.log(
  JSON.stringify({
    mode,
    N,
    perPeerPerTx: (total / (3 * N)).toFixed(2),
    byTx: (tx / (3 * N)).toFixed(2),
    byHbPool: ((total - tx) / (3 * N)).toFixed(2),
    counts: Object.fromEntries(counts),
  }),
);
for (const cl of clients) cl.close();
await Promise.all(peers.map((p) => p.stop()));
rmSync(root, { recursive: true, force: true });
process.exit(0);
