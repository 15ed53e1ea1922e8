import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readKeyFile } from '../src/keyfile';
import { isolatedHome } from './home';
import { EASY_CLASSIC, EASY_SIGNED, freePort, mineAt, Processes, tmpDir, writeNetwork } from './helpers';

describe('chain-peer: client commands', function () {
  this.timeout(30_000);
  const procs = new Processes();
  isolatedHome();
  afterEach(() => procs.killAll());

  it('send (classic), chain and status against a running peer', async () => {
    const dir = tmpDir();
    const peer = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', writeNetwork(dir, EASY_CLASSIC)]);
    const port = await peer.listening();
    const target = `127.0.0.1:${port}`;

    const sent = await procs.run(['send', target, 'hello there', '--sender', 'abcd1234']);
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /^Accepted [0-9a-f]{64}\n$/);
    const bad = await procs.run(['send', target, 'hello', '--sender', 'abcd1234', '--json']);
    assert.equal(bad.code, 0, bad.err);
    assert.equal(JSON.parse(bad.out).status, 'Accepted');

    const status = await procs.run(['status', target, '--json']);
    assert.equal(status.code, 0, status.err);
    const s = JSON.parse(status.out);
    assert.equal(s.height, 1);
    assert.equal(s.pending, 2);
    assert.equal(s.difficulty, 1);
    assert.equal(s.pow, 'seed');

    const block = await mineAt(port);
    const text = await procs.run(['status', target]);
    assert.match(text.out, new RegExp(`height +2\\ntip +${block.hash}\\n[\\s\\S]*pool +0 transactions waiting\\nproof +seed, difficulty 1`));

    const chain = await procs.run(['chain', target]);
    assert.equal(chain.code, 0, chain.err);
    assert.match(chain.out, /^Block 1 [\s\S]*Block 2 [\s\S]*"hello there"[\s\S]*height 2, tip [0-9a-f]{64}\n$/);
    const json = await procs.run(['chain', target, '--from', '2', '--limit', '1', '--json']);
    const lines = json.out.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]!).currentHash, block.hash);
  });

  it('send --key signs for a signed network; keygen makes the key', async () => {
    const dir = tmpDir();
    const peer = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', writeNetwork(dir, EASY_SIGNED)]);
    const target = `127.0.0.1:${await peer.listening()}`;
    const keyFile = join(dir, 'me.key');
    assert.equal((await procs.run(['keygen', '--out', keyFile])).code, 0);
    const r = await procs.run(['send', target, 'signed hello', '--key', keyFile, '--json']);
    assert.equal(r.code, 0, r.err);
    const reply = JSON.parse(r.out);
    assert.equal(reply.status, 'Accepted');
    assert.equal(reply.tx.sender, readKeyFile(keyFile).publicKey);
  });

  it('an unreachable peer is one line and exit 1; bad usage is exit 2', async () => {
    const port = await freePort();
    const target = `127.0.0.1:${port}`;
    const unreachable = [['status', target], ['chain', target], ['send', target, 'hi'], ['send', target, 'hi', '--sender', 'abcd1234'], ['mine', '--connect', target]];
    await Promise.all(
      unreachable.map(async (args) => {
        const r = await procs.run(args);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
        assert.equal(r.err, `chain-peer: cannot reach ${target}: connection refused; is a peer running there?\n`);
      }),
    );
    const usage: [string[], RegExp][] = [
      [['send', target, 'hi', '--key', 'k', '--sender', 'abcd1234'], /option '--key <file>' cannot be used with option '--sender <id>'/],
      [['send', target, 'hi', '--sender', 'ab'], /--sender: sender must match/],
      [['send', target, 'a|b', '--sender', 'abcd1234'], /content must be 1-70 printable ASCII characters/],
      [['status', 'nowhere'], /value 'nowhere' is invalid for argument 'host:port'\. expected host:port/],
      [['chain', target, '--limit', '0'], /--limit must be an integer from 1/],
      [['mine'], /required option '--connect <host:port>' not specified/],
    ];
    await Promise.all(
      usage.map(async ([args, pattern]) => {
        const r = await procs.run(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, pattern);
      }),
    );
  });
});
