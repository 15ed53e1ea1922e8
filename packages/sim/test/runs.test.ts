import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { planOf } from '../src/run';
import { render, runPlan } from '../src/experiment';
import { mergeRecords, shardRecords } from '../src/records';
import type { RunRecord } from '../src/task';

/** Everything but the real time a run took, which is the one thing that differs between equal runs. */
const withoutWallTime = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'wallMs' ? undefined : v));

/** Every output of a set of records, wall times left out of the JSON. */
function outputs(plan: ReturnType<typeof planOf>, records: readonly RunRecord[]) {
  const r = render(plan, records);
  return { json: withoutWallTime(r.json()), table: r.table(), csv: r.csv(), jsonl: r.jsonl(), svg: r.svg(), events: r.events() };
}

/** The values of a JSON Lines text. */
const jsonLines = (text: string): any[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));

// Small selfish runs: 3 honest miners, 60 blocks a minute apart; two points, three seeds.
const PLAN = () =>
  planOf({ scenario: 'selfish', flags: { blocks: 60, honest: 3, interval: 60_000 }, sweep: ['alpha=0.25,0.4'], seeds: '3' });

describe('many runs: seeds, sweeps, jobs and shards', function () {
  this.timeout(120_000);
  let plan: ReturnType<typeof planOf>;
  let serial: RunRecord[];

  before(async () => {
    plan = PLAN();
    serial = await runPlan(plan, { jobs: 1, events: true });
  });

  it('gives the same records in worker threads (--jobs 2) as one after another (--jobs 1), trace hashes included', async () => {
    const parallel = await runPlan(plan, { jobs: 2, events: true });
    assert.equal(withoutWallTime(parallel), withoutWallTime(serial));
    assert.deepEqual(outputs(plan, parallel), outputs(plan, serial));
    const hashes = serial.map((r) => r.result.traceHash);
    assert.equal(new Set(hashes).size, hashes.length, 'each seed and point its own trace');
    assert.deepEqual(
      serial.map((r) => [r.task, r.point, r.seed]),
      [0, 1, 2, 3, 4, 5].map((i) => [i, Math.floor(i / 3), String((i % 3) + 1)]),
    );
  });

  it('merged shards give what one unsharded run gives: table, CSV, JSON Lines, JSON, chart and block records', async () => {
    const texts: { name: string; text: string }[] = [];
    for (const index of [1, 2, 3]) {
      const shard = { index, count: 3 };
      const records = await runPlan(plan, { jobs: index === 2 ? 2 : 1, shard, events: true });
      assert.equal(records.length, 2);
      texts.push({ name: `shard-${index}.jsonl`, text: shardRecords(plan, shard, records) });
    }
    const merged = mergeRecords([texts[2]!, texts[0]!, texts[1]!]);
    assert.deepEqual(merged.plan, plan);
    assert.deepEqual(outputs(merged.plan, merged.records), outputs(plan, serial));
    // Several shards in one file (GNU parallel's output, or cat) merge the same.
    const one = { name: 'all.jsonl', text: texts.map((t) => t.text).join('') };
    assert.deepEqual(outputs(plan, mergeRecords([one]).records), outputs(plan, serial));
    assert.throws(() => mergeRecords([texts[0]!, texts[1]!]), /shard 3\/3 missing/);
    assert.throws(() => mergeRecords([texts[0]!, texts[0]!, texts[1]!]), /shard-1.jsonl and shard-1.jsonl are both shard 1\/3/);
    const other = shardRecords({ ...plan, seeds: ['7', '8', '9'] }, { index: 3, count: 3 }, []);
    assert.throws(
      () => mergeRecords([texts[0]!, texts[1]!, { name: 'other.jsonl', text: other }]),
      /other.jsonl is a shard of another run/,
    );
    const cut = texts[0]!.text.split('\n').slice(0, 2).join('\n');
    assert.throws(() => mergeRecords([{ name: 'cut.jsonl', text: cut }]), /cut.jsonl holds 1 of the 2 runs of its shard: it was cut short/);
  });

  it('every result carries the version and every setting with its defaults', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = serial[0]!.result as Record<string, any>;
    assert.equal(result.simVersion, version);
    const c = result.config;
    assert.deepEqual(
      [c.scenario, c.seed, c.alpha, c.gamma, c.blocks, c.honest, c.intervalMs, c.honestLatencyMs, c.poolLatencyMs],
      ['selfish', '1', 0.25, 0, 60, 3, 60_000, 100, 1],
    );
    assert.equal(c.world.peers, 4);
    assert.equal(c.world.topology, 'mesh');
    assert.equal(c.world.latency, 'constant:100');
    assert.equal(c.world.latencyOverridden, true);
    assert.equal(c.world.loss, 0);
    assert.equal(c.world.bandwidthBps, 'unlimited');
    assert.equal(c.world.network.maxTxPerBlock, 10);
    assert.equal(c.world.network.pow, 'bound');
    assert.equal(c.world.peer.heartbeatMs, 60_000);
    assert.equal(typeof c.world.peer.maxNeighbours, 'number');
  });

  it('writes one row a point as CSV and JSON Lines, and each found block as a JSON line', () => {
    const r = render(plan, serial);
    const [header, ...rows] = r.csv().trimEnd().split('\n');
    const columns = header!.split(',');
    assert.deepEqual(columns.slice(0, 6), ['alpha', 'seeds', 'revenueShare', 'revenueShare_se', 'revenueShare_low', 'revenueShare_high']);
    assert.equal(rows.length, 2);
    const doc = r.document();
    rows.forEach((line, i) => {
      const cells = line.split(',');
      assert.equal(Number(cells[0]), doc.points[i]!.values.alpha);
      assert.equal(Number(cells[2]), doc.points[i]!.figures[0]!.estimate.mean);
      assert.equal(cells[columns.indexOf('traceHash')], doc.points[i]!.traceHash);
    });
    const lines = jsonLines(r.jsonl());
    assert.deepEqual(
      lines.map((l) => l.values.alpha),
      [0.25, 0.4],
    );
    const share = lines[1].figures.revenueShare;
    assert.ok(share.low <= share.mean && share.mean <= share.high && share.n === 3, JSON.stringify(share));
    assert.ok(['above', 'below', 'inside'].includes(share.references.alpha.comparison));
    const events = jsonLines(r.events());
    assert.equal(
      events.length,
      serial.reduce((n, x) => n + (x.events?.length ?? 0), 0),
    );
    assert.ok(events.length >= 6 * 50, `${events.length} blocks`);
    for (const k of ['seed', 'point', 'height', 'hash', 'finder', 'foundMs', 'reach100Ms', 'lastMs', 'stale']) assert.ok(k in events[0], k);
    assert.ok(events.some((e) => e.stale) && events.some((e) => !e.stale), 'a selfish pool orphans some blocks');
    // The pool's withheld blocks reach the others late or never; every block it published reached them.
    assert.ok(events.every((e) => e.reached <= e.peers && (e.reach100Ms === null || e.reach100Ms <= e.lastMs)));
  });

  it('the table says what the interval allows one to conclude', () => {
    const text = render(plan, serial).table();
    assert.match(text, /^selfish: 3 seeds \(1, 2, 3\) at each of 2 points \(alpha 0.25, 0.4\); --blocks 60 --honest 3 --interval 1m/);
    assert.match(
      text,
      /alpha 0.25: pool’s share of the main chain: (the pool loses against honest mining|too wide to conclude whether the pool gains over honest mining: the interval straddles α)/,
    );
    assert.match(text, /Student's t over the seeds/);
    assert.doesNotMatch(text, /\de-\d/, 'no number in exponent notation');
  });
});
