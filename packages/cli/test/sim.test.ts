import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '@chain/testkit';
import { procs } from './helpers';

const SMALL = ['--peers', '12', '--topology', 'regular:4', '--latency', 'constant:40', '--blocks', '6', '--interval', '10s'];

describe('chain-peer sim', function () {
  this.timeout(60_000);

  it('propagation: a table ending with the trace hash; --json gives the same run as JSON', async () => {
    const text = await procs.run(['sim', 'propagation', ...SMALL]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /time for a block to reach/);
    assert.match(text.out, /90 % of peers/);
    const hash = /trace ([0-9a-f]{64}) \(seed 1\)/.exec(text.out)?.[1];
    assert.ok(hash, text.out);
    const json = await procs.run(['sim', 'propagation', ...SMALL, '--json']);
    assert.equal(json.code, 0, json.err);
    const r = JSON.parse(json.out);
    assert.equal(r.scenario, 'propagation');
    assert.equal(r.traceHash, hash, 'the same command and seed, the same trace');
    for (const k of ['seed', 'peers', 'blocks', 'wallMs', 'intervalMs', 'staleRate']) assert.ok(k in r, k);
    assert.deepEqual(Object.keys(r.propagationMs), ['p50', 'p90', 'p99']);
  });

  it('another seed, another trace; --plot writes an SVG chart', async () => {
    const dir = tmpDir('sim-');
    const file = join(dir, 'p.svg');
    const r = await procs.run(['sim', 'propagation', ...SMALL, '--seed', '2', '--json', '--plot', file]);
    assert.equal(r.code, 0, r.err);
    const first = JSON.parse((await procs.run(['sim', 'propagation', ...SMALL, '--json'])).out);
    assert.notEqual(JSON.parse(r.out).traceHash, first.traceHash);
    assert.match(readFileSync(file, 'utf8'), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  });

  it('usage errors name what is wrong and exit 2', async () => {
    const unknown = await procs.run(['sim', 'nosuch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown scenario "nosuch"; choose one of propagation, selfish, doublespend, partition, eclipse/);
    const alpha = await procs.run(['sim', 'selfish']);
    assert.equal(alpha.code, 2);
    assert.match(alpha.err, /selfish needs --alpha/);
    const interval = await procs.run(['sim', 'propagation', '--interval', 'soon']);
    assert.equal(interval.code, 2);
    assert.match(interval.err, /--interval "soon" is not a duration/);
    const help = await procs.run(['sim', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /doublespend/);
  });
});
