/**
 * A peer in its own process, driven over IPC by a benchmark (fork with tsx and the
 * `@chain/source` condition). Counts the Ed25519 verifications it makes and its CPU time.
 *
 * Messages in: { cmd: 'start', options } → { address }; { cmd: 'stats' } → stats;
 * { cmd: 'at', height } → { hash, cumTx }; { cmd: 'stop' } → { stopped };
 * { cmd: 'arm', content } → { armed }, then { cmd: 'seen', content } → { at }: the monotonic clock
 * (`process.hrtime`, the same clock in every process on the machine) when a block holding a
 * transaction with that content was added; { cmd: 'wait-tip', tip } → stats, once the tip is that
 * hash (checked on each added block: nothing polls the measured peer).
 */
import { DEFAULT_NETWORK, type Ed25519, type NetworkParams } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { Peer } from '@chain/peer';
import { tcpTransport, type Transport } from '@chain/net';
import { answerCalls } from './proc-child';

let peer: Peer | undefined;
let found = 0;
let searchMs = 0;
let work = 0;
let verifications = 0;
let repeated = 0;
let txIn = 0; // \`tx\` requests received (clients and gossip)
let hbPoolOut = 0; // pool transactions sent in \`hb\` replies
const verified = new Set<string>();
/** Armed contents: when a block holding each arrived (null until then), and who waits for it. */
const watched = new Map<string, { at: bigint | null; waiting: ((at: bigint) => void)[] }>();
const firstAt = new Map<string, string>();
const counting: Ed25519 = {
  verify(sig, msg, key) {
    verifications++;
    const id = Buffer.from(msg).toString('latin1');
    if (verified.has(id)) {
      repeated++;
      if (process.env.BENCH_TRACE_REPEATS && repeated <= 6) {
        const hex = Buffer.from(msg).toString('hex');
        const where = (new Error().stack ?? '').includes('validateBlock') ? 'block' : 'admission';
        console.error(
          `repeat at ${where}: first ${firstAt.get(id)}, pool ${peer?.chain.pool.has(hex)}, height ${peer?.chain.txHeight(hex)}, tip ${peer?.chain.height}`,
        );
      }
    } else {
      verified.add(id);
      if (process.env.BENCH_TRACE_REPEATS)
        firstAt.set(id, `${(new Error().stack ?? '').includes('validateBlock') ? 'block' : 'admission'} at tip ${peer?.chain.height}`);
    }
    return nodeEd25519.verify(sig, msg, key);
  },
  sign: nodeEd25519.sign,
  publicKey: nodeEd25519.publicKey,
};

/** TCP, counting the transaction copies this peer receives by \`tx\` and sends in \`hb\` replies. */
const counted: Transport = {
  name: 'tcp (counted)',
  createClient: (o) => tcpTransport.createClient(o),
  createServer(o) {
    const server = tcpTransport.createServer(o);
    const handle = server.handle.bind(server) as (op: string, h: (req: unknown, rc: unknown) => unknown) => unknown;
    (server as { handle: unknown }).handle = (op: string, h: (req: unknown, rc: unknown) => unknown) =>
      handle(op, (req, rc) => {
        if (op === 'tx') txIn++;
        const out = h(req, rc);
        if (op === 'hb')
          void Promise.resolve(out).then(
            (r) => (hbPoolOut += (r as { pool: unknown[] }).pool.length),
            () => undefined,
          );
        return out;
      });
    return server;
  },
};

interface Command {
  cmd: string;
  options?: Record<string, unknown>;
  network?: NetworkParams;
  height?: number;
  content?: string;
  tip?: string;
}

answerCalls<Command>({
  async start(m) {
    peer = await Peer.start({
      network: m.network ?? DEFAULT_NETWORK,
      port: 0,
      ed25519: counting,
      transport: counted,
      ...(m.options ?? {}),
    });
    peer.miner?.on('found', (f) => {
      found++;
      searchMs += f.elapsedMs;
    });
    peer.miner?.on('work', () => work++);
    peer.on('block', ({ block }) => {
      if (watched.size === 0) return;
      const now = process.hrtime.bigint();
      for (const tx of block.transactions) {
        const w = watched.get(tx.content);
        if (w === undefined || w.at !== null) continue;
        w.at = now;
        for (const f of w.waiting.splice(0)) f(now);
      }
    });
    return { address: peer.listenAddress };
  },
  stats() {
    const cpu = process.cpuUsage();
    if (!peer) return { cpuMs: (cpu.user + cpu.system) / 1000 };
    const p = peer;
    return {
      height: p.chain.height,
      tip: p.chain.tip.hash,
      pool: p.chain.pool.size,
      verifications,
      repeated,
      txIn,
      hbPoolOut,
      found,
      searchMs,
      work,
      hashrate: p.miner?.hashrate ?? 0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: process.memoryUsage().rss,
      open: p.neighbours.list().filter((n) => n.state === 'open').length,
    };
  },
  at(m) {
    const p = peer as Peer;
    let cum = 0;
    for (let h = 2; h <= (m.height as number); h++) cum += p.chain.meta(p.chain.hashAt(h) as string)?.txCount ?? 0;
    return { hash: p.chain.hashAt(m.height as number), cumTx: cum };
  },
  async 'wait-tip'(m) {
    const p = peer as Peer;
    if (p.chain.tip.hash !== m.tip)
      await new Promise<void>((resolve) => {
        const on = () => {
          if (p.chain.tip.hash !== m.tip) return;
          p.off('block', on);
          resolve();
        };
        p.on('block', on);
      });
    const cpu = process.cpuUsage();
    return { height: p.chain.height, tip: p.chain.tip.hash, verifications, repeated, cpuMs: (cpu.user + cpu.system) / 1000 };
  },
  arm(m) {
    watched.set(m.content as string, { at: null, waiting: [] });
    return { armed: true };
  },
  async seen(m) {
    const w = watched.get(m.content as string);
    if (w === undefined) throw new Error(`content ${m.content} was not armed`);
    const at = w.at ?? (await new Promise<bigint>((r) => w.waiting.push(r)));
    watched.delete(m.content as string);
    return { at: at.toString() };
  },
  async stop() {
    await peer?.stop();
    setTimeout(() => process.exit(0), 50);
    return { stopped: true };
  },
});
