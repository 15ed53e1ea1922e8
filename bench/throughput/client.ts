/**
 * Load generator for the throughput benchmark, in its own process: signs transactions ahead of
 * time (signing is the clients' work, not the peers'), then submits them with `tx` over long-lived
 * pipelined connections to every peer in turn, as fast as the peers answer.
 *
 * Messages in: { cmd: 'prepare', count, genesisHash } → { prepared, ms };
 * { cmd: 'go', targets, seconds, connections, window } → { sent, accepted, rejected, reasons, exhausted }.
 */
import { signTransaction, type SignedTransaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { createClient, type Client } from '@chain/net';
import { answerCalls } from '../lib/proc-child';

let txs: SignedTransaction[] = [];

async function go(targets: string[], seconds: number, connections: number, window: number) {
  const clients: Client[] = [];
  for (const t of targets) {
    const [host, port] = t.split(':') as [string, string];
    for (let i = 0; i < connections; i++)
      clients.push(createClient({ host, port: Number(port), requestTimeoutMs: 60_000, maxQueue: 100_000 }));
  }
  await Promise.all(clients.map((c) => new Promise<void>((r) => (c.state === 'open' ? r() : c.once('connect', () => r())))));
  const end = Date.now() + seconds * 1000;
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  const reasons: Record<string, number> = {};
  const lane = async (c: Client) => {
    while (Date.now() < end && next < txs.length) {
      const tx = txs[next++] as SignedTransaction;
      try {
        const r = await c.request('tx', tx);
        if (r.status === 'Accepted') accepted++;
        else {
          rejected++;
          reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
          if (r.reason === 'pool-full') await new Promise((res) => setTimeout(res, 5));
        }
      } catch (err) {
        rejected++;
        const k = (err as Error).message.slice(0, 40);
        reasons[k] = (reasons[k] ?? 0) + 1;
      }
    }
  };
  await Promise.all(clients.flatMap((c) => Array.from({ length: window }, () => lane(c))));
  await Promise.all(clients.map((c) => c.close()));
  return { sent: next, accepted, rejected, reasons, exhausted: next >= txs.length };
}

interface Command {
  cmd: string;
  count?: number;
  genesisHash?: string;
  targets?: string[];
  seconds?: number;
  connections?: number;
  window?: number;
}

answerCalls<Command>({
  prepare(m) {
    const t = Date.now();
    const seeds = Array.from({ length: 16 }, (_, k) => new Uint8Array(32).fill(k + 1));
    txs = new Array(m.count as number);
    const ts = Date.now();
    for (let i = 0; i < (m.count as number); i++) {
      txs[i] = signTransaction({
        genesisHash: m.genesisHash as string,
        secretKey: seeds[i % 16] as Uint8Array,
        content: `load ${ts} ${i}`,
        timestamp: ts + Math.floor(i / 1000),
        ed25519: nodeEd25519,
      });
    }
    return { prepared: txs.length, ms: Date.now() - t };
  },
  go: (m) => go(m.targets as string[], m.seconds as number, m.connections ?? 2, m.window ?? 64),
  exit: () => process.exit(0),
});
