import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyFile } from '../src/keys';
import { isolatedHome } from './home';
import { tmpDir, until, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, EASY_SIGNED, mineAt, procs, sendClassic, flags, type CliProcess } from './helpers';

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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Row {
  readonly height: number;
  readonly tip: string;
  readonly pool: number;
  readonly peers: string;
  readonly confirmed: number;
  readonly hashrate: string;
}

interface Frame {
  readonly header: string;
  readonly rows: Readonly<Record<string, Row>>;
  readonly traffic: string | undefined;
  readonly lastEvent: string;
}

const TABLE_HEADER = 'peer   height  tip            pool  peers    confirmed   hash rate';
const ROW = /^([A-Z]) +(\d+) +(\S+) +(\d+) +(\d+\/\d+) +(\d+(?:\.\d)?) tx\/s +(\d+(?:\.\d)? [kMG]?H\/s)$/;

/** The status tables a devnet printed through a pipe, oldest first. */
function frames(stdout: string): Frame[] {
  return stdout
    .split(/^status at \d\d:\d\d:\d\d UTC\n/m)
    .slice(1)
    .map((block) => {
      const lines = block.split('\n');
      const rows: Record<string, Row> = {};
      let i = 1;
      for (let m; (m = ROW.exec(lines[i] ?? '')); i++) {
        rows[m[1]!] = { height: Number(m[2]), tip: m[3]!, pool: Number(m[4]), peers: m[5]!, confirmed: Number(m[6]), hashrate: m[7]! };
      }
      const traffic = lines[i]?.startsWith('traffic ') ? lines[i++] : undefined;
      return { header: lines[0]!, rows, traffic, lastEvent: lines[i] ?? '' };
    });
}

/** The first table the devnet prints from now on that `test` accepts. */
async function frameWhere(devnet: CliProcess, what: string, test: (f: Frame) => boolean, ms = 20_000): Promise<Frame> {
  const from = devnet.stdout.length;
  let found: Frame | undefined;
  await until(() => (found = frames(devnet.stdout.slice(from)).find(test)) !== undefined, what, ms);
  return found!;
}

