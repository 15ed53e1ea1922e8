import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { tmpDir } from '@chain/testkit';
import { buildProgram } from '../src/cli';
import { UsageError } from '../src/errors';
import { findBrowser } from '../src/commands/sim-png';

/** Run `chain-peer <args>` in this process: what it printed, and what it wrote on stderr when it refused. */
async function cli(args: readonly string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const program = buildProgram(
    (t) => (out += t),
    (c) => (code = c),
  );
  const all = [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)];
  for (const c of all) c.configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (e) {
    // --help ends the parse with a CommanderError of exit code 0.
    if (!(e instanceof CommanderError && e.exitCode === 0)) throw e;
  }
  return { out, err, code };
}

/** The refusal of `args`, before anything runs: a usage error's message or commander's line. */
async function refusal(args: readonly string[]): Promise<string> {
  let message = '';
  let err = '';
  const program = buildProgram(() => undefined);
  for (const c of [program, ...program.commands, ...program.commands.flatMap((x) => x.commands)])
    c.configureOutput({ writeErr: (t) => (err += t) });
  await assert.rejects(program.parseAsync([...args], { from: 'user' }), (e: unknown) => {
    message = e instanceof UsageError ? e.message : e instanceof CommanderError ? err : '';
    return e instanceof UsageError || (e instanceof CommanderError && e.exitCode !== 0);
  });
  return message;
}

/** Set environment variables for the length of `f`. */
async function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v))
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
  };
  set(vars);
  try {
    return await f();
  } finally {
    set(saved);
  }
}

const NO_SCHEDULER = { JOB_COMPLETION_INDEX: undefined, SLURM_ARRAY_TASK_ID: undefined };
// Double spending at a reduced size: 2 honest miners, 12 attempts, a block a minute.
const BASE = ['sim', 'doublespend', '--z', '1', '--trials', '12', '--honest', '2', '--interval', '1m'];
const SMALL = [...BASE, '--q', '0.3'];
const withoutWallTime = (text: string) => JSON.stringify(JSON.parse(text), (k, v) => (k === 'wallMs' ? undefined : v));

