import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventHeap, type QueuedEvent } from '../src/heap';

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
            const e: QueuedEvent = { time: s / 4, seq: seq++, run: null, arg: undefined };
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
});