describe('chain-peer devnet', function () {
  this.timeout(30_000);
  const home = isolatedHome();

  it('starts interconnected peers with a row each in the table; Ctrl-C stops them all', async () => {
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
    const names = ['A', 'B', 'C'];
    await frameWhere(devnet, 'every peer with the two others', (f) => names.every((n) => f.rows[n]?.peers === '2/2'));
    await sendClassic(ports[2]!, 'devnet hello');
    await frameWhere(devnet, 'the transaction in every pool', (f) => names.every((n) => f.rows[n]?.pool === 1));
    const block = await mineAt(ports[2]!); // the peer that took the transaction mines it at once
    const tip = `${block.hash.slice(0, 10)}…`;
    const mined = (r: Row | undefined) => r?.height === 2 && r.tip === tip && r.pool === 0 && r.confirmed > 0;
    await frameWhere(devnet, 'the block on every peer', (f) => names.every((n) => mined(f.rows[n])));
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
    const confirmed = (r: Row | undefined) => r !== undefined && r.height >= 2 && r.confirmed > 0;
    await frameWhere(devnet, 'the transaction confirmed on both peers', (f) => confirmed(f.rows.A) && confirmed(f.rows.B));
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
    const busy = (r: Row | undefined) => r !== undefined && r.height >= 5 && r.confirmed >= 1;
    const f = await frameWhere(devnet, 'five blocks and transactions confirmed on both peers', (x) => busy(x.rows.A) && busy(x.rows.B));
    for (const r of [f.rows.A!, f.rows.B!]) assert.ok(r.confirmed <= 40, `confirmed ${r.confirmed} tx/s from 20 tx/s of traffic`);
    assert.match(f.traffic ?? '', /^traffic 20 tx\/s: \d+ sent, [1-9]\d* accepted$/);
    assert.notEqual(frames(devnet.stdout)[0]?.rows.A?.height, undefined);
    assert.doesNotMatch(devnet.stdout, /explorer/);
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('through a pipe: the table every interval, heights rising, the logs in the file it names', async () => {
    const logFile = join(tmpDir(), 'devnet.log');
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --workers 1 --traffic 20 --no-http --interval 300 --log-file ${logFile} --network ${writeNetworkFile(tmpDir(), EASY_SIGNED)}`,
    );
    await devnet.waitFor(new RegExp(`^logs in ${logFile.replace(/[.]/g, '\\.')} \\(--verbose shows them here instead\\)$`, 'm'));
    await frameWhere(devnet, 'both peers at height 4 or more', (f) => (f.rows.A?.height ?? 0) >= 4 && (f.rows.B?.height ?? 0) >= 4);
    const all = frames(devnet.stdout);
    assert.ok(all.length >= 3, `${all.length} tables`);
    for (const f of all) {
      assert.equal(f.header, TABLE_HEADER);
      assert.deepEqual(Object.keys(f.rows), ['A', 'B']);
      assert.match(f.traffic ?? '', /^traffic 20 tx\/s: \d+ sent, \d+ accepted/);
      assert.match(f.lastEvent, /^last event: /);
    }
    const heights = all.map((f) => f.rows.A!.height);
    assert.deepEqual(
      heights,
      [...heights].sort((a, b) => a - b),
      'heights never fall',
    );
    assert.ok(heights.at(-1)! > heights[0]!, `heights ${heights.join(', ')}`);
    assert.ok(
      all.some((f) => f.rows.A!.hashrate !== '0 H/s'),
      'the miner measures its work',
    );
    assert.ok(!devnet.stdout.includes('\x1b'), 'no control sequence through a pipe');
    assert.equal(devnet.stderr, '', 'the logs went to the file');
    const logged = readFileSync(logFile, 'utf8');
    for (const name of ['A', 'B']) assert.match(logged, new RegExp(`^\\S+ INFO  \\[${name}\\] block \\d+ [0-9a-f]+… is the new tip`, 'm'));
    assert.match(all.at(-1)!.lastEvent, /^last event: \S+ INFO {2}\[[AB]\] /, 'the last event is the last line logged');
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
    assert.match(readFileSync(logFile, 'utf8'), /INFO {2}stopping 2 peers \(SIGINT\)\n/);
    assert.match(devnet.stdout, /devnet stopped\n$/);
  });

  it('--data keeps every chain across a restart and names where; <dir>/1, <dir>/2 with --base-port 0', async () => {
    const data = join(tmpDir(), 'devnet-data');
    const network = writeNetworkFile(tmpDir(), EASY_CLASSIC);
    const args = flags`devnet --peers 2 --base-port 0 --no-mine --traffic 0 --no-http --interval 50 --data ${data} --network ${network}`;
    const first = procs.start(args);
    const where = `^data in A ${escapeRegExp(join(data, '1'))}, B ${escapeRegExp(join(data, '2'))}$`;
    await first.waitFor(new RegExp(where, 'm'));
    const port = Number((await first.waitFor(/A 127\.0\.0\.1:(\d+)/))[1]);
    await frameWhere(first, 'A and B connected', (f) => f.rows.A?.peers === '1/1' && f.rows.B?.peers === '1/1');
    await sendClassic(port, 'kept');
    const block = await mineAt(port);
    await frameWhere(first, 'block 2 on both peers', (f) => f.rows.A?.height === 2 && f.rows.B?.height === 2);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);

    const again = procs.start(args);
    await again.waitFor(new RegExp(where, 'm'));
    const tip = `${block.hash.slice(0, 10)}…`;
    const f = await frameWhere(again, 'the first table', () => true);
    for (const name of ['A', 'B']) assert.deepEqual([f.rows[name]?.height, f.rows[name]?.tip], [2, tip], `${name} after the restart`);
    again.child.kill('SIGINT');
    assert.equal(await again.exited, 0);
  });

  it('--display live redraws the table in place and gives the cursor back on Ctrl-C', async () => {
    const devnet = procs.start(
      flags`devnet --peers 1 --base-port 0 --no-mine --traffic 0 --no-http --display live --interval 50 --log-file ${join(tmpDir(), 'd.log')} --network ${writeNetworkFile(tmpDir(), EASY_CLASSIC)}`,
    );
    // A frame of three lines (the table's header, peer A, the last event), then another over it.
    await devnet.waitFor(new RegExp(escapeRegExp('\x1b[3A\r\x1b[2Kpeer   height')));
    const start = devnet.stdout.indexOf('\x1b[?25l');
    assert.ok(start > 0 && /^devnet: 1 peer on network cli-test/.test(devnet.stdout), 'the header, then the cursor hidden');
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
    const end = devnet.stdout.slice(devnet.stdout.lastIndexOf('\x1b[J'));
    assert.equal(end, '\x1b[J\x1b[?25hdevnet stopped\n', 'the last frame, the cursor shown, then the last line');
  });

  it('--verbose puts the logs on the terminal and names no file', async () => {
    const devnet = procs.start(
      flags`devnet --peers 2 --base-port 0 --no-mine --traffic 0 --no-http --verbose --interval 100 --network ${writeNetworkFile(tmpDir(), EASY_CLASSIC)}`,
    );
    await devnet.waitFor(/^logs on stderr$/m);
    await devnet.waitFor(/^\S+ INFO {2}\[B\] neighbour 127\.0\.0\.1:\d+ is connected$/m, { stream: 'stderr' });
    assert.doesNotMatch(devnet.stdout, /logs in /);
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });

  it('a log file that cannot be written stops the devnet before it starts, naming the file', async () => {
    const bad = join(tmpDir(), 'no-such-dir', 'devnet.log');
    const r = await procs.run(['devnet', '--peers', '1', '--base-port', '0', '--no-mine', '--log-file', bad]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      new RegExp(`cannot write the log file ${bad.replace(/[.]/g, '\\.')}: no such directory; choose another with --log-file`),
    );
    assert.equal(r.out, '');
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
