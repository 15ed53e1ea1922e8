import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createGenesis } from '@chain/core';
import { request } from '@chain/net';
import { encodeFrame } from '@chain/protocol';
import type { NeighbourStatus, Peer } from '@chain/peer';
import { freePort, until } from '@chain/testkit';
import { NET, addr, startPeer } from './helpers';

const GENESIS = createGenesis(NET).currentHash;

/** Announce `listen` to `peer` with a valid-genesis `hb` on a fresh connection. */
function announce(peer: Peer, listen: string): Promise<unknown> {
  return request('127.0.0.1', peer.address.port, 'hb', { genesis: GENESIS, locator: [GENESIS], listen });
}

function entry(peer: Peer, address: string): NeighbourStatus | undefined {
  const s = peer.status();
  return [...s.neighbours, ...s.candidates].find((n) => n.address === address);
}

describe('peer: learned addresses on loopback (docs/spec.md §7)', function () {
  this.timeout(20_000);
  let peers: Peer[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(peers.map((p) => p.stop()));
    peers = [];
  });

  it('a dead listen address stays a candidate, is dropped after 5 failed attempts and quarantined; an answering one becomes a neighbour', async () => {
    const a = await startPeer({ dialIntervalMs: 20 });
    peers.push(a);
    const states = new Map<string, string[]>();
    a.on('peer', ({ address, state }) => states.set(address, [...(states.get(address) ?? []), state]));
    const dead = `127.0.0.1:${await freePort()}`;
    await announce(a, dead);
    const learned = entry(a, dead);
    assert.equal(learned?.kind, 'candidate');
    assert.equal(learned?.source, '127.0.0.1');
    assert.equal(a.neighbours.get(dead), undefined, 'not a neighbour');
    await until(() => entry(a, dead)?.kind === 'quarantined', 'dropped', 10_000);
    const q = entry(a, dead)!;
    assert.equal(q.failures, 5);
    assert.equal(q.lastSeen, null);
    assert.ok(q.until !== null && q.until > Date.now() + 9 * 60_000, 'for 10 minutes');
    assert.deepEqual(states.get(dead), ['candidate', 'quarantined'], 'never open');
    // Announced again, it is not learned.
    await announce(a, dead);
    assert.equal(entry(a, dead)?.kind, 'quarantined');

    const b = await startPeer({ neighbours: [addr(a)] });
    peers.push(b);
    await until(() => a.neighbours.get(addr(b)) !== undefined, 'a verifies b', 5000);
    const nb = entry(a, addr(b))!;
    assert.equal(nb.kind, 'neighbour');
    assert.equal(nb.state, 'open');
    assert.equal(nb.failures, 0);
    assert.ok(nb.lastSeen !== null);
    assert.deepEqual(states.get(addr(b))?.slice(0, 2), ['candidate', 'ready']);
    assert.equal(b.status().neighbours[0]?.kind, 'configured');
  });

  it('a peer of another network answers er to hb: never a neighbour, dropped after 5', async () => {
    const a = await startPeer({ dialIntervalMs: 20 });
    const other = await startPeer({ network: { ...NET, name: 'another-net', genesisTime: NET.genesisTime + 1 } });
    peers.push(a, other);
    await announce(a, addr(other));
    let opened = false;
    a.on('peer', ({ address, state }) => (opened ||= address === addr(other) && state === 'ready'));
    await until(() => entry(a, addr(other))?.kind === 'quarantined', 'dropped', 10_000);
    assert.equal(opened, false);
    assert.equal(a.status().neighbours.length, 0);
  });

  it('an inbound connection announces one address; later ones are ignored', async () => {
    const a = await startPeer({ dialIntervalMs: 60_000 });
    peers.push(a);
    const s = connect({ host: '127.0.0.1', port: a.address.port });
    sockets.push(s);
    await new Promise((r) => s.once('connect', r));
    const replies: Buffer[] = [];
    s.on('data', (d: Buffer) => replies.push(d));
    for (const port of [4001, 4002, 4003])
      s.write(encodeFrame('hb', { genesis: GENESIS, locator: [GENESIS], listen: `127.0.0.1:${port}` }));
    await until(() => Buffer.concat(replies).length > 0 && entry(a, '127.0.0.1:4001') !== undefined, 'replies', 5000);
    await request('127.0.0.1', a.address.port, 'gp'); // handled after the three hb of the other connection
    assert.deepEqual(
      a.status().candidates.map((c) => c.address),
      ['127.0.0.1:4001'],
    );
  });

  it("a neighbour's inbound connection keeps its slot when every slot is taken; an idle stranger gives way", async () => {
    const a = await startPeer({ maxConnections: 2 });
    // b says hello once (its heartbeat is a minute away): its connection to a is the idlest.
    const b = await startPeer({ neighbours: [addr(a)], heartbeatMs: 60_000 });
    peers.push(a, b);
    await until(() => a.neighbours.get(addr(b))?.state === 'open', 'a verifies b', 5000);
    const stranger = connect({ host: '127.0.0.1', port: a.address.port });
    sockets.push(stranger);
    let strangerGot = '';
    stranger.on('data', (d: Buffer) => (strangerGot += d.toString('latin1')));
    const strangerClosed = new Promise((r) => stranger.once('close', r));
    await new Promise((r) => stranger.once('connect', r));
    await until(() => a.status().connections === 2, 'two inbound', 5000);
    let bLost = false;
    b.on('peer', ({ state }) => (bLost ||= state === 'backoff' || state === 'closed'));
    // A newcomer while both slots are taken: the stranger gives way, not b.
    assert.equal((await request('127.0.0.1', a.address.port, 'gp')).pending, 0);
    await Promise.race([
      strangerClosed,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the stranger kept its slot (b lost its connection: ${bLost})`)), 5000)),
    ]);
    assert.match(strangerGot, /busy/);
    assert.equal(bLost, false);
    assert.equal(b.neighbours.get(addr(a))?.state, 'open');
  });
});
