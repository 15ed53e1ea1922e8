import assert from 'node:assert/strict';
import fc from 'fast-check';
import { autoChunkSize } from '../src/index';

describe('autoChunkSize', () => {
  it('is an eighth of the expected attempts spread over the workers, from 1,024 to 65,536', () => {
    // 16^3 = 4,096 attempts expected: 1,024 a chunk on two workers, so both scan below the answer.
    assert.equal(autoChunkSize(3, 2), 1024);
    assert.equal(autoChunkSize(4, 2), 16_384);
    assert.equal(autoChunkSize(4, 1), 32_768);
    assert.equal(autoChunkSize(4, 8), 4096);
    assert.equal(autoChunkSize(5, 2), 65_536);
    assert.equal(autoChunkSize(0, 1), 1024);
    assert.equal(autoChunkSize(2, 2), 1024);
    assert.equal(autoChunkSize(64, 2), 65_536);
    assert.equal(autoChunkSize(4, 3), 8192);
  });

  it('is a power of two in range that never grows with the workers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 256 }), (difficulty, workers) => {
        const size = autoChunkSize(difficulty, workers);
        assert.ok(size >= 1024 && size <= 65_536, `${size}`);
        assert.equal(Math.log2(size) % 1, 0);
        assert.ok(autoChunkSize(difficulty, workers + 1) <= size);
        assert.ok(autoChunkSize(difficulty + 1, workers) >= size);
      }),
    );
  });
});
