import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkTracker } from '../src/chunk-tracker';

describe('ChunkTracker', () => {
  it('settles on the lowest hit only once every lower chunk is done (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat(1000), { nil: undefined }), { minLength: 1, maxLength: 30 }).chain((hits) =>
          fc.tuple(
            fc.constant(hits),
            fc.shuffledSubarray(
              hits.map((_, i) => i),
              { minLength: hits.length, maxLength: hits.length },
            ),
          ),
        ),
        ([hits, order]) => {
          const tracker = new ChunkTracker(hits.length);
          const lowest = hits.findIndex((h) => h !== undefined);
          const seen = new Set<number>();
          for (const chunk of order) {
            tracker.complete(chunk, hits[chunk] === undefined ? -1 : chunk * 10_000 + hits[chunk]!);
            seen.add(chunk);
            const ready = lowest >= 0 && Array.from({ length: lowest + 1 }, (_, i) => i).every((i) => seen.has(i));
            assert.equal(tracker.result, ready ? lowest * 10_000 + hits[lowest]! : undefined);
            assert.equal(tracker.exhausted, lowest < 0 && seen.size === hits.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an empty range is exhausted at once', () => {
    assert.equal(new ChunkTracker(0).exhausted, true);
  });
});
