import assert from 'node:assert/strict';
import type { NeighbourState, PeerChange } from '@chain/peer';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort, killAll, rawFrame, until, within } from '@chain/testkit';
import { CLASSIC, genesisOf, startPeer, type PeerProcess } from '../lib/harness';

/** Addresses are candidates until they answer (docs/spec.md §7), against a real peer process. */

const GENESIS = genesisOf(CLASSIC).currentHash;
/** Five source hosts on loopback (all of 127.0.0.0/8 is this machine), eight dead addresses each. */
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
const PER_HOST = 8;

interface Entry {
  address: string;
  kind: string;
  state: NeighbourState;
  source: string;
  failures: number;
  lastSeen: number | null;
}
interface Status {
  neighbours: Entry[];
  candidates: Entry[];
}

/** A port that accepts and hangs up at once (no `hb` reply ever), recording when each dial came. */
async function hangUp(): Promise<{ server: Server; port: number; dials: number[] }> {
  const dials: number[] = [];
  const server = createServer((s) => {
    dials.push(Date.now());
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, dials };
}

/** From source host `from`, a fresh connection sends one valid-genesis `hb` announcing `listen`; resolves once answered. */
async function announce(port: number, from: string, listen: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, localAddress: from });
  socket.on('error', () => {});
  await within(new Promise((r) => socket.once('connect', r)), 5000, `connect from ${from}`);
  const answered = new Promise<Buffer>((r) => socket.once('data', r));
  socket.write(rawFrame('hb', JSON.stringify({ genesis: GENESIS, locator: [GENESIS], listen })));
  const reply = await within(answered, 5000, `hb answered for ${listen}`);
  assert.equal(reply.subarray(4, 6).toString('latin1'), 'hb', `hb reply, got ${reply.toString('latin1', 4)}`);
  return socket;
}

