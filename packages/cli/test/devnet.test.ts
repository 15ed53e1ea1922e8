import assert from 'node:assert/strict';
import { EASY_CLASSIC, mineAt, Processes, sendClassic, tmpDir, writeNetwork } from './helpers';

describe('chain-peer devnet', function () {
  this.timeout(30_000);
  const procs = new Processes();
  afterEach(() => procs.killAll());

  it('starts interconnected peers with a status line each; Ctrl-C stops them all', async () => {
    const dir = tmpDir();
    const devnet = procs.start(['devnet', '--peers', '3', '--base-port', '0', '--no-mine', '--network', writeNetwork(dir, EASY_CLASSIC), '--heartbeat', '200', '--interval', '50']);
    const m = await devnet.waitFor(/devnet: 3 peers on network cli-test \(not mining\): A 127\.0\.0\.1:(\d+), B 127\.0\.0\.1:(\d+), C 127\.0\.0\.1:(\d+)/);
    const ports = [1, 2, 3].map((i) => Number(m[i]));
    // Every peer learns the two others.
    for (const name of ['A', 'B', 'C']) await devnet.waitFor(new RegExp(`^${name} .*peers 2/2`, 'm'));
    await sendClassic(ports[2]!, 'devnet hello');
    for (const name of ['A', 'B', 'C']) await devnet.waitFor(new RegExp(`^${name} .*pool +1 `, 'm'));
    const block = await mineAt(ports[2]!); // the peer that took the transaction mines it at once
    for (const name of ['A', 'B', 'C']) {
      await devnet.waitFor(new RegExp(`^${name} .*height +2  tip ${block.hash.slice(0, 10)}.*pool +0 `, 'm'));
    }
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
    assert.match(devnet.stdout, /devnet stopped\n$/);
  });

  it('a port in use stops the peers already started and exits 1', async () => {
    const dir = tmpDir();
    const network = writeNetwork(dir, EASY_CLASSIC);
    // A blocker holds `port`; the devnet's A takes port - 1 and starts, then B finds `port` taken.
    // Port - 1 is not ours to hold: if another program happens to be using it, A fails on it
    // instead, and the test tries again with a new blocker.
    for (let attempt = 1; ; attempt++) {
      const blocker = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', network]);
      const port = await blocker.listening();
      const r = await procs.run(['devnet', '--peers', '2', '--base-port', String(port - 1), '--no-mine']);
      blocker.kill();
      if (attempt < 5 && r.err.includes(`port ${port - 1} on`)) continue;
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`chain-peer: port ${port} on 127\\.0\\.0\\.1 is already in use`));
      return;
    }
  });
});