describe('chain-peer sim: strict flags, many runs, shards', function () {
  this.timeout(120_000);

  it('refuses a setting the scenario does not take, a duration without a unit, a chart it cannot write', async () => {
    assert.match(
      await refusal(['sim', 'selfish', '--alpha', '0.3', '--peers', '20']),
      /^--peers is not a setting of selfish \(the honest miners are --honest/,
    );
    assert.match(
      await refusal(['sim', 'propagation', '--alpha', '0.3']),
      /^--alpha is not a setting of propagation; propagation takes --peers/,
    );
    assert.match(
      await refusal(['sim', 'doublespend', '--q', '0.1', '--z', '1', '--loss', '0.1']),
      /--loss is not a setting of doublespend/,
    );
    assert.match(await refusal(['sim', 'propagation', '--interval', '10']), /--interval "10" needs a unit: 10ms, 10s, 10m or 10h/);
    assert.match(await refusal(['sim', 'partition', '--heartbeat', '5000']), /--heartbeat "5000" needs a unit/);
    assert.match(await refusal(['sim', 'propagation', '--sweep', 'alpha=0.1,0.2']), /--alpha is not a setting of propagation/);
    assert.match(
      await refusal(['sim', 'propagation', '--plot', 'chart.pdf']),
      /--plot chart.pdf: a chart is written as .svg or .png, not ".pdf"/,
    );
    assert.match(
      await refusal(['sim', 'propagation', '--plot', '/no/such/dir/c.svg']),
      /--plot \/no\/such\/dir\/c.svg: the directory \/no\/such\/dir does not exist/,
    );
    assert.match(
      await refusal(['sim', 'propagation', '--events', '/no/such/dir/e.jsonl']),
      /--events .*: the directory \/no\/such\/dir does not exist/,
    );
    assert.match(await refusal(['sim', 'propagation', '--seed', '2', '--seeds', '3']), /give one of --seed and --seeds/);
    assert.match(
      await refusal(['sim', 'propagation', '--json', '--format', 'csv']),
      /option '--format <format>' cannot be used with option '--json'/,
    );
    assert.match(await refusal(['sim', 'propagation', '--shard', '0/4']), /shard 0 of 4 does not exist \(shards count from 1 to 4\)/);
    assert.match(
      await refusal(['sim', 'propagation', '--shard', '1/2', '--plot', 'p.svg']),
      /--plot is for the whole run: .* give --plot to chain-peer sim merge/,
    );
    await withEnv(NO_SCHEDULER, async () =>
      assert.match(await refusal(['sim', 'propagation', '--shard-count', '4']), /neither is set: give --shard I\/N/),
    );
  });

  it('--help shows every default, per scenario', async () => {
    const { out } = await cli(['sim', '--help']);
    assert.match(
      out,
      /--interval <duration>\s+mean time between blocks \(virtual time\) \(default:\s+propagation 10m;\s+selfish 10m;\s+doublespend 10m;\s+partition 1m;\s+eclipse 1m\)/,
    );
    assert.match(out, /--peers <n>[\s\S]*?\(default:\s+propagation\s+100;\s+partition\s+60;\s+eclipse\s+20\)/);
    assert.match(out, /--jobs <n>[\s\S]*?\(default: \d+\)/);
    assert.match(out, /--format <format>[\s\S]*?default:\s+"table"/);
    assert.match(out, /merge \[options\] <files\.\.\.>/);
  });

  it('--jobs 2 prints what --jobs 1 prints; merged shards print what the unsharded run prints', async () => {
    const many = [...BASE, '--seeds', '2', '--sweep', 'q=0.2,0.3'];
    const serial = await cli([...many, '--jobs', '1', '--format', 'csv']);
    assert.equal(serial.code, 0);
    assert.equal((await cli([...many, '--jobs', '2', '--format', 'csv'])).out, serial.out);
    assert.equal(serial.out.trimEnd().split('\n').length, 3, 'a header and one line a point');
    const dir = tmpDir('sim-shards-');
    const files = [1, 2].map((i) => join(dir, `shard-${i}.jsonl`));
    // The second shard takes its index from a Kubernetes Indexed Job's environment, counted from 0.
    writeFileSync(files[0]!, (await withEnv(NO_SCHEDULER, () => cli([...many, '--jobs', '1', '--shard', '1/2']))).out);
    writeFileSync(
      files[1]!,
      (await withEnv({ ...NO_SCHEDULER, JOB_COMPLETION_INDEX: '1' }, () => cli([...many, '--jobs', '1', '--shard-count', '2']))).out,
    );
    assert.equal((await cli(['sim', 'merge', files[1]!, files[0]!, '--format', 'csv'])).out, serial.out);
    const table = await cli([...many, '--jobs', '1']);
    assert.equal((await cli(['sim', 'merge', ...files])).out, table.out);
    const json = await cli([...many, '--jobs', '2', '--json']);
    assert.equal(withoutWallTime((await cli(['sim', 'merge', ...files, '--json'])).out), withoutWallTime(json.out));
    assert.match(await refusal(['sim', 'merge', files[0]!]), /shard 2\/2 missing/);
  });

  it('--events writes a JSON line a block; a single seed prints the table it always did', async () => {
    const dir = tmpDir('sim-events-');
    const events = join(dir, 'blocks.jsonl');
    const r = await cli([...SMALL, '--events', events, '--plot', join(dir, 'c.svg')]);
    assert.match(
      r.out,
      /^double spending: attacker with q = 0.3[\s\S]*95 % interval \(Wilson\)[\s\S]*trace [0-9a-f]{64} \(seed 1\)\nblock records written to .*\nchart written to /,
    );
    const lines = readFileSync(events, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length > 12, `${lines.length} blocks`);
    for (const k of ['scenario', 'seed', 'height', 'finder', 'foundMs', 'reach100Ms', 'lastMs', 'stale']) assert.ok(k in lines[0], k);
    assert.ok(lines.every((l) => l.scenario === 'doublespend' && l.seed === '1'));
  });

  it('--plot file.png draws the chart with a headless Chromium', async function () {
    const browser = await findBrowser();
    if ('unavailable' in browser) {
      console.warn(`    PNG test skipped: ${browser.unavailable}`);
      this.skip();
    }
    const file = join(tmpDir('sim-png-'), 'c.png');
    await cli([...SMALL, '--plot', file]);
    const png = readFileSync(file);
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG signature');
    // IHDR: twice the SVG's 720 × 440.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1440, 880]);
  });
});
