import assert from 'node:assert/strict';
import { AddressBook, MAX_FAILURES, PER_HOST, QUARANTINE_MS, normaliseHost, plausibleClaim, type BookEntry } from '../src/address-book';

const at = (i: number) => `10.9.0.${Math.floor(i / 250) + 1}:${7000 + (i % 250)}`;

/** A book with a hand-driven clock. */
function book(o: Partial<ConstructorParameters<typeof AddressBook>[0]> = {}) {
  let now = 1_000_000;
  const b = new AddressBook({ maxNeighbours: 32, ...o });
  return {
    b,
    now: () => now,
    advance: (ms: number) => (now += ms),
    /** An inbound connection from `host` announces `address`. */
    announce: (address: string, host = '192.0.2.1') => b.announce(host, address, now),
    /** Dial what is due now, if anything. */
    dial: (): BookEntry | null => b.nextDial(now),
  };
}

/** Learn `address`, dial it and let it answer: a verified neighbour. */
function verified(t: ReturnType<typeof book>, address: string, host = '192.0.2.1'): void {
  assert.equal(t.announce(address, host), 'learned');
  t.advance(t.b.dialIntervalMs);
  assert.equal(t.dial()?.address, address);
  assert.equal(t.b.succeeded(address, t.now()), true);
}

