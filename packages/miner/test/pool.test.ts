import assert from 'node:assert/strict';
import { once } from 'node:events';
import fc from 'fast-check';
import { checkProof, createWorkerPool, searchProof, type HashrateReport, type PoolSolution, type WorkerPool } from '../src/index';
import { MAX, jobArb, vectorJob, vectors } from './helpers';

describe('worker pool', function () {
  let pool: WorkerPool;
  before(async () => {
    // Small chunks so that every search is split between both workers many times.
    pool = createWorkerPool({ workers: 2, chunkSize: 37, hashrateIntervalMs: 20 });
    await pool.ready();
  });
  after(() => pool.close());

  it('finds the golden block proofs', async () => {
    for (const net of Object.values(vectors.networks)) {
      for (const b of net.blocks) {
        const job = vectorJob(net, b);
        const found = await pool.search(job).promise;
        assert.equal(found?.proof, b.block.proof);
        assert.equal(found?.hash, b.powHash);
        assert.ok(found!.attempts >= b.block.proof + 1);
      }
    }
  });

  /** `searcher` finds the smallest proof from a random start, as the sequential search does, at difficulties 1 to `maxDifficulty`. */
  const sameAsSequential = (searcher: WorkerPool, maxDifficulty: number, margin: number) =>
    fc.assert(
      fc.asyncProperty(jobArb(fc.integer({ min: 1, max: maxDifficulty })), fc.nat(MAX), async (job, s) => {
        const start = Math.min(s, MAX - margin);
        const found = await searcher.search({ ...job, start }).promise;
        assert.equal(found?.proof, searchProof(job, { start })?.proof);
      }),
      { numRuns: 25 },
    );

  it('returns the same smallest proof as the sequential search (property)', async () => {
    await sameAsSequential(pool, 3, 100_000);
  });

  it('resolves null when the range holds no proof, and stops at 2^53 − 1', async () => {
    const job = { rule: 'seed' as const, previousProof: 100, difficulty: 2 };
    assert.equal(await pool.search({ ...job, start: 6, limit: 100 }).promise, null);
    const last = await pool.search({ rule: 'bound', templateHash: '11'.repeat(32), previousProof: MAX, difficulty: 1, start: MAX - 300 })
      .promise;
    assert.equal(
      last?.proof,
      searchProof({ rule: 'bound', templateHash: '11'.repeat(32), previousProof: MAX, difficulty: 1 }, { start: MAX - 300 })?.proof,
    );
    assert.equal(await pool.search({ ...job, start: MAX, limit: 0 }).promise, null);
  });

  it('with the chunk size chosen per search, still the smallest proof of the sequential search (property)', async () => {
    const auto = createWorkerPool({ workers: 2 });
    try {
      await sameAsSequential(auto, 4, 1_000_000);
    } finally {
      await auto.close();
    }
  });

  it('a new search replaces the running one at once', async () => {
    const template = 'ab'.repeat(32);
    const slow = pool.search({ rule: 'bound', templateHash: template, previousProof: 1, difficulty: 16 });
    const fast = pool.search({ rule: 'bound', templateHash: template, previousProof: 1, difficulty: 1 });
    assert.equal(await slow.promise, null);
    const found = await fast.promise;
    assert.ok(found && checkProof({ rule: 'bound', templateHash: template, previousProof: 1, difficulty: 1 }, found.proof));
    assert.equal(found.id, fast.id);
  });

  it('drops the late results of a replaced search', async () => {
    for (let i = 0; i < 10; i++) {
      const first = { rule: 'bound' as const, templateHash: 'cd'.repeat(32), previousProof: 1000 + i, difficulty: 1 };
      const second = { rule: 'bound' as const, templateHash: 'ef'.repeat(32), previousProof: 2000 + i, difficulty: 2 };
      const a = pool.search(first);
      const b = pool.search(second);
      assert.equal(await a.promise, null);
      const found = await b.promise;
      assert.equal(found?.proof, searchProof(second)?.proof);
      assert.equal(found?.hash, searchProof(second)?.hash);
    }
  });

  it('reports hash rate while searching, and cancels on demand or by AbortSignal', async () => {
    const job = { rule: 'seed' as const, previousProof: 7, difficulty: 16 };
    const handle = pool.search(job);
    const [report] = (await once(pool, 'hashrate')) as [HashrateReport];
    assert.equal(report.id, handle.id);
    assert.ok(report.attemptsPerSecond > 0 && report.attempts > 0);
    handle.cancel();
    assert.equal(await handle.promise, null);

    const controller = new AbortController();
    const aborted = pool.search({ ...job, signal: controller.signal });
    controller.abort();
    assert.equal(await aborted.promise, null);
    // The pool is still usable afterwards.
    assert.equal((await pool.search({ ...job, difficulty: 1, start: 0 }).promise)?.proof, searchProof({ ...job, difficulty: 1 })?.proof);
  });

  it('emits found', async () => {
    const job = { rule: 'seed' as const, previousProof: 100, difficulty: 2 };
    const event = once(pool, 'found') as Promise<[PoolSolution]>;
    const handle = pool.search(job);
    const [solution] = await event;
    assert.deepEqual(solution, await handle.promise);
    assert.equal(solution.proof, 5);
  });

  it('rejects malformed jobs', () => {
    assert.throws(() => pool.search({ rule: 'bound', templateHash: 'xyz', previousProof: 1, difficulty: 1 }), /templateHash/);
    assert.throws(() => pool.search({ rule: 'seed', previousProof: -1, difficulty: 1 }), /previousProof/);
    assert.throws(() => pool.search({ rule: 'seed', previousProof: 1, difficulty: 1, start: 1.5 }), /start/);
  });

  it('close() terminates the workers; later searches throw', async () => {
    const other = createWorkerPool({ workers: 1, kernel: 'js' });
    const running = other.search({ rule: 'seed', previousProof: 3, difficulty: 16 });
    await other.close();
    assert.equal(await running.promise, null);
    assert.throws(() => other.search({ rule: 'seed', previousProof: 3, difficulty: 1 }), /closed/);
  });
});
