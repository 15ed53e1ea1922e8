import assert from 'node:assert/strict';
import { Scheduler } from '../src/scheduler';

describe('Scheduler', () => {
  it('runs events in order of time, and of scheduling at equal times', async () => {
    const s = new Scheduler(1000);
    const seen: string[] = [];
    s.at(1005, () => seen.push('c'));
    s.at(1001, () => seen.push('a'));
    s.at(1005, () => seen.push('d'));
    s.at(1001, () => seen.push('b'));
    s.after(0, () => seen.push('now'));
    const r = await s.run();
    assert.deepEqual(seen, ['now', 'a', 'b', 'c', 'd']);
    assert.equal(r.events, 5);
    assert.equal(r.stopped, 'idle');
    assert.equal(s.time, 1005);
  });

  it('runs every promise job an event sets off before the clock moves', async () => {
    const s = new Scheduler(0);
    const log: string[] = [];
    const chain = async (depth: number): Promise<void> => {
      for (let i = 0; i < depth; i++) await Promise.resolve();
      // A nextTick queued from a promise job, and a promise from that tick.
      await new Promise<void>((r) => process.nextTick(r));
      await null;
      log.push(`done at ${s.now()}`);
    };
    s.at(10, () => void chain(5000));
    s.at(11, () => log.push(`next event at ${s.now()}`));
    await s.run();
    assert.deepEqual(log, ['done at 10', 'next event at 11']);
  });

  it('has timers on the virtual clock: timeouts, intervals, clearing', async () => {
    const s = new Scheduler(0);
    const fired: number[] = [];
    const t = s.timers;
    t.setTimeout(() => fired.push(s.now()), 50);
    const cancelled = t.setTimeout(() => fired.push(-1), 20);
    t.clearTimeout(cancelled);
    t.clearTimeout(undefined);
    const every = t.setInterval(() => {
      fired.push(s.now());
      if (s.now() >= 30) t.clearInterval(every);
    }, 10);
    t.setTimeout(() => fired.push(s.now()), 0); // like Node: 1 ms
    await s.run();
    assert.deepEqual(fired, [1, 10, 20, 30, 50]);
    assert.equal(s.timerCount, 0);
  });

  it('stops at a time, on a condition or after a number of events', async () => {
    const s = new Scheduler(0);
    let n = 0;
    s.timers.setInterval(() => n++, 100);
    let r = await s.run({ until: 1050 });
    assert.equal(r.stopped, 'until');
    assert.equal(n, 10);
    assert.equal(s.time, 1050);
    r = await s.run({ stopWhen: () => n >= 15 });
    assert.equal(r.stopped, 'condition');
    assert.equal(s.now(), 1500);
    r = await s.run({ maxEvents: 3 });
    assert.equal(r.stopped, 'max-events');
    assert.equal(n, 18);
  });

  it('never schedules into the past', async () => {
    const s = new Scheduler(100);
    const seen: number[] = [];
    s.at(50, () => seen.push(s.time));
    await s.run();
    assert.deepEqual(seen, [100]);
  });
});
