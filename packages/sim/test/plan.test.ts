import assert from 'node:assert/strict';
import { gridPoints, makePlan, parseSeeds, parseSweep, planTasks } from '../src/plan';
import { parseShard, shardFromEnv, shardTasks } from '../src/shard';
import { planOf } from '../src/run';
import { flagDefaults } from '../src/config';
import { scenarioOf } from '../src/scenarios/registry';

describe('plans: seeds, sweeps and shards', () => {
  it('seeds: a count, a range or a list', () => {
    assert.deepEqual(parseSeeds('3'), ['1', '2', '3']);
    assert.deepEqual(parseSeeds('5..8'), ['5', '6', '7', '8']);
    assert.deepEqual(parseSeeds('3,7, 11'), ['3', '7', '11']);
    assert.throws(() => parseSeeds('9..5'), /runs backwards/);
    assert.throws(() => parseSeeds('1,1'), /names a seed twice/);
    assert.throws(() => parseSeeds('0'), /give a count/);
  });

  it('a sweep: start:end:step without rounding errors, a list, durations with their units', () => {
    assert.deepEqual(parseSweep('alpha=0.1:0.45:0.05').values, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]);
    assert.deepEqual(parseSweep('gamma=0,0.5,1').values, [0, 0.5, 1]);
    assert.deepEqual(parseSweep('--interval=1s:3s:1s').values, [1000, 2000, 3000]);
    assert.deepEqual(parseSweep('interval=10m,150s').values, [600_000, 150_000]);
    assert.deepEqual(parseSweep('honest=10:4:3').values, [10, 7, 4]);
    assert.throws(() => parseSweep('interval=1:3:1'), /--interval "1" needs a unit/);
    assert.throws(() => parseSweep('gamma=0.5:1.5:0.5'), /--gamma must be a number from 0 to 1, got "1.5"/);
    assert.throws(() => parseSweep('latency=1,2'), /--latency is not a number and cannot be swept/);
    assert.throws(() => parseSweep('alpha'), /expected FLAG=START:END:STEP/);
    assert.throws(() => parseSweep('alpha=0.1:0.2'), /start:end:step/);
  });

  it('several sweeps make a grid, the first outermost; tasks go point-major, seed-minor', () => {
    const sweep = [parseSweep('alpha=0.1,0.2'), parseSweep('gamma=0,0.5,1')];
    assert.deepEqual(gridPoints(sweep), [
      { alpha: 0.1, gamma: 0 },
      { alpha: 0.1, gamma: 0.5 },
      { alpha: 0.1, gamma: 1 },
      { alpha: 0.2, gamma: 0 },
      { alpha: 0.2, gamma: 0.5 },
      { alpha: 0.2, gamma: 1 },
    ]);
    const tasks = planTasks(makePlan('selfish', {}, ['1', '2'], sweep, true));
    assert.equal(tasks.length, 12);
    assert.deepEqual(
      tasks.slice(0, 3).map((t) => [t.index, t.point, t.seed, t.values.gamma]),
      [
        [0, 0, '1', 0],
        [1, 0, '2', 0],
        [2, 1, '1', 0.5],
      ],
    );
  });

  it('refuses, before running, a setting the scenario does not take, naming it and what it takes', () => {
    assert.throws(
      () => planOf({ scenario: 'selfish', flags: { alpha: 0.3, peers: 20 } }),
      /^RangeError: --peers is not a setting of selfish \(the honest miners are --honest, the pool one more peer\); selfish takes --alpha, --gamma, --blocks, --honest, --interval$/,
    );
    assert.throws(
      () => planOf({ scenario: 'propagation', flags: { alpha: 0.3 } }),
      /--alpha is not a setting of propagation; propagation takes --peers/,
    );
    assert.throws(
      () => planOf({ scenario: 'doublespend', flags: { q: 0.1, z: 1, latency: 'constant:10' } }),
      /--latency is not a setting of doublespend/,
    );
    assert.throws(() => planOf({ scenario: 'selfish', flags: {}, sweep: ['q=0.1,0.2'] }), /--q is not a setting of selfish/);
    assert.throws(
      () => planOf({ scenario: 'selfish', flags: { alpha: 0.3 }, sweep: ['alpha=0.1,0.2'] }),
      /--alpha is both given and swept/,
    );
    assert.throws(() => planOf({ scenario: 'selfish', flags: {}, sweep: ['alpha=0.1', 'alpha=0.2'] }), /--alpha is swept twice/);
    assert.throws(() => planOf({ scenario: 'selfish', flags: {} }), /selfish needs --alpha/);
    assert.throws(() => planOf({ scenario: 'selfish', flags: { alpha: 0.3 }, seed: '2', seeds: '4' }), /give one of --seed and --seeds/);
    assert.throws(
      () => planOf({ scenario: 'selfish', flags: { alpha: 0.3 }, sweepInterval: true }),
      /--sweep-interval is a setting of propagation/,
    );
    // A point out of the scenario's own range is refused too: the pool may have at most half the hash power.
    assert.throws(
      () => planOf({ scenario: 'selfish', flags: {}, sweep: ['alpha=0.4:0.6:0.1'] }),
      /alpha must be a number from 0 to 0.5, got 0.6/,
    );
    // Sweeping the required flag satisfies it; --sweep-interval is --sweep interval by another name.
    assert.equal(planOf({ scenario: 'selfish', flags: {}, sweep: ['alpha=0.2,0.3'] }).multi, true);
    assert.deepEqual(planOf({ scenario: 'propagation', flags: {}, sweepInterval: [10_000, 1000] }).sweep, [
      { flag: 'interval', values: [10_000, 1000] },
    ]);
    assert.equal(planOf({ scenario: 'propagation', flags: {} }).multi, false);
  });

  it('knows each scenario’s defaults for --help', () => {
    assert.deepEqual(flagDefaults(scenarioOf('selfish')), {
      alpha: 'required',
      gamma: '0',
      blocks: '10000',
      honest: '10',
      interval: '10m',
    });
    assert.equal(flagDefaults(scenarioOf('partition'))['heal-at'], '40m');
    assert.equal(flagDefaults(scenarioOf('eclipse')).peers, '20');
  });

  it('shards: I/N from the flag or the scheduler, every task in exactly one shard', () => {
    assert.deepEqual(parseShard('3/8'), { index: 3, count: 8 });
    assert.throws(() => parseShard('0/4'), /shard 0 of 4 does not exist \(shards count from 1 to 4\)/);
    assert.throws(() => parseShard('5/4'), /does not exist/);
    assert.throws(() => parseShard('2'), /expected I\/N/);
    assert.deepEqual(shardFromEnv(4, { JOB_COMPLETION_INDEX: '0' }), { index: 1, count: 4 });
    assert.deepEqual(shardFromEnv(4, { JOB_COMPLETION_INDEX: '3' }), { index: 4, count: 4 });
    assert.throws(
      () => shardFromEnv(4, { JOB_COMPLETION_INDEX: '4' }),
      /JOB_COMPLETION_INDEX=4 with --shard-count 4: shard 5 of 4 does not exist/,
    );
    assert.deepEqual(shardFromEnv(4, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1' }), { index: 1, count: 4 });
    assert.deepEqual(shardFromEnv(4, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' }), {
      index: 4,
      count: 4,
    });
    assert.equal(shardFromEnv(4, {}), null);
    const tasks = Array.from({ length: 23 }, (_, index) => ({ index }));
    const shards = [1, 2, 3, 4, 5].map((i) => shardTasks(tasks, { index: i, count: 5 }).map((t) => t.index));
    assert.deepEqual(
      shards.flat().sort((a, b) => a - b),
      tasks.map((t) => t.index),
    );
    assert.ok(
      shards.every((s) => s.length === 4 || s.length === 5),
      'shares differ by one task at most',
    );
  });
});
