import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tmpDir, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, procs, sendClassic } from './helpers';

/** Whether 127.0.0.1:`port` can be listened on now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('chain-peer: mining', function () {
  this.timeout(40_000);

  it('mine --connect mines for a peer over TCP until Ctrl-C', async () => {
    const dir = tmpDir();
    const peer = procs.start(['--port', '0', '--no-mine', '--network', writeNetworkFile(dir, EASY_CLASSIC)]);
    const port = await peer.listening();
    const miner = procs.start(['mine', '--connect', `127.0.0.1:${port}`, '--workers', '1']);
    await miner.waitFor(/mining for 127\.0\.0\.1:\d+ \(seed proof of work, difficulty 1, 1 worker\)/);
    await sendClassic(port, 'mined remotely');
    const m = await miner.waitFor(/^Reward: block 2 ([0-9a-f]{64})$/m);
    await peer.command('pb', new RegExp(`Block 2 [\\s\\S]*hash +${m[1]}[\\s\\S]*"mined remotely"`));
    miner.child.kill('SIGINT');
    assert.equal(await miner.exited, 0);
    assert.match(miner.stdout, /stopped after 1 block\n$/);
  });

  it('with no arguments: 127.0.0.1:6000, the default network, a miner, data in ./chain-data/6000', async function () {
    if (!(await portFree(6000))) this.skip();
    const dir = tmpDir();
    const p = procs.start(['--workers', '1'], { cwd: dir });
    const port = await p.listening().catch((err: Error) => {
      if (/already in use/.test(p.stderr)) return null; // taken by something else since the check
      throw err;
    });
    if (port === null) this.skip();
    assert.equal(port, 6000);
    // The data directory is printed whole: ./chain-data/<port> of the folder the peer was started in.
    const data = join(realpathSync(dir), 'chain-data', '6000');
    assert.ok(p.stdout.includes(`listening on 127.0.0.1:6000 (network devnet, height 1, data in ${data}, mining with 1 worker)`), p.stdout);
    await p.command('tx mined here', /^Accepted [0-9a-f]{64}$/m);
    await p.waitFor(/block 2 .* is the new tip \(mined for this peer\)/, { stream: 'stderr', ms: 30_000 });
    await p.command('pb', /Block 2 [\s\S]*"mined here"[\s\S]*height 2/);
    p.send('cc');
    assert.equal(await p.exited, 0);
    assert.ok(existsSync(join(dir, 'chain-data', '6000', 'peer.key')));
  });
});