describe('learned addresses', function () {
  let victim: PeerProcess;
  const sockets: Socket[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const s of servers.splice(0)) s.close();
    await killAll();
  });

  const status = () => victim.command<Status>('status', 'status');
  /** The `peer` events the victim printed, in order. */
  const events = () =>
    [...victim.stdout.matchAll(/^event (.*)$/gm)]
      .map((m) => JSON.parse(m[1] as string) as { type: string; address?: string; state?: PeerChange })
      .filter((e) => e.type === 'peer') as { address: string; state: PeerChange }[];

  it('40 inbound clients announcing dead addresses do not keep an honest peer out: it is a neighbour within 5 s; the dead are dialled one a second at most, dropped after 5 failures and quarantined', async function () {
    this.timeout(120_000);
    victim = await startPeer({ network: CLASSIC });
    const port = victim.port;

    // 40 dead addresses: half refuse the connection, half accept it and hang up before any reply.
    const dead: string[] = [];
    const probes = new Map<string, number[]>();
    for (let i = 0; i < HOSTS.length * PER_HOST; i++) {
      if (i % 2 === 0) dead.push(`127.0.0.1:${await freePort()}`);
      else {
        const p = await hangUp();
        servers.push(p.server);
        const address = `127.0.0.1:${p.port}`;
        probes.set(address, p.dials);
        dead.push(address);
      }
    }
    // Each from its own inbound connection, eight per source host.
    const learnedAt = Date.now();
    for (const [i, address] of dead.entries()) sockets.push(await announce(port, HOSTS[Math.floor(i / PER_HOST)] as string, address));
    const first = await status();
    assert.equal(first.neighbours.length, 0, 'no dead address is a neighbour');
    for (const e of first.candidates) assert.ok(HOSTS.includes(e.source), `source ${e.source}`);

    // The honest peer announces itself (its hb on its connection to the victim) and must get in.
    const honest = await startPeer({ network: CLASSIC, neighbours: [`127.0.0.1:${port}`] });
    const honestAddress = `127.0.0.1:${honest.port}`;
    const joined = Date.now();
    await until(
      () => events().some((e) => e.address === honestAddress && e.state === 'ready'),
      'the honest peer to become a neighbour',
      5000,
    );
    const s = await status();
    const h = s.neighbours.find((e) => e.address === honestAddress);
    assert.ok(h, `the honest peer is a neighbour ${Date.now() - joined} ms after it started`);
    assert.equal(h.kind, 'neighbour');
    assert.equal(h.source, '127.0.0.1');
    assert.ok(h.lastSeen !== null);

    // Every dead address is dropped after 5 failures and quarantined; none was ever a neighbour.
    await until(
      () => {
        const q = new Set(
          events()
            .filter((e) => e.state === 'quarantined')
            .map((e) => e.address),
        );
        return dead.every((a) => q.has(a));
      },
      'every dead address quarantined',
      70_000,
    );
    const took = Date.now() - learnedAt;
    for (const e of events())
      if (dead.includes(e.address)) assert.ok(['candidate', 'quarantined'].includes(e.state), `${e.address} ${e.state}`);
    const end = await status();
    assert.deepEqual(
      end.neighbours.map((e) => e.address),
      [honestAddress],
    );
    const quarantined = end.candidates.filter((e) => e.kind === 'quarantined');
    assert.deepEqual(quarantined.map((e) => e.address).sort(), [...dead].sort());
    for (const e of quarantined) assert.equal(e.failures, 5);

    // Dialled one new candidate a second at most: 40 took about 40 s, and the first dials of
    // the hang-up addresses (every other one in dial order) are at least a second apart.
    assert.ok(took >= 38_000, `40 candidates dialled in ${took} ms`);
    const firsts = [...probes.values()].map((d) => d[0] as number).sort((a, b) => a - b);
    for (let i = 1; i < firsts.length; i++) {
      const gap = (firsts[i] as number) - (firsts[i - 1] as number);
      assert.ok(gap >= 900, `two new candidates dialled ${gap} ms apart`);
    }
    for (const [address, dials] of probes) assert.ok(dials.length <= 5, `${address} dialled ${dials.length} times`);
    // Quarantined means left alone: no further dial, and not learned again when announced.
    const counts = [...probes.values()].map((d) => d.length);
    sockets.push(await announce(port, '127.0.0.7', dead[1] as string));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(
      [...probes.values()].map((d) => d.length),
      counts,
      'no dial after the quarantine',
    );
    const again = (await status()).candidates.find((e) => e.address === dead[1]);
    assert.equal(again?.kind, 'quarantined');
  });

  it('a source host holds eight places in the book at most: its ninth and tenth addresses are not learned while its eight are there; another host is still heard', async function () {
    this.timeout(60_000);
    // A dial interval of a minute: the decoy below takes the first dial, and no candidate of the
    // host under test is dialled (so none fails and leaves the book) while the test announces.
    victim = await startPeer({ network: CLASSIC, dialIntervalMs: 60_000 });
    const port = victim.port;
    const free = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(`127.0.0.1:${await freePort()}`);
      return out;
    };
    const [decoy] = await free(1);
    sockets.push(await announce(port, '127.0.0.7', decoy as string));
    await until(() => events().some((e) => e.address === decoy && e.state === 'quarantined'), 'the decoy dialled and quarantined', 20_000);
    const eight = await free(PER_HOST);
    const extra = await free(2);
    const other = await free(1);
    for (const address of eight) sockets.push(await announce(port, HOSTS[0] as string, address));
    for (const address of extra) sockets.push(await announce(port, HOSTS[0] as string, address));
    for (const address of other) sockets.push(await announce(port, HOSTS[1] as string, address));
    const s = await status();
    const bySource = (host: string) =>
      [...s.neighbours, ...s.candidates]
        .filter((e) => e.source === host && e.kind !== 'quarantined')
        .map((e) => e.address)
        .sort();
    assert.deepEqual(
      bySource(HOSTS[0] as string),
      [...eight].sort(),
      'the first eight from one host are learned, the ninth and tenth are not',
    );
    assert.deepEqual(bySource(HOSTS[1] as string), other, 'another host still has its places');
  });
});
