import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@chain/net';
import { killAll, mineAt, until, within } from '@chain/testkit';
import { CLASSIC, assertServed, chainOf, classicTx, snapshot, startCli, scratchNetwork } from '../lib/harness';

/** Every file of `dir` with its bytes. */
function contents(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name))]),
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('one data directory, one process', function () {
  afterEach(killAll);

  it('a second chain-peer on a directory in use exits 3 naming it and the holder, touching nothing; after the holder is SIGKILLed the next start takes the stale lock over and has every acknowledged block', async function () {
    this.timeout(120_000);
    const { dir, net } = scratchNetwork(CLASSIC);
    const data = join(dir, 'data');
    const flags = ['--port', '0', '--data', data, '--network', net, '--no-mine', '--no-prompt', '--heartbeat', '200'];

    const first = startCli(flags);
    const port = await first.listening();
    const ackedBlocks: string[] = [];
    const ackedTx: string[] = [];
    for (let i = 0; i < 3; i++) {
      assert.equal((await request('127.0.0.1', port, 'tx', classicTx(`mined ${i}`))).status, 'Accepted');
      await until(async () => (await request('127.0.0.1', port, 'gp')).templateHash !== null, 'template');
      ackedBlocks.push((await mineAt(port)).currentHash);
    }
    for (let i = 0; i < 2; i++) {
      const r = await request('127.0.0.1', port, 'tx', classicTx(`waiting ${i}`));
      assert.equal(r.status, 'Accepted');
      if (r.status === 'Accepted') ackedTx.push(r.id);
    }
    const before = contents(data);
    assert.ok(before.has('blocks.log') && before.has('pool.log'), [...before.keys()].join(', '));

    // The second process: refused before it opens anything.
    const second = startCli(flags);
    const outcome = await within(
      Promise.race([
        second.exited.then(() => 'exited'),
        second.waitFor(/listening on/, { ms: 60_000 }).then(
          () => 'started',
          () => 'exited',
        ),
      ]),
      60_000,
      'the second process exits',
    );
    assert.equal(outcome, 'exited', `a second peer started on ${data}:\n${second.stdout}`);
    const exit = await second.exited;
    assert.equal(exit.code, 3, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(
        `^chain-peer: data directory ${escape(data)} is in use by process ${first.pid} \\(locked since [^)]+\\); stop that process first or use another directory$`,
        'm',
      ),
    );
    assert.deepEqual(contents(data), before, 'the second process changed nothing in the directory');
    assert.equal(JSON.parse(readFileSync(join(data, 'peer.lock'), 'utf8')).pid, first.pid, 'the lock file names the holder');
    assert.ok(first.running);
    await assertServed(port);

    // The holder dies without a chance to clean up: its lock stays behind.
    await first.kill('SIGKILL');
    assert.ok(existsSync(join(data, 'peer.lock')));
    const third = startCli(flags);
    const port3 = await third.listening();
    assert.match(
      third.stderr,
      new RegExp(
        `WARN\\s+taking over data directory ${escape(data)}: removed the stale lock ${escape(join(data, 'peer.lock'))} \\(process ${first.pid} no longer runs\\)`,
      ),
    );
    const onChain = new Set((await chainOf(port3)).map((b) => b.currentHash));
    for (const hash of ackedBlocks) assert.ok(onChain.has(hash), `acknowledged block ${hash} lost`);
    const { pool } = await snapshot(port3, CLASSIC);
    for (const id of ackedTx) assert.ok(pool.includes(id), `acknowledged transaction ${id} lost`);
    assert.equal(JSON.parse(readFileSync(join(data, 'peer.lock'), 'utf8')).pid, third.pid);

    // A clean stop removes the lock.
    assert.equal((await third.kill('SIGTERM')).code, 0);
    assert.equal(existsSync(join(data, 'peer.lock')), false);
  });
});
