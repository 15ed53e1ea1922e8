import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, type Logger } from '@chain/net';
import { DataDirLockedError, LOCK_FILE } from '@chain/peer';
import { TestProcess, tmpDir } from '@chain/testkit';
import { mineOnce, startPeer, tx } from './helpers';

const peerScript = fileURLToPath(new URL('./fixtures/peer-process.ts', import.meta.url));

function spyLogger(): { warnings: string[]; logger: Logger } {
  const warnings: string[] = [];
  const warn = (first: unknown, second?: string) => warnings.push(typeof first === 'string' ? first : String(second));
  return { warnings, logger: { debug: () => {}, info: () => {}, warn, error: () => {} } };
}

/** Every file of `dir` and its bytes. */
function contents(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name))]),
  );
}

describe('peer: one data directory, one process (docs/spec.md §7)', function () {
  this.timeout(60_000);

  it('a second Peer.start on the same directory rejects naming it and this pid; the first keeps running, its files unchanged', async () => {
    const dir = tmpDir();
    const first = await startPeer({ dataDir: dir });
    try {
      assert.equal((await request('127.0.0.1', first.address.port, 'tx', tx('before'))).status, 'Accepted');
      await mineOnce(first);
      const before = contents(dir);
      assert.ok(before.has('blocks.log') && before.has('pool.log') && before.has(LOCK_FILE));
      await assert.rejects(startPeer({ dataDir: dir }), (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.ok(err.message.startsWith(`data directory ${dir} is in use by process ${process.pid} `), err.message);
        return true;
      });
      assert.deepEqual(contents(dir), before);
      assert.equal((await request('127.0.0.1', first.address.port, 'tx', tx('after'))).status, 'Accepted');
      assert.equal(first.chain.height, 2);
    } finally {
      await first.stop();
    }
    assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'stop removes the lock');
    const again = await startPeer({ dataDir: dir });
    assert.equal(again.chain.height, 2);
    await again.stop();
  });

  it('against a peer in another process: refused without a byte changed; after that process is SIGKILLed, the start takes over with a warning', async () => {
    const dir = tmpDir();
    const child = TestProcess.source(peerScript, [dir], { stdin: 'ignore' });
    try {
      const port = Number((await child.waitFor(/ready (\d+)/))[1]);
      const acked: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await request('127.0.0.1', port, 'tx', tx(`in the child ${i}`));
        assert.equal(r.status, 'Accepted');
        if (r.status === 'Accepted') acked.push(r.id);
      }
      const before = contents(dir);
      const { warnings, logger } = spyLogger();
      await assert.rejects(
        startPeer({ dataDir: dir, logger }),
        new RegExp(`^DataDirLockedError: data directory ${dir} is in use by process ${child.pid} `),
      );
      assert.deepEqual(contents(dir), before, 'the refused start touched nothing');
      assert.equal((await request('127.0.0.1', port, 'gp')).pending, 3, 'the holder keeps serving');
      await child.kill('SIGKILL');
      const peer = await startPeer({ dataDir: dir, logger });
      try {
        assert.equal(warnings.length, 1);
        assert.match(warnings[0] as string, new RegExp(`process ${child.pid} no longer runs`));
        for (const id of acked) assert.ok(peer.chain.pool.has(id), `acknowledged ${id} kept`);
      } finally {
        await peer.stop();
      }
    } finally {
      await child.kill('SIGKILL');
    }
  });

  it('a start that fails after taking the lock releases it', async () => {
    const dir = tmpDir();
    const blocker = await startPeer();
    try {
      await assert.rejects(startPeer({ dataDir: dir, port: blocker.address.port }), /already in use/);
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    } finally {
      await blocker.stop();
    }
  });
});