describe('address book (docs/spec.md §7)', () => {
  it('a learned address is a candidate, not a neighbour, until a valid hb reply; then it is one', () => {
    const t = book();
    assert.equal(t.announce('198.51.100.7:6000', '198.51.100.7'), 'learned');
    const e = t.b.get('198.51.100.7:6000')!;
    assert.equal(e.status, 'candidate');
    assert.equal(t.b.isNeighbour(e.address), false);
    assert.equal(t.b.neighbours().length, 0);
    assert.equal(t.dial()?.address, e.address);
    assert.equal(e.dialling, true);
    // Connected but not answered yet: still a candidate.
    assert.equal(t.b.isNeighbour(e.address), false);
    t.advance(250);
    assert.equal(t.b.succeeded(e.address, t.now()), true, 'promoted');
    assert.equal(e.status, 'neighbour');
    assert.equal(e.lastSeen, t.now());
    assert.equal(e.source, '198.51.100.7');
    assert.equal(t.b.succeeded(e.address, t.now()), false, 'already a neighbour');
  });

  it('candidates take no neighbour slot; dialling stops while every slot is taken', () => {
    const t = book({ maxNeighbours: 2, dialIntervalMs: 0 });
    t.b.configure('203.0.113.1:6000', t.now());
    verified(t, '198.51.100.1:6000');
    for (let i = 0; i < 5; i++) assert.equal(t.announce(at(i), `192.0.2.${i + 10}`), 'learned');
    assert.equal(t.b.candidates().length, 5);
    assert.equal(t.b.neighbours().length, 2);
    assert.equal(t.dial(), null, 'no slot for a candidate');
    assert.equal(t.b.dialDelay(t.now()), null, 'nothing to wait for');
  });

  it('5 failed attempts in a row drop a candidate and quarantine the address for 10 minutes', () => {
    const t = book();
    const a = '198.51.100.9:6000';
    t.announce(a);
    t.dial();
    for (let i = 1; i < MAX_FAILURES; i++) assert.equal(t.b.failed(a, t.now()), false, `failure ${i} keeps it`);
    assert.equal(t.b.get(a)?.failures, MAX_FAILURES - 1);
    assert.equal(t.b.failed(a, t.now()), true, 'the fifth drops it');
    assert.equal(t.b.get(a), undefined);
    const [q] = t.b.quarantined(t.now());
    assert.equal(q?.address, a);
    assert.equal(q?.until, t.now() + QUARANTINE_MS);
    // Announced again, from anywhere: not learned while quarantined.
    assert.equal(t.announce(a, '192.0.2.99'), 'quarantined');
    t.advance(QUARANTINE_MS - 1);
    assert.equal(t.announce(a, '192.0.2.99'), 'quarantined');
    t.advance(1);
    assert.equal(t.b.quarantined(t.now()).length, 0, 'forgotten when the time is up');
    assert.equal(t.announce(a, '192.0.2.99'), 'learned');
  });

  it('a valid hb reply resets the failure count: only failures in a row drop', () => {
    const t = book();
    const a = '198.51.100.10:6000';
    verified(t, a);
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < MAX_FAILURES; i++) assert.equal(t.b.failed(a, t.now()), false);
      t.b.succeeded(a, t.now());
      assert.equal(t.b.get(a)?.failures, 0);
    }
    assert.equal(t.b.isNeighbour(a), true);
    for (let i = 1; i < MAX_FAILURES; i++) t.b.failed(a, t.now());
    assert.equal(t.b.failed(a, t.now()), true, 'a learned neighbour is dropped too');
    assert.equal(t.b.isNeighbour(a), false);
  });

  it('a configured neighbour is never dropped nor quarantined', () => {
    const t = book();
    const a = '203.0.113.5:6000';
    t.b.configure(a, t.now());
    for (let i = 0; i < 100; i++) assert.equal(t.b.failed(a, t.now()), false);
    assert.equal(t.b.get(a)?.failures, 100);
    assert.equal(t.b.isNeighbour(a), true);
    assert.equal(t.b.distrust(a, t.now()), false);
    assert.equal(t.b.isNeighbour(a), true);
    assert.equal(t.b.quarantined(t.now()).length, 0);
    assert.equal(t.announce(a), 'known');
  });

  it('an invalid block drops a learned neighbour at once, quarantined', () => {
    const t = book();
    const a = '198.51.100.11:6000';
    verified(t, a);
    assert.equal(t.b.distrust(a, t.now()), true);
    assert.equal(t.b.get(a), undefined);
    assert.equal(t.announce(a), 'quarantined');
  });

  it('learned addresses from one source host count at most 8', () => {
    const t = book();
    for (let i = 0; i < PER_HOST; i++) assert.equal(t.announce(at(i), '192.0.2.66'), 'learned');
    assert.equal(t.announce(at(PER_HOST), '192.0.2.66'), 'host-limit');
    assert.equal(t.announce(at(PER_HOST), '::ffff:192.0.2.66'), 'host-limit', 'an IPv4-mapped address is the same host');
    assert.equal(t.announce(at(PER_HOST), '192.0.2.67'), 'learned', 'another host still can');
    // Dropping one of them makes room for another from that host.
    const gone = at(0);
    t.b.nextDial(t.now());
    for (let i = 0; i < MAX_FAILURES; i++) t.b.failed(gone, t.now());
    assert.equal(t.announce(at(PER_HOST + 1), '192.0.2.66'), 'learned');
    // Configured neighbours do not count.
    const c = book();
    c.b.configure('192.0.2.66:1', c.now());
    for (let i = 0; i < PER_HOST; i++) assert.equal(c.announce(at(i), '192.0.2.66'), 'learned');
  });

  it('at most one new candidate is dialled per interval, hosts taking turns', () => {
    const t = book({ dialIntervalMs: 1000 });
    for (let i = 0; i < 6; i++) t.announce(at(i), '192.0.2.1');
    t.announce('198.51.100.200:6000', '192.0.2.2');
    const dialled: string[] = [];
    const first = t.dial();
    assert.ok(first, 'the first is dialled at once');
    dialled.push(first.address);
    for (let ms = 0; ms < 999; ms += 111) {
      t.advance(111);
      assert.equal(t.dial(), null, `nothing ${ms + 111} ms after a dial`);
    }
    assert.equal(t.b.dialDelay(t.now()), 1);
    t.advance(1);
    const second = t.dial();
    assert.ok(second);
    dialled.push(second.address);
    assert.equal(t.dial(), null, 'one per interval');
    // The second host's only candidate came second although it was learned last.
    assert.deepEqual(dialled, [at(0), '198.51.100.200:6000']);
    for (let i = 0; i < 5; i++) {
      t.advance(1000);
      assert.ok(t.dial());
    }
    t.advance(1000);
    assert.equal(t.dial(), null, 'every candidate is being dialled');
    assert.equal(t.b.dialDelay(t.now()), null);
  });

  it('bounds: 4 × maxNeighbours candidates (failed, crowded and old ones give way) and a bounded quarantine', () => {
    const t = book({ maxNeighbours: 4 });
    assert.equal(t.b.maxCandidates, 16);
    const hosts = (i: number) => `192.0.2.${i % 8}`; // 8 hosts, 2 each
    for (let i = 0; i < 16; i++) {
      t.advance(1);
      assert.equal(t.announce(at(i), hosts(i)), 'learned');
    }
    // One fails once: it is the first to give way.
    const failing = t.dial()!;
    t.b.failed(failing.address, t.now());
    const evicted: string[] = [];
    assert.equal(
      t.b.announce('192.0.2.200', at(100), t.now(), (e) => evicted.push(e.address)),
      'learned',
    );
    assert.deepEqual(evicted, [failing.address]);
    // Then the oldest of the most represented host.
    t.advance(1);
    assert.equal(
      t.b.announce('192.0.2.201', at(101), t.now(), (e) => evicted.push(e.address)),
      'learned',
    );
    assert.equal(evicted[1], at(1), 'the hosts but 192.0.2.0 have two each: the oldest of those');
    assert.equal(t.b.candidates().length, 16);
    // Quarantine: 8 × maxNeighbours addresses at most, the oldest forgotten first.
    const q = book({ maxNeighbours: 1, dialIntervalMs: 0 });
    for (let i = 0; i < 20; i++) {
      q.b.announce(`192.0.3.${i}`, at(i), q.now());
      const d = q.dial()!;
      for (let f = 0; f < MAX_FAILURES; f++) q.b.failed(d.address, q.now());
    }
    const held = q.b.quarantined(q.now()).map((e) => e.address);
    assert.equal(held.length, 8);
    assert.deepEqual(
      held,
      Array.from({ length: 8 }, (_, i) => at(12 + i)),
    );
  });

  it('normalises hosts and believes an IP listen address only from that IP', () => {
    assert.equal(normaliseHost('::FFFF:10.0.0.1'), '10.0.0.1');
    assert.equal(normaliseHost('[::1]'), '::1');
    assert.equal(plausibleClaim('10.0.0.1:6000', '::ffff:10.0.0.1'), true);
    assert.equal(plausibleClaim('10.0.0.1:6000', '10.0.0.2'), false);
    assert.equal(plausibleClaim('[::1]:6000', '::1'), true);
    assert.equal(plausibleClaim('peer.example:6000', '10.0.0.2'), false, 'a host name proves nothing');
    assert.equal(plausibleClaim('localhost:6000', '127.0.0.1'), false);
  });

  it('learns only IP literals: a host name is not a candidate, from any host', () => {
    const t = book();
    assert.equal(t.announce('peer.example:6000', '10.0.0.2'), 'host-name');
    assert.equal(t.announce('localhost:6001', '127.0.0.1'), 'host-name');
    assert.equal(t.b.candidates().length, 0);
    assert.equal(t.announce('10.0.0.2:6000', '10.0.0.2'), 'learned');
  });
});
