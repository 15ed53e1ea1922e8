import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ManualClock,
  TestProcess,
  freePort,
  killAll,
  nextEvent,
  parseExposition,
  rawFrame,
  sampleValue,
  runToEnd,
  specVectors,
  tmpDir,
  until,
  within,
  writeNetworkFile,
  EASY_SIGNED,
} from '@chain/testkit';
import { parseNetwork } from '@chain/core';

describe('testkit', () => {
  afterEach(killAll);

  it('until resolves when the check holds and names what it waited for when it does not', async () => {
    let n = 0;
    await until(() => ++n >= 3, 'three calls');
    assert.equal(n, 3);
    await assert.rejects(
      until(() => false, 'the impossible', 50),
      /timed out after 50 ms waiting for the impossible/,
    );
  });

  it('ManualClock: timers fall due in order of time, then of setting, only when time is advanced', async () => {
    const clock = new ManualClock(1000);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.now}`), 20);
    clock.setTimeout(() => ran.push(`a@${clock.now}`), 10);
    const every = clock.setInterval(() => ran.push(`i@${clock.now}`), 15);
    const cleared = clock.setTimeout(() => ran.push('never'), 5);
    clock.clearTimeout(cleared);
    clock.setTimeout(() => {
      ran.push(`c@${clock.now}`);
      clock.setTimeout(() => ran.push(`d@${clock.now}`), 0);
    }, 20);
    assert.equal(clock.pending, 4);
    assert.deepEqual(clock.intervals(), [15]);
    await clock.advance(9);
    assert.deepEqual(ran, []);
    await clock.advance(21);
    assert.deepEqual(ran, ['a@1010', 'i@1015', 'b@1020', 'c@1020', 'd@1020', 'i@1030']);
    assert.equal(clock.now, 1030);
    clock.clearInterval(every);
    assert.equal(clock.pending, 0);
  });

  it('within passes a result through and rejects at the deadline', async () => {
    assert.equal(await within(Promise.resolve(7), 100, 'seven'), 7);
    await assert.rejects(within(new Promise(() => {}), 20, 'never'), /never: nothing within 20 ms/);
    await assert.rejects(within(Promise.reject(new Error('its own')), 100), /its own/);
    await assert.rejects(within(new Promise(() => {}), 20), /the operation: nothing within 20 ms/);
  });

  it('nextEvent gives the arguments of the next event', async () => {
    const e = new EventEmitter();
    const next = nextEvent<[number, string]>(e, 'x');
    e.emit('x', 1, 'a');
    assert.deepEqual(await next, [1, 'a']);
    await assert.rejects(nextEvent(e, 'y', 20));
  });

  it('freePort returns a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    server.close();
  });

  it('tmpDir makes a new empty directory, in a parent of choice made if missing', () => {
    const a = tmpDir();
    assert.notEqual(tmpDir(), a);
    assert.deepEqual(readdirSync(a), []);
    const parent = join(a, 'deeper', 'still');
    const b = tmpDir('mine-', parent);
    assert.equal(dirname(b), parent);
    assert.match(basename(b), /^mine-.{6}$/);
    assert.deepEqual(readdirSync(b), []);
  });

  it('network files and the vectors of the specification', () => {
    const file = writeNetworkFile(tmpDir(), EASY_SIGNED);
    assert.ok(existsSync(file));
    assert.deepEqual(parseNetwork(JSON.parse(readFileSync(file, 'utf8'))), EASY_SIGNED);
    const v = specVectors<{ networks: unknown }>();
    assert.ok(v && typeof v === 'object');
    assert.equal(specVectors(), v, 'parsed once');
  });

  it('rawFrame: length, opcode and body as given, even where a codec would refuse them', () => {
    assert.equal(rawFrame('gp').toString('hex'), '000000026770');
    assert.equal(rawFrame('tx', '{"a":"é"}').toString('hex'), `0000000c7478${Buffer.from('{"a":"é"}').toString('hex')}`);
    assert.deepEqual(rawFrame('nb', new Uint8Array([0xff, 0x00])), Buffer.from([0, 0, 0, 4, 0x6e, 0x62, 0xff, 0x00]));
    assert.equal(rawFrame('GP').subarray(4, 6).toString('latin1'), 'GP');
  });

  it('a process: output waited on by pattern, lines in, exit code out', async () => {
    const script = fileURLToPath(new URL('./echo.ts', import.meta.url));
    const p = TestProcess.source(script);
    await p.waitFor(/ready/);
    const m = await p.command('hello', /echo (\w+)/);
    assert.equal(m[1], 'hello');
    await assert.rejects(p.waitFor(/never printed/, { ms: 50 }), /timed out after 50 ms/);
    p.send('exit');
    assert.equal((await p.exited).code, 3);
    const r = await runToEnd(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(2)']);
    assert.deepEqual(r, { code: 2, out: 'out\n', err: 'err\n' });
  });

  it('killAll ends every process still running', async () => {
    const p = new TestProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    assert.ok(p.running);
    await killAll();
    assert.equal(p.running, false);
  });

  it('parseExposition reads families, types, labels and values, and names a line it cannot read', () => {
    const text = [
      '# HELP a_total Things, with a \\\\ backslash.',
      '# TYPE a_total counter',
      'a_total{peer="A",why="say \\"hi\\""} 3',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 2',
      'h_sum 5.5',
      'h_count 2',
      '',
    ].join('\n');
    const f = parseExposition(text);
    assert.equal(f.get('a_total')?.type, 'counter');
    assert.equal(f.get('a_total')?.help, 'Things, with a \\ backslash.');
    assert.deepEqual(f.get('a_total')?.samples[0]?.labels, { peer: 'A', why: 'say "hi"' });
    assert.equal(sampleValue(f, 'a_total', { peer: 'A' }), 3);
    assert.equal(sampleValue(f, 'h_bucket', { le: '+Inf' }), 2);
    assert.equal(f.get('h')?.samples.length, 3);
    assert.throws(() => sampleValue(f, 'a_total', { peer: 'B' }), /no sample a_total\{"peer":"B"\}/);
    assert.throws(() => parseExposition('# TYPE x gauge\nx{peer=A} 1'), /line 2: cannot read the labels/);
    assert.throws(() => parseExposition('y 1'), /line 1: sample y comes before any HELP or TYPE/);
    assert.throws(() => parseExposition('# TYPE x gauge\nx one'), /line 2: "one" is not a sample value/);
  });
});
