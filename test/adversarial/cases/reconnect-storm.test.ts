import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { killAll, until } from '@chain/testkit';
import { CLASSIC, assertServed, startCli, startPeer, type PeerProcess, scratchNetwork } from '../lib/harness';

/**
 * docs/spec.md §7: backoff resets on a valid reply, not on a connect. The neighbour's backoff starts at
 * 100 ms and doubles (to 60 s); jitter removes at most half of each delay. So the shortest possible
 * gaps between attempts are 50, 100, 200, 400, … ms, and this many attempts fit in `windowMs`.
 */
function mostAttempts(windowMs: number, initialMs = 100, jitter = 0.5): number {
  let attempts = 1; // the first one, at once
  for (let elapsed = 0, delay = initialMs * (1 - jitter); elapsed + delay <= windowMs; delay *= 2) {
    elapsed += delay;
    attempts++;
  }
  return attempts;
}

describe('a neighbour address that is not a chain peer', function () {
  this.timeout(30_000);
  let garbage: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    await killAll();
    for (const s of sockets) s.destroy();
    if (garbage) await new Promise<void>((resolve) => garbage!.close(() => resolve()));
    garbage = undefined;
  });

  /** The peer under test: the library's peer (its logger lines), or the `chain-peer` command (what a user reads). */
  const starters: [string, (target: string) => Promise<PeerProcess>][] = [
    ['a peer', (target) => startPeer({ network: CLASSIC, neighbours: [target] })],
    [
      'chain-peer',
      async (target) => {
        const { dir, net } = scratchNetwork(CLASSIC);
        const p = startCli(['--port', '0', '--data', join(dir, 'data'), '--network', net, '--no-mine', '--no-prompt', '--peer', target]);
        p.port = await p.listening();
        return p;
      },
    ],
  ];

  for (const [who, start] of starters) {
    it(`${who}: a server that accepts and answers garbage is retried with the growing backoff, and logged once per attempt at most`, async () => {
      const WINDOW_MS = 10_000;
      const accepted: number[] = [];
      garbage = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        accepted.push(Date.now());
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
      await new Promise<void>((resolve) => garbage!.listen(0, '127.0.0.1', resolve));
      const target = `127.0.0.1:${(garbage.address() as { port: number }).port}`;

      const peer = await start(target);
      await until(() => accepted.length > 0, 'the first connection attempt', 5000);
      const first = accepted[0] as number;
      // Watch the attempts for WINDOW_MS (the peer keeps serving meanwhile).
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const attempts = accepted.filter((t) => t - first <= WINDOW_MS).length;
      const bound = mostAttempts(WINDOW_MS);
      // Resetting the backoff on every connect retried about 13 times a second: ~130 here.
      assert.ok(attempts >= 3, `${attempts} attempts: a configured neighbour is still retried`);
      assert.ok(attempts <= bound, `${attempts} connections in ${WINDOW_MS} ms; the backoff allows ${bound} at most`);

      // The peer's own log: it says what the address is, at most one line per attempt, never "connected".
      const lines = peer.stderr.split('\n').filter((l) => l.includes(target));
      assert.ok(lines.length >= 1, `no line about ${target} on stderr:\n${peer.stderr}`);
      assert.ok(lines.length <= attempts, `${lines.length} lines about ${target} for ${attempts} attempts:\n${lines.join('\n')}`);
      assert.ok(
        lines.some((l) => /answered with HTTP: it is a web server/.test(l)),
        lines.join('\n'),
      );
      assert.doesNotMatch(peer.stderr, /is connected/, 'a server that never answered validly is never reported connected');
      assert.doesNotMatch(peer.stderr, /1213486160/, 'no bogus frame length in the log');
      await assertServed(peer.port);
    });
  }
});
