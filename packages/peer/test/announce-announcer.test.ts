import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Transaction } from '@chain/core';
import { silentLogger } from '@chain/net';
import { ManualClock } from '@chain/testkit';
import { Announcer, MAX_IDS, QUEUE_LIMIT, type AnnounceTarget } from '../src/announce/announcer';
import { exponentialGap, secureRandom } from '../src/announce/timing';
import { tx } from './helpers';

const idN = (i: number): string => createHash('sha256').update(`id ${i}`).digest('hex');

type Reply = (payload: any) => Promise<any>;

/** A neighbour's connection that records every request and answers with `replies[op]`. */
function target(address: string, replies: Partial<Record<'ia' | 'tb', Reply>> = {}, configured = true) {
  const sent: { op: string; payload: any; at: number }[] = [];
  const n = {
    address,
    configured,
    state: 'open',
    version: '1.2',
    client: {
      request: (op: 'ia' | 'tb', payload: any) => {
        sent.push({ op, payload, at: clockNow() });
        const reply = replies[op];
        if (reply) return reply(payload);
        // By default: every id wanted, every body taken.
        return Promise.resolve(
          op === 'ia' ? { want: payload.ids.map((_: string, i: number) => i) } : { accepted: payload.txs.length, rejected: [] },
        );
      },
    },
  };
  return { n: n as unknown as AnnounceTarget & { state: string; version: string | null }, sent };
}

let clockNow = () => 0;

