import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@chain/net';
import { freePort, tmpDir, until } from '@chain/testkit';
import { mineAt, procs, type CliProcess } from './helpers';

/** The `pb` listing of one peer, from its prompt. */
async function pb(p: CliProcess): Promise<string> {
  const from = p.mark();
  p.send('pb');
  const m = await p.waitFor(/^height \d+, tip [0-9a-f]{64}$/m, { from });
  return p.stdout.slice(from, from + m.index + m[0].length);
}

describe('the original three-peer walkthrough', function () {
  this.timeout(40_000);

  it('A, B and C from original config files: five transactions at A, the same new block at all three, cc stops a peer', async () => {
    const dir = tmpDir();
    const [pa, pb2, pc] = await Promise.all([freePort(), freePort(), freePort()]);
    // The original format, with and without a trailing newline.
    writeFileSync(join(dir, 'configA.txt'), `2\nB ${pb2}\nC ${pc}\n`);
    writeFileSync(join(dir, 'configB.txt'), `2\nA ${pa}\nC ${pc}`);
    writeFileSync(join(dir, 'configC.txt'), `2\nA ${pa}\nB ${pb2}\n`);
    // Blocks come from the test's own miner (gp/up at A), so that the block is deterministic.
    const a = procs.start(['A', String(pa), 'configA.txt', '--no-mine'], { cwd: dir });
    const b = procs.start(['B', String(pb2), 'configB.txt', '--no-mine'], { cwd: dir });
    const c = procs.start(['C', String(pc), 'configC.txt', '--no-mine'], { cwd: dir });
    for (const [p, port] of [
      [a, pa],
      [b, pb2],
      [c, pc],
    ] as const) {
      assert.equal(await p.listening(), port);
      assert.match(p.stdout, /network comp3221/);
    }
    // Every peer is connected to both others.
    for (const p of [a, b, c]) await p.waitFor(/neighbour .* is connected[\s\S]*neighbour .* is connected/, { stream: 'stderr' });

    const contents = ['hello', 'from A', 'third one', 'number four', 'and five'];
    for (const content of contents) await a.command(`tx abcd1234 ${content}`, /^Accepted [0-9a-f]{64}$/m);
    // Gossip brings the five transactions to B and C (ask again until the last one has arrived).
    const poolLine = async (p: CliProcess) => (await p.command('pool', /^pool: .*$/m))[0];
    for (const p of [b, c]) await until(async () => (await poolLine(p)) === 'pool: 5 transactions waiting', 'five transactions gossiped');

    const block = await mineAt(pa);
    assert.equal(block.index, 2);
    await until(async () => (await request('127.0.0.1', pc, 'pb', { from: 2, limit: 1 })).height === 2, 'block 2 at C');
    await until(async () => (await request('127.0.0.1', pb2, 'pb', { from: 2, limit: 1 })).height === 2, 'block 2 at B');

    const listings = await Promise.all([a, b, c].map(pb));
    for (const listing of listings) {
      assert.match(listing, new RegExp(`Block 2 [\\s\\S]*hash +${block.hash}`));
      for (const content of contents) assert.ok(listing.includes(JSON.stringify(content)), `${content} in\n${listing}`);
      assert.match(listing, new RegExp(`height 2, tip ${block.hash}`));
    }
    assert.equal(listings[1], listings[0]);
    assert.equal(listings[2], listings[0]);

    // cc stops B cleanly; A and C keep running.
    b.send('cc');
    assert.equal(await b.exited, 0);
    assert.match(b.stdout, /Stopped/);
    assert.ok(a.running && c.running);
    assert.ok(existsSync(join(dir, 'chain-data', String(pa))), 'data in ./chain-data/<port>');
  });
});
