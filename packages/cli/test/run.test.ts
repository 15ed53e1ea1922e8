import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@chain/net';
import { readKeyFile } from '../src/keys';
import { freePort, tmpDir, until, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, EASY_SIGNED, mineAt, procs, sendClassic } from './helpers';

describe('chain-peer: running a peer', function () {
  this.timeout(30_000);

  it('--port 0 prints the port; the prompt answers tx, pool, pb, peers, status, help and unknown input; cc exits 0', async () => {
    const dir = tmpDir();
    const p = procs.start(['--port', '0', '--no-mine', '--network', writeNetworkFile(dir, EASY_CLASSIC)], { cwd: dir });
    const port = await p.listening();
    assert.ok(port > 0);
    const id = (await p.command('tx abcd1234 hello world', /^Accepted ([0-9a-f]{64})$/m))[1]!;
    await p.command('tx abcd1234 no|pipes', /^Rejected: bad-content/m);
    await p.command('tx ab12 hi', /^Rejected: bad-sender/m);
    await p.command('tx hello', /^usage: tx <sender> <content>/m);
    await p.command('pool', new RegExp(`pool: 1 transaction waiting\\n {2}${id}  abcd1234  "hello world"`));
    await mineAt(port);
    await p.command('pb', new RegExp(`Block 2 [\\s\\S]*\\n {4}${id}  abcd1234  "hello world"[\\s\\S]*height 2, tip [0-9a-f]{64}`));
    await p.command('pool', /pool: empty/);
    await p.command('peers', /peers: none/);
    await p.command('status', /network +cli-test\n[\s\S]*height +2\n[\s\S]*hash rate/);
    await p.command('help', /tx <sender> <content>[\s\S]*cc /);
    await p.command('frobnicate', /unknown command "frobnicate"\ncommands:/);
    p.send('cc');
    assert.equal(await p.exited, 0);
    assert.ok(!existsSync(join(dir, 'chain-data')), '--port 0 keeps the chain in memory');
  });

  it('on a signed network, tx signs with <data>/peer.key, made on first use and kept across restarts', async () => {
    const dir = tmpDir();
    const net = writeNetworkFile(dir, EASY_SIGNED);
    const data = join(dir, 'data');
    const p = procs.start(['--port', '0', '--no-mine', '--network', net, '--data', data]);
    const port = await p.listening();
    assert.ok(!existsSync(join(data, 'peer.key')));
    await p.command('tx signed hello', /^Accepted [0-9a-f]{64}$/m);
    const key = readKeyFile(join(data, 'peer.key'));
    await p.command('pool', new RegExp(`pool: 1 transaction waiting\\n.*${key.publicKey.slice(0, 16)}… +"signed hello"`));
    await mineAt(port);
    await p.command('tx bad|content', /^Rejected: bad-content/m);
    p.send('cc');
    assert.equal(await p.exited, 0);

    // Restart on the same data: the chain and the key are still there.
    const again = procs.start(['--port', '0', '--no-mine', '--network', net, '--data', data]);
    await again.listening();
    assert.match(again.stdout, /height 2/);
    await again.command('tx second', /^Accepted [0-9a-f]{64}$/m);
    assert.deepEqual(readKeyFile(join(data, 'peer.key')), key);
  });

  it('runs headless when stdin ends, and with --no-prompt; SIGTERM stops it cleanly', async () => {
    const dir = tmpDir();
    const net = writeNetworkFile(dir, EASY_CLASSIC);
    const eof = procs.start(['--port', '0', '--no-mine', '--network', net], { stdin: 'ignore' });
    const headless = procs.start(['--port', '0', '--no-mine', '--network', net, '--no-prompt']);
    const [p1, p2] = [await eof.listening(), await headless.listening()];
    await eof.waitFor(/running headless/, { stream: 'stderr' });
    await sendClassic(p1, 'still serving');
    await sendClassic(p2, 'still serving');
    assert.equal((await request('127.0.0.1', p1, 'gp')).pending, 1);
    headless.send('cc'); // not read
    assert.equal((await request('127.0.0.1', p2, 'gp')).pending, 1);
    eof.child.kill('SIGTERM');
    headless.child.kill('SIGINT');
    assert.equal(await eof.exited, 0);
    assert.equal(await headless.exited, 0);
  });

  it('--peer joins a peer, and a late joiner shows sync progress', async () => {
    const dir = tmpDir();
    const net = writeNetworkFile(dir, EASY_CLASSIC);
    const a = procs.start(['--port', '0', '--no-mine', '--network', net, '--heartbeat', '200']);
    const pa = await a.listening();
    for (let i = 0; i < 12; i++) {
      await sendClassic(pa, `block ${i}`);
      await mineAt(pa);
    }
    const b = procs.start(['--port', '0', '--no-mine', '--network', net, '--peer', `127.0.0.1:${pa}`, '--heartbeat', '200']);
    await b.listening();
    await b.waitFor(/synced from 127\.0\.0\.1:\d+: height 13/, { stream: 'stderr' });
    await b.command('peers', new RegExp(`127\\.0\\.0\\.1:${pa} +configured +open +13 +configured +0 `));
    // --config reads neighbours from a file in the original format.
    writeFileSync(join(dir, 'config.txt'), `1\nA ${pa}`);
    const c = procs.start(['--port', '0', '--no-mine', '--network', net, '--config', join(dir, 'config.txt')]);
    await c.listening();
    await c.waitFor(/synced from 127\.0\.0\.1:\d+: height 13/, { stream: 'stderr' });
    // A learned B and C from their heartbeats: candidates until they answer A's own hb, then neighbours.
    const listing = /^peers: .*\n {2}address +kind .*\n(?: {2}\S+ .*\n)+/m;
    const learned = /^ {2}\S+ +neighbour +open .*\n {2}\S+ +neighbour +open /m;
    await until(async () => learned.test((await a.command('peers', listing))[0]), 'A connected to B and C');
  });

  it('JSON logs with --json-logs', async () => {
    const dir = tmpDir();
    const p = procs.start(['--port', '0', '--no-mine', '--json-logs', '--network', writeNetworkFile(dir, EASY_CLASSIC)]);
    await p.listening();
    const m = await p.waitFor(/^\{.*"msg":"listening on.*\}$/m, { stream: 'stderr' });
    const line = JSON.parse(m[0]);
    assert.equal(line.level, 'info');
  });

  it('a port in use is a one-line error that says what to fix (exit 1)', async () => {
    const dir = tmpDir();
    const a = procs.start(['--port', '0', '--no-mine', '--no-prompt']);
    const port = await a.listening();
    const r = await procs.run(['--port', String(port), '--no-mine', '--memory'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^chain-peer: port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --port`, 'm'));
  });

  it('bad config and network files and bad flags are usage errors (exit 2) that name the problem', async () => {
    const dir = tmpDir();
    const port = String(await freePort());
    writeFileSync(join(dir, 'bad.txt'), '2\nB 6001\n');
    writeFileSync(join(dir, 'badport.txt'), '1\nB port\n');
    writeFileSync(join(dir, 'net.json'), JSON.stringify({ ...EASY_CLASSIC, difficulty: 99 }));
    writeFileSync(join(dir, 'notjson.json'), '{');
    const cases: [string[], RegExp][] = [
      [['A', port, 'missing.txt'], /cannot read config file missing\.txt: no such file/],
      [['A', port, 'bad.txt'], /config file bad\.txt: line 1 says 2 neighbours but 1 line follow/],
      [['A', port, 'badport.txt'], /config file badport\.txt line 2: expected "NAME PORT"/],
      [['--network', 'net.json'], /network file net\.json: network field "difficulty"/],
      [['--network', 'notjson.json'], /network file notjson\.json is not JSON/],
      [['--network', 'mainnet'], /cannot read network file: no such file \(give a file, or a preset: devnet, comp3221, retarget\)/],
      [['--port', '70000'], /argument '70000' is invalid\. the port must be an integer from 0 to 65535/],
      [['--peer', 'nowhere'], /--peer <host:port>' argument 'nowhere' is invalid\. expected host:port/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
      [['--data', 'x', '--memory'], /cannot be used with option '--memory'/],
      [['A', 'sixthousand', 'bad.txt'], /port "sixthousand" must be an integer/],
      [['sned'], /unknown command "sned"/],
      [['--key', 'nokey.json', '--port', '0'], /--key: cannot read key file nokey\.json/],
    ];
    await Promise.all(
      cases.map(async ([args, pattern]) => {
        const r = await procs.run([...args, '--no-prompt'], { cwd: dir });
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, pattern);
        assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
        assert.match(r.err, /^chain-peer: /);
      }),
    );
  });
});
