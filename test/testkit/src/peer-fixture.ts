// A real peer in its own process, with every limit configurable (the CLI does not expose them all).
//
//   node --conditions=@chain/source --import=tsx peer-fixture.ts '<PeerOptions as JSON>'   (path: PEER_FIXTURE)
//
// stdout: `listening on HOST:PORT` once it serves, then one `event {json}` line per block, reorg and
// neighbour state change, and the answers to the commands read from stdin:
//   status          -> `status {height, tip, pool: [ids], connections, neighbours, candidates}`
//   tx {json}       -> `tx-result {json}`: submit a transaction as this peer's own user
//   mine            -> `mined {json}`: mine one block on the current template (reference search)
//   memory          -> `memory {heapUsed, arrayBuffers, rss, windowIds, height}` (after a full gc with --expose-gc)
// stderr: log lines `LEVEL message {fields}`. SIGTERM stops the peer cleanly (exit 0).
import { createInterface } from 'node:readline';
import { proofFor } from '@chain/testkit';
import { logArguments, type LogFields, type Logger, type LogMethod } from '@chain/net';
import { Peer, type PeerOptions } from '@chain/peer';

const line = (level: string) =>
  ((first: string | LogFields, second?: string) => {
    const { message, fields } = logArguments(first, second);
    process.stderr.write(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  }) as LogMethod;
const logger: Logger = { debug: () => {}, info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
const out = (text: string) => process.stdout.write(`${text}\n`);

const options = JSON.parse(process.argv[2] ?? '{}') as PeerOptions;
let peer: Peer;
try {
  peer = await Peer.start({ mine: false, ...options, logger });
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
}
peer.on('block', ({ block, status }) =>
  out(`event ${JSON.stringify({ type: 'block', index: block.index, hash: block.currentHash, status, height: peer.chain.height })}`),
);
peer.on('reorg', (r) =>
  out(
    `event ${JSON.stringify({ type: 'reorg', connected: r.connected.length, disconnected: r.disconnected.length, returnedToPool: r.returnedToPool.length })}`,
  ),
);
peer.on('peer', ({ address, state }) => out(`event ${JSON.stringify({ type: 'peer', address, state })}`));
out(`listening on ${peer.address.host}:${peer.address.port}`);

createInterface({ input: process.stdin }).on('line', (text) => {
  const [cmd, ...rest] = text.trim().split(' ');
  void (async () => {
    if (cmd === 'status') {
      const s = peer.status();
      out(
        `status ${JSON.stringify({ height: s.height, tip: s.tip, pool: peer.chain.pool.list().map((e) => e.id), connections: s.connections, neighbours: s.neighbours, candidates: s.candidates })}`,
      );
    } else if (cmd === 'tx') {
      const r = await peer.submitTransaction(JSON.parse(rest.join(' ')));
      out(`tx-result ${JSON.stringify(r.ok ? { ok: true, id: r.id } : { ok: false, reason: r.reason })}`);
    } else if (cmd === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      out(
        `memory ${JSON.stringify({ heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss, windowIds: peer.chain.windowIds, height: peer.chain.height })}`,
      );
    } else if (cmd === 'mine') {
      const w = peer.work.describe();
      if (!w.templateHash) return out(`mined ${JSON.stringify({ ok: false, reason: 'nothing to mine' })}`);
      const proof = proofFor(w);
      const r = await peer.work.submit(proof, w.templateHash);
      out(
        `mined ${JSON.stringify(r.status === 'Reward' ? { ok: true, index: r.block.index, hash: r.block.currentHash } : { ok: false, reason: r.reason })}`,
      );
    }
  })().catch((err) => out(`command-error ${JSON.stringify((err as Error).message)}`));
});

process.on('SIGTERM', () => {
  void peer.stop().then(() => process.exit(0));
});
