import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventHeap, type QueuedEvent } from '../src/heap';
import { Scheduler } from '../src/scheduler';

describe('EventHeap', () => {
  it('pops events in order of (time, seq) whatever the pushes and pops between them', () => {
    // A push is a time (few distinct ones, so that ties are common); null is a pop.
    const step = fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3, nil: null });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 3000 }), (steps) => {
        const heap = new EventHeap();
        const model: QueuedEvent[] = [];
        let seq = 0;
        const check = (): void => {
          model.sort((a, b) => a.time - b.time || a.seq - b.seq);
          assert.equal(heap.pop(), model.shift());
          assert.equal(heap.size, model.length);
        };
        for (const s of steps) {
          if (s === null) check();
          else {
            const e: QueuedEvent = { time: s / 4, seq: seq++, run: null, arg: undefined, lane: null };
            heap.push(e);
            model.push(e);
          }
          assert.equal(heap.size, model.length);
        }
        while (model.length > 0) check();
        assert.equal(heap.pop(), undefined);
        assert.equal(heap.peek(), undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('runs events of lanes (Scheduler.later) when the heap alone would, cancelled ones never', async () => {
    // Each event schedules the next of its chain with a delay from a few shared ones (lanes), a
    // fraction of a ms (the heap), or one past the lanes' limit; some cancel an earlier event.
    const op = fc.record({
      delay: fc.constantFrom(1, 2, 5, 0.5, 3.25, 40, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31),
      cancel: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 8 }), async (ops, chains) => {
        const fired = async (lanes: boolean): Promise<string[]> => {
          const s = new Scheduler(0);
          const log: string[] = [];
          const live: ReturnType<Scheduler['after']>[] = [];
          let i = 0;
          const step = (chain: number) => (): void => {
            log.push(`${chain}@${s.time}`);
            const o = ops[i++ % ops.length] as { delay: number; cancel: boolean };
            if (o.cancel && live.length > 0) s.cancel(live.splice(i % live.length, 1)[0] as QueuedEvent);
            if (i < ops.length * 2) live.push(lanes ? s.later(o.delay, step(chain)) : s.after(o.delay, step(chain)));
          };
          for (let c = 0; c < chains; c++)
            live.push(lanes ? s.later(ops[c % ops.length]!.delay, step(c)) : s.after(ops[c % ops.length]!.delay, step(c)));
          assert.equal(s.pending, live.length, 'every event scheduled is pending before the run');
          await s.run();
          assert.equal(s.pending, 0);
          return log;
        };
        assert.deepEqual(await fired(true), await fired(false));
      }),
      { numRuns: 100 },
    );
  });
});
