import assert from 'node:assert/strict';
import { createClassicTransaction } from '@chain/core';
import { tmpDir, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, procs, flags, onTakenPort, servingPeer } from './helpers';

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('chain-peer --http: the explorer', function () {
  this.timeout(30_000);

  it('a peer serves its explorer; SIGTERM stops both', async () => {
    const { p, port, url } = await servingPeer('--http', 'explorer');
    const status = await json(`${url}api/status`);
    assert.equal(status.status, 200);
    assert.equal(status.body.address, `127.0.0.1:${port}`);
    assert.equal(status.body.network.name, 'cli-test');
    const tx = createClassicTransaction('abcd1234', { content: 'over http', timestamp: Date.now() });
    const sent = await json(`${url}api/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tx),
    });
    assert.deepEqual([sent.status, sent.body.status], [202, 'Accepted']);
    const again = await json(`${url}api/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tx),
    });
    assert.deepEqual([again.status, again.body.reason], [409, 'duplicate']);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /chain <span>explorer<\/span>/);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it('a client command pointed at the explorer port says it is an HTTP server, not a peer', async () => {
    const dir = tmpDir();
    const p = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--http', '0', '--network', writeNetworkFile(dir, EASY_CLASSIC)]);
    const httpPort = Number((await p.waitFor(/^explorer on http:\/\/127\.0\.0\.1:(\d+)\//m))[1]);
    for (const args of [
      ['chain', `127.0.0.1:${httpPort}`],
      ['status', `127.0.0.1:${httpPort}`],
    ]) {
      const r = await procs.run(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.err, /HTTP/);
      assert.match(r.err, /explorer/);
      assert.doesNotMatch(r.err, /1213486160|frame-too-large/);
    }
  });

  it('devnet --http serves one explorer for every peer', async () => {
    const dir = tmpDir();
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --no-mine --http 0 --network ${writeNetworkFile(dir, EASY_CLASSIC)} --interval 50`,
    );
    const url = (await devnet.waitFor(/^explorer on (http:\/\/127\.0\.0\.1:\d+\/)/m))[1]!;
    const peers = await json(`${url}api/peers`);
    assert.deepEqual(
      peers.body.local.map((p: { name: string }) => p.name),
      ['A', 'B'],
    );
    const b = await json(`${url}api/status?peer=B`);
    assert.equal(b.body.address, peers.body.local[1].address);
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('an explorer port in use exits 1 with a clear message', async () => {
    const { taken, second: r } = await onTakenPort('--http', 'explorer');
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`chain-peer: explorer port ${taken} on 127\\.0\\.0\\.1 is already in use; choose another with --http`));
  });
});