/** An announcer on a manual clock whose random draws are given, with a pool of bodies and the unnoted ids. */
function setup(o: { random?: () => number; meanMs?: number; maxFrame?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  clockNow = () => clock.now;
  const pool = new Map<string, Transaction>();
  const unnoted: string[] = [];
  const announcer = new Announcer({
    timers: clock,
    random: o.random ?? (() => 1 - Math.exp(-1)), // every gap exactly the mean
    meanMs: o.meanMs ?? 100,
    maxFrame: o.maxFrame ?? 16 * 1024 * 1024,
    body: (id) => pool.get(id),
    unnote: (address, id) => unnoted.push(`${address} ${id}`),
    logger: silentLogger,
  });
  const add = (count: number, from = 0): string[] => {
    const ids: string[] = [];
    for (let i = from; i < from + count; i++) {
      pool.set(idN(i), tx(`a${i}`));
      ids.push(idN(i));
    }
    return ids;
  };
  return { clock, pool, unnoted, announcer, add };
}

describe('announcer', () => {
  it('gathers ids and sends them in one ia when the timer fires, then the wanted bodies in one tb', async () => {
    const { clock, announcer, add, pool, unnoted } = setup();
    const a = target('10.0.0.1:6000', { ia: async () => ({ want: [0, 2] }) });
    const ids = add(3);
    for (const id of ids) announcer.announce(a.n, id);
    await clock.advance(99);
    assert.equal(a.sent.length, 0, 'nothing before the gap');
    await clock.advance(1);
    assert.deepEqual(
      a.sent.map((s) => s.op),
      ['ia', 'tb'],
    );
    assert.deepEqual(a.sent[0]?.payload, { ids });
    assert.deepEqual(a.sent[1]?.payload, { txs: [pool.get(ids[0] as string), pool.get(ids[2] as string)] }, 'the wanted places, in order');
    assert.deepEqual(unnoted, [], 'the one not wanted is had by the neighbour: it stays noted');
    assert.equal(announcer.queued(a.n.address), 0);
    await clock.advance(10_000);
    assert.equal(a.sent.length, 2, 'nothing more: no body is pushed unasked, no reply per copy');
  });

  it('waits exponential gaps drawn from its random source (a Poisson process of mean meanMs)', async () => {
    const draws = [0.5, 0.9, 0.1];
    const { clock, announcer, add } = setup({ random: () => draws.shift() as number, meanMs: 200 });
    const a = target('10.0.0.1:6000');
    const at0 = clock.now;
    const ids = add(3);
    announcer.announce(a.n, ids[0] as string);
    await clock.advance(1000);
    announcer.announce(a.n, ids[1] as string);
    const at1 = clock.now;
    await clock.advance(1000);
    announcer.announce(a.n, ids[2] as string);
    const at2 = clock.now;
    await clock.advance(1000);
    const gaps = a.sent.filter((s) => s.op === 'ia').map((s, i) => s.at - [at0, at1, at2][i]!);
    const expected = [0.5, 0.9, 0.1].map((u) => -Math.log(1 - u) * 200);
    assert.equal(gaps.length, 3);
    gaps.forEach((g, i) => assert.ok(Math.abs(g - (expected[i] as number)) < 1e-6, `gap ${i}: ${g} against ${expected[i]}`));
  });

  it('draws gaps whose mean is meanMs and that are memoryless', () => {
    const n = 20_000;
    const gaps = Array.from({ length: n }, () => exponentialGap(100, secureRandom));
    const mean = gaps.reduce((x, y) => x + y, 0) / n;
    assert.ok(Math.abs(mean - 100) < 5, `mean ${mean}`);
    // P(gap > t) = e^(-t/100); P(gap > 200 | gap > 100) = P(gap > 100).
    const over100 = gaps.filter((g) => g > 100).length / n;
    const over200 = gaps.filter((g) => g > 200).length / gaps.filter((g) => g > 100).length;
    assert.ok(Math.abs(over100 - Math.exp(-1)) < 0.02, `P(>mean) ${over100}`);
    assert.ok(Math.abs(over200 - Math.exp(-1)) < 0.03, `P(>2 mean | >mean) ${over200}`);
    assert.ok(
      gaps.every((g) => g >= 0 && Number.isFinite(g)),
      'every gap is a finite delay',
    );
    assert.equal(exponentialGap(0, secureRandom), 0, 'a mean of 0 flushes at once');
  });

  it('sends at most 1000 ids an ia; a full batch left goes as soon as the exchange ends, the rest waits for the timer', async () => {
    const { clock, announcer, add } = setup();
    const a = target('10.0.0.1:6000');
    for (const id of add(2500)) announcer.announce(a.n, id);
    await clock.advance(100);
    const ias = a.sent.filter((s) => s.op === 'ia');
    assert.deepEqual(
      ias.map((s) => s.payload.ids.length),
      [MAX_IDS, MAX_IDS],
      'two full batches in one go',
    );
    assert.ok(
      ias.every((s) => s.at === ias[0]?.at),
      'the second did not wait for the timer',
    );
    assert.equal(announcer.queued(a.n.address), 500);
    await clock.advance(100);
    assert.deepEqual(
      a.sent.filter((s) => s.op === 'ia').map((s) => s.payload.ids.length),
      [MAX_IDS, MAX_IDS, 500],
    );
    const all = a.sent.filter((s) => s.op === 'ia').flatMap((s) => s.payload.ids);
    assert.equal(new Set(all).size, 2500, 'each id once, none lost');
  });

  it('fits an ia and a tb into a small frame', async () => {
    const { clock, announcer, add } = setup({ maxFrame: 2048 });
    const a = target('10.0.0.1:6000');
    for (const id of add(40)) announcer.announce(a.n, id);
    await clock.advance(1000);
    for (const s of a.sent) assert.ok(Buffer.byteLength(JSON.stringify(s.payload)) + 2 <= 2048, `${s.op} fits`);
    assert.equal(
      a.sent.filter((s) => s.op === 'ia').reduce((k, s) => k + s.payload.ids.length, 0),
      40,
    );
  });

  it('unnotes what a failure lost: every id of a failed ia, the wanted ones of a failed tb, those a tb refused (not duplicates)', async () => {
    const { clock, announcer, add, unnoted } = setup();
    const failIa = target('10.0.0.1:6000', { ia: () => Promise.reject(new Error('timeout')) });
    const failTb = target('10.0.0.2:6000', { ia: async () => ({ want: [1] }), tb: () => Promise.reject(new Error('closed')) });
    const refuse = target('10.0.0.3:6000', {
      tb: async () => ({
        accepted: 0,
        rejected: [
          { index: 0, reason: 'pool-full' },
          { index: 1, reason: 'duplicate' },
          { index: 9, reason: 'stale' }, // no such place: ignored
        ],
      }),
    });
    const ids = add(2);
    for (const t of [failIa, failTb, refuse]) for (const id of ids) announcer.announce(t.n, id);
    await clock.advance(100);
    assert.deepEqual(
      unnoted.sort(),
      [`10.0.0.1:6000 ${ids[0]}`, `10.0.0.1:6000 ${ids[1]}`, `10.0.0.2:6000 ${ids[1]}`, `10.0.0.3:6000 ${ids[0]}`].sort(),
    );
  });

  it('announces nothing that left the pool, and unnotes a wanted body gone meanwhile', async () => {
    const { clock, announcer, add, pool, unnoted } = setup();
    const ids = add(3);
    const a = target('10.0.0.1:6000', {
      ia: async () => {
        pool.delete(ids[2] as string); // mined while the ia was on its way
        return { want: [0, 1] };
      },
    });
    for (const id of ids) announcer.announce(a.n, id);
    pool.delete(ids[1] as string);
    await clock.advance(100);
    assert.deepEqual(a.sent[0]?.payload.ids, [ids[0], ids[2]]);
    assert.deepEqual(a.sent[1]?.payload.txs.length, 1);
    assert.deepEqual(unnoted, [`10.0.0.1:6000 ${ids[2]}`]);
  });

  it('drops an id the neighbour came to know while it waited; still announces it to the others, and each id once', async () => {
    const { clock, announcer, add, unnoted } = setup();
    const b = target('10.0.0.2:6000');
    const c = target('10.0.0.3:6000');
    const ids = add(3);
    for (const t of [b, c]) for (const id of ids) announcer.announce(t.n, id);
    announcer.announce(b.n, ids[0] as string); // queued again: still once
    announcer.known(b.n.address, ids[1] as string); // b announced it to this peer meanwhile
    announcer.known('10.0.0.9:6000', ids[2] as string); // nothing waits for that one
    assert.equal(announcer.queued(b.n.address), 2);
    await clock.advance(100);
    assert.deepEqual(b.sent[0]?.payload, { ids: [ids[0], ids[2]] }, 'not back to the neighbour that announced it');
    assert.deepEqual(c.sent[0]?.payload, { ids }, 'the others still hear of it');
    assert.deepEqual(unnoted, [], 'a dropped id stays known to the neighbour');

    announcer.announce(b.n, ids[0] as string);
    announcer.known(b.n.address, ids[0] as string); // the only one waiting
    await clock.advance(1000);
    assert.equal(b.sent.filter((s) => s.op === 'ia').length, 1, 'an empty batch sends nothing');
    assert.equal(announcer.queued(b.n.address), 0);
  });

  it('counts an id as pending while it waits and while it is announced, until the neighbour has it', async () => {
    const { clock, announcer, add } = setup();
    let answerIa: (want: number[]) => void = () => undefined;
    let answerTb: () => void = () => undefined;
    const b = target('10.0.0.2:6000', {
      ia: () => new Promise((resolve) => (answerIa = (want) => resolve({ want }))),
      tb: (p) => new Promise((resolve) => (answerTb = () => resolve({ accepted: p.txs.length, rejected: [] }))),
    });
    const [x, y] = add(2) as [string, string];
    const pending = () => [x, y].map((id) => announcer.pending(b.n.address, id));
    assert.deepEqual(pending(), [false, false], 'nothing queued');
    announcer.announce(b.n, x);
    announcer.announce(b.n, y);
    assert.deepEqual(pending(), [true, true], 'waiting for the flush');
    assert.equal(announcer.pending('10.0.0.3:6000', x), false, 'only for that neighbour');
    await clock.advance(100);
    assert.deepEqual(pending(), [true, true], 'ia sent, not answered');
    answerIa([1]);
    await clock.advance(0);
    assert.deepEqual(pending(), [false, true], 'x was not wanted: b has it; y is on its way in tb');
    answerTb();
    await clock.advance(0);
    assert.deepEqual(pending(), [false, false], 'b took y');
  });

  it('runs one exchange at a time per neighbour: a turn that comes during one is taken right after it', async () => {
    const { clock, announcer, add } = setup();
    let release: () => void = () => undefined;
    const slow = target('10.0.0.1:6000', {
      ia: (p) => new Promise((resolve) => (release = () => resolve({ want: p.ids.map((_: string, i: number) => i) }))),
    });
    const ids = add(2);
    announcer.announce(slow.n, ids[0] as string);
    await clock.advance(100);
    announcer.announce(slow.n, ids[1] as string);
    await clock.advance(500);
    assert.deepEqual(
      slow.sent.map((s) => s.op),
      ['ia'],
      'the second waits for the first',
    );
    release();
    await clock.advance(0);
    assert.deepEqual(
      slow.sent.map((s) => s.op),
      ['ia', 'tb', 'ia'],
    );
  });

  it('gives each configured neighbour a timer of its own; learned neighbours share one', async () => {
    let k = 0;
    const draws = [0.1, 0.9, 0.5, 0.5];
    const { clock, announcer, add } = setup({ random: () => draws[k++ % draws.length] as number });
    const c1 = target('10.0.0.1:6000');
    const c2 = target('10.0.0.2:6000');
    const l1 = target('10.0.0.3:6000', {}, false);
    const l2 = target('10.0.0.4:6000', {}, false);
    const [id] = add(1);
    for (const t of [c1, c2, l1, l2]) announcer.announce(t.n, id as string);
    await clock.advance(1000);
    const at = (t: { sent: { at: number }[] }) => t.sent[0]?.at;
    assert.notEqual(at(c1), at(c2), 'independent draws');
    assert.equal(at(l1), at(l2), 'one draw for both');
  });

  it('drops what waits for a connection that went away; bounds each queue', async () => {
    const { clock, announcer, add, unnoted } = setup();
    const a = target('10.0.0.1:6000');
    const ids = add(2);
    for (const id of ids) announcer.announce(a.n, id);
    a.n.state = 'backoff';
    await clock.advance(100);
    assert.equal(a.sent.length, 0);
    assert.equal(unnoted.length, 2);
    assert.equal(announcer.queued(a.n.address), 0);

    const b = target('10.0.0.2:6000');
    for (const id of add(QUEUE_LIMIT + 1, 10)) announcer.announce(b.n, id);
    assert.equal(announcer.queued(b.n.address), QUEUE_LIMIT + 1 - MAX_IDS, 'the oldest batch gave way');
    assert.equal(unnoted.length, 2 + MAX_IDS, 'and was unnoted, so the heartbeat can bring it');
    announcer.close();
    assert.equal(clock.pending, 0, 'close clears the timers');
  });
});
