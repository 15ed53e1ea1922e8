import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { readKeyFile } from '../src/keys';
import { isolatedHome } from './home';
import { tmpDir, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, EASY_SIGNED, mineAt, procs, sendClassic, flags } from './helpers';

/** The arguments of a printed `npx chain-peer …` command line (double quotes group words). */
function argsOf(command: string): string[] {
  const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  assert.deepEqual(words.slice(0, 2), ['npx', 'chain-peer'], command);
  return words.slice(2);
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A status line of peer `name` past the genesis with some transactions confirmed. */
const confirmedLine = (name: string) =>
  new RegExp(`^${name} +127\\.0\\.0\\.1:\\d+ +height +([2-9]|\\d{2,}) .*confirmed +(?!0\\.0 )\\d+(?:\\.\\d)? tx/s`, 'm');

describe('chain-peer devnet', function () {
  this.timeout(30_000);
  const home = isolatedHome();

  it('starts interconnected peers with a status line each; Ctrl-C stops them all', async () => {
    const dir = tmpDir();
    const devnet = procs.start(
      flags`devnet --peers 3 --base-port 0 --no-mine --traffic 0 --network ${writeNetworkFile(dir, EASY_CLASSIC)} --heartbeat 200 --interval 50`,
    );
    const m = await devnet.waitFor(
      /devnet: 3 peers on network cli-test \(not mining\): A 127\.0\.0\.1:(\d+), B 127\.0\.0\.1:(\d+), C 127\.0\.0\.1:(\d+)/,
    );
    const ports = [1, 2, 3].map((i) => Number(m[i]));
    await devnet.waitFor(new RegExp(`^not mining: .* npx chain-peer mine --connect 127\\.0\\.0\\.1:${ports[0]}$`, 'm'));
    await devnet.waitFor(new RegExp(`^  npx chain-peer send 127\\.0\\.0\\.1:${ports[0]} "hello" --sender abcd1234$`, 'm'));
    // Every peer learns the two others.
    for (const name of ['A', 'B', 'C']) await devnet.waitFor(new RegExp(`^${name} .*peers 2/2`, 'm'));
    await sendClassic(ports[2]!, 'devnet hello');
    for (const name of ['A', 'B', 'C']) await devnet.waitFor(new RegExp(`^${name} .*pool +1 `, 'm'));
    const block = await mineAt(ports[2]!); // the peer that took the transaction mines it at once
    for (const name of ['A', 'B', 'C']) {
      await devnet.waitFor(new RegExp(`^${name} .*height +2  tip ${block.hash.slice(0, 10)}.*pool +0 .*confirmed +(?!0\\.0 )`, 'm'));
    }
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
    assert.match(devnet.stdout, /devnet stopped\n$/);
  });

  it('serves the explorer by default and prints a send command that works as printed', async () => {
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --workers 1 --traffic 0 --network ${writeNetworkFile(tmpDir(), EASY_SIGNED)} --interval 50`,
    );
    const url = (await devnet.waitFor(/^explorer on (http:\/\/127\.0\.0\.1:\d+\/) \(every peer: .*--no-http turns it off\)$/m))[1]!;
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /explorer/);
    const peers = (await (await fetch(`${url}api/peers`)).json()) as { local: { name: string }[] };
    assert.deepEqual(
      peers.local.map((p) => p.name),
      ['A', 'B'],
    );
    await devnet.waitFor(/^no traffic: a block is mined only when there are transactions/m);

    const keyFile = join(home(), 'key.json');
    await devnet.waitFor(
      new RegExp(`^send a transaction \\(signed with your key ${keyFile.replace(/[.]/g, '\\.')}, made on first use\\):$`, 'm'),
    );
    const command = (await devnet.waitFor(/^ {2}(npx chain-peer send .*)$/m))[1]!;
    const sent = await procs.run(argsOf(command));
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /^Accepted [0-9a-f]{64}\n$/);
    assert.match(sent.err, new RegExp(`^created your signing key ${keyFile}`));
    // Mined into a block; both peers confirm it.
    for (const name of ['A', 'B']) await devnet.waitFor(confirmedLine(name));
    const id = sent.out.slice('Accepted '.length).trim();
    const seen = (await (await fetch(`${url}api/transactions/${id}?peer=B`)).json()) as { status: string; tx: { sender: string } };
    assert.equal(seen.status, 'confirmed');
    assert.equal(seen.tx.sender, readKeyFile(keyFile).publicKey);
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('--traffic keeps blocks coming and counts the confirmed transactions; --no-http serves no explorer', async () => {
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --workers 1 --traffic 20 --no-http --network ${writeNetworkFile(tmpDir(), EASY_SIGNED)} --interval 50`,
    );
    await devnet.waitFor(/^traffic: 20 test transactions a second spread over the peers, so blocks keep coming/m);
    const first = await devnet.waitFor(/^A +\S+ +height +(\d+) /m);
    assert.equal(first[1], '1');
    for (const name of ['A', 'B']) {
      const m = await devnet.waitFor(new RegExp(`^${name} +\\S+ +height +([5-9]|\\d{2,}) .*confirmed +([1-9]\\d*\\.\\d) tx/s`, 'm'));
      assert.ok(Number(m[2]) <= 40, `confirmed ${m[2]} tx/s from 20 tx/s of traffic`);
    }
    await devnet.waitFor(/^traffic 20 tx\/s: \d+ sent, [1-9]\d* accepted$/m);
    assert.doesNotMatch(devnet.stdout, /explorer/);
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('--traffic takes a number of transactions a second from 0 to 1000', async () => {
    const runs = await Promise.all(['-1', 'lots', '1001', '2x'].map((v) => procs.run(['devnet', '--traffic', v])));
    for (const r of runs) {
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /--traffic must be a number of transactions a second from 0 \(none\) to 1000, e\.g\. 2 or 0\.5/);
    }
  });

  it('the explorer takes the base port + 80, or a free port when that one is taken', async () => {
    const network = writeNetworkFile(tmpDir(), EASY_CLASSIC);
    // The blocker holds base + 80. The base port itself is not ours to hold: if another program
    // happens to be using it, the devnet fails on it instead, and the test tries another.
    for (let attempt = 1; ; attempt++) {
      const blocker = await listen(0);
      const taken = (blocker.address() as { port: number }).port;
      const base = taken - 80;
      const devnet = procs.start(flags`devnet --peers 1 --base-port ${String(base)} --no-mine --traffic 0 --network ${network}`);
      const seen = await Promise.race([
        devnet.waitFor(/^explorer on http:\/\/127\.0\.0\.1:(\d+)\/ \(port (\d+) was taken; --no-http/m),
        devnet.exited,
      ]);
      if (!Array.isArray(seen)) {
        blocker.close();
        if (attempt < 5 && devnet.stderr.includes(`port ${base} on`)) continue;
        assert.fail(`devnet exited: ${devnet.stderr}`);
      }
      assert.equal(Number(seen[2]), taken);
      assert.notEqual(Number(seen[1]), taken);
      assert.equal((await fetch(`http://127.0.0.1:${seen[1]}/api/peers`)).status, 200);
      devnet.child.kill('SIGINT');
      assert.equal(await devnet.exited, 0);
      await new Promise((r) => blocker.close(r));
      // Free again: the explorer takes it.
      const again = procs.start(flags`devnet --peers 1 --base-port ${String(base)} --no-mine --traffic 0 --network ${network}`);
      await again.waitFor(new RegExp(`^explorer on http://127\\.0\\.0\\.1:${taken}/ \\(--no-http turns it off\\)$`, 'm'));
      return;
    }
  });

  it('a port in use stops the peers already started, names --base-port and exits 1', async () => {
    const dir = tmpDir();
    const network = writeNetworkFile(dir, EASY_CLASSIC);
    // A blocker holds `port`; the devnet's A takes port - 1 and starts, then B finds `port` taken.
    // Port - 1 is not ours to hold: if another program happens to be using it, A fails on it
    // instead, and the test tries again with a new blocker.
    for (let attempt = 1; ; attempt++) {
      const blocker = await listen(0);
      const port = (blocker.address() as { port: number }).port;
      const r = await procs.run(['devnet', '--peers', '2', '--base-port', String(port - 1), '--no-mine', '--network', network]);
      await new Promise((resolve) => blocker.close(resolve));
      if (attempt < 5 && r.err.includes(`port ${port - 1} on`)) continue;
      assert.equal(r.code, 1);
      assert.equal(
        r.err.split('\n').at(-2),
        `chain-peer: port ${port} on 127.0.0.1 is already in use; choose another first port with --base-port (the peers take ports ${port - 1}-${port}; 0 picks free ones)`,
      );
      return;
    }
  });
});
