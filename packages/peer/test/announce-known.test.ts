import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Transaction } from '@chain/core';
import { silentLogger } from '@chain/net';
import { ManualClock } from '@chain/testkit';
import { Announcer } from '../src/announce/announcer';
import { Fetcher } from '../src/announce/fetcher';
import type { IntakeEvents } from '../src/intake';
import type { Neighbour } from '../src/neighbours';
import { Relay } from '../src/relay';
import { tx } from './helpers';

const idN = (i: number): string => createHash('sha256').update(`known ${i}`).digest('hex');
const B = '10.0.0.2:6000';
const C = '10.0.0.3:6000';

/** A 1.2 neighbour that records the ids of every `ia` it is sent and wants none of them. */
function neighbour(address: string) {
  const ias: string[][] = [];
  const n = {
    address,
    configured: true,
    state: 'open',
    version: '1.2',
    client: {
      request: (op: string, payload: { ids: string[] }) => {
        if (op === 'ia') ias.push(payload.ids);
        return Promise.resolve(op === 'ia' ? { want: [] } : { txs: [] });
      },
    },
  };
  return { n: n as unknown as Neighbour, ias };
}

/** The relay, announcer and fetcher of one peer wired as the peer wires them, with neighbours B and C and a pool. */
function setup() {
  const clock = new ManualClock(1_000_000);
  const pool = new Map<string, Transaction>();
  const b = neighbour(B);
  const c = neighbour(C);
  const events = new EventEmitter<IntakeEvents>();
  const announcer = new Announcer({
    timers: clock,
    random: () => 1 - Math.exp(-1), // every gap exactly the mean
    meanMs: 100,
    maxFrame: 1 << 20,
    body: (id) => pool.get(id),
    unnote: (address, id) => relay.unnote(address, id),
    logger: silentLogger,
  });
  const relay: Relay = new Relay(events, {
    list: () => [b.n, c.n],
    get: (address) => [b.n, c.n].find((n) => n.address === address),
    syncFrom: () => undefined,
    syncOne: () => undefined,
    v12: {
      announceTx: (n, id) => announcer.announce(n, id),
      sendBlock: () => undefined,
      known: (address, id) => announcer.known(address, id),
    },
  });
  const fetcher = new Fetcher({
    now: () => clock.now,
    timers: clock,
    fetchTimeoutMs: 2000,
    maxFrame: 1 << 20,
    has: (id) => pool.has(id),
    connection: () => undefined,
    admit: () => Promise.reject(new Error('nothing is fetched here')),
    note: (address, id) => relay.note(address, id),
    logger: silentLogger,
  });
  /** A local transaction enters the pool: queued for B and C. */
  const local = (i: number): string => {
    const id = idN(i);
    pool.set(id, tx(`k${i}`));
    events.emit('tx', { id, tx: pool.get(id) as Transaction, source: { kind: 'local' } });
    return id;
  };
  return { clock, b, c, events, relay, fetcher, local };
}

describe('announcing: what a neighbour came to know while its ids waited', () => {
  const ways: [string, (s: ReturnType<typeof setup>, id: string) => Promise<void> | void][] = [
    ['announced (ia)', (s, id) => void s.fetcher.announced({ key: B, address: B }, [id])],
    [
      'sent the body of (tb, tx or a gt reply; admitted or a duplicate)',
      (s, id) => void s.events.emit('seen', { id, source: { kind: 'neighbour', address: B } }),
    ],
    ['listed in its heartbeat pool (hi)', (s, id) => s.fetcher.fetchPool(s.b.n, [id])],
    ['fetched from this peer (gt)', (s, id) => s.relay.note(B, id)],
  ];
  for (const [way, learn] of ways)
    it(`an id B ${way} between queue and flush is not announced to B, and still is to C`, async () => {
      const s = setup();
      const [x, y] = [s.local(1), s.local(2)];
      await learn(s, x);
      await s.clock.advance(100);
      assert.deepEqual(s.b.ias, [[y]], 'B hears only of the one it did not tell');
      assert.deepEqual(s.c.ias, [[x, y]], 'C hears of both');
      assert.equal(s.relay.knows(B, x), true, 'x stays known to B');
      s.local(1); // x again (another copy): B knows it, so it is not queued again
      await s.clock.advance(1000);
      assert.deepEqual(s.b.ias, [[y]]);
      s.relay.close();
    });

  it('drops only what the neighbour itself told: an id C announced still goes to B', async () => {
    const s = setup();
    const x = s.local(1);
    s.fetcher.announced({ key: C, address: C }, [x]);
    // A stranger's announcement names no neighbour: nothing is dropped for it.
    s.fetcher.announced({ key: '#7', address: null }, [x]);
    await s.clock.advance(100);
    assert.deepEqual(s.b.ias, [[x]]);
    assert.deepEqual(s.c.ias, []);
    s.relay.close();
  });
});
