import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readKeyFile } from '../src/keys';
import { isolatedHome } from './home';
import { freePort, tmpDir, writeNetworkFile } from '@chain/testkit';
import { EASY_CLASSIC, EASY_SIGNED, mineAt, procs, quietPeer } from './helpers';

describe('chain-peer: client commands', function () {
  this.timeout(30_000);
  isolatedHome();

  it('send (classic), chain and status against a running peer', async () => {
    const dir = tmpDir();
    const peer = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', writeNetworkFile(dir, EASY_CLASSIC)]);
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
    assert.match(
      text.out,
      new RegExp(`height +2\\ntip +${block.hash}\\n[\\s\\S]*pool +0 transactions waiting\\nproof +seed, difficulty 1`),
    );

    const chain = await procs.run(['chain', target]);
    assert.equal(chain.code, 0, chain.err);
    assert.match(chain.out, /^Block 1 [\s\S]*Block 2 [\s\S]*"hello there"[\s\S]*height 2, tip [0-9a-f]{64}\n$/);
    const json = await procs.run(['chain', target, '--from', '2', '--limit', '1', '--json']);
    const lines = json.out.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]!).currentHash, block.hash);
  });

  it('status --explorer adds the address book: a learned neighbour with its source, failures and last reply', async () => {
    const dir = tmpDir();
    const network = writeNetworkFile(dir, EASY_CLASSIC);
    const a = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--http', '0', '--network', network, '--heartbeat', '200']);
    const target = `127.0.0.1:${await a.listening()}`;
    const url = (await a.waitFor(/explorer on (http:\/\/\S+\/)/))[1]!;
    const b = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', network, '--peer', target, '--heartbeat', '200']);
    const learned = `127.0.0.1:${await b.listening()}`;
    // A learns B from B's heartbeat; B is a neighbour of A once it answered A's hb.
    let book:
      | {
          neighbours: { address: string; kind: string; source: string; failures: number; lastSeen: number | null }[];
          candidates: unknown[];
        }
      | undefined;
    for (let i = 0; i < 100 && !book?.neighbours.some((n) => n.address === learned); i++) {
      const r = await procs.run(['status', target, '--json', '--explorer', url]);
      assert.equal(r.code, 0, r.err);
      book = JSON.parse(r.out);
      if (!book!.neighbours.some((n) => n.address === learned)) await new Promise((res) => setTimeout(res, 100));
    }
    const n = book!.neighbours.find((e) => e.address === learned);
    assert.ok(n, JSON.stringify(book));
    assert.equal(n.kind, 'neighbour');
    assert.equal(n.source, '127.0.0.1');
    assert.equal(n.failures, 0);
    assert.equal(typeof n.lastSeen, 'number');
    assert.deepEqual(book!.candidates, []);
    const text = await procs.run(['status', target, '--explorer', url]);
    assert.match(
      text.out,
      new RegExp(
        `peers: 1 neighbour, 0 candidates, 0 quarantined\\n +address +kind +state +height +source +failures +last seen\\n +${learned.replace(/\./g, '\\.')} +neighbour +open +\\d+ +127\\.0\\.0\\.1 +0 +\\d+ s ago\\n`,
      ),
    );
    // Without it, status is the specification's opcodes only; a bad URL is bad usage; another peer's explorer is named.
    assert.equal(JSON.parse((await procs.run(['status', target, '--json'])).out).neighbours, undefined);
    const bad = await procs.run(['status', target, '--explorer', 'ftp://x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--explorer: "ftp:\/\/x" is not an http or https URL/);
    const other = await procs.run(['status', learned, '--explorer', url]);
    assert.equal(other.code, 1);
    assert.match(other.err, new RegExp(`serves A ${target}, not ${learned}`));
  });

  it('send --key signs for a signed network; keygen makes the key', async () => {
    const { dir, target } = await quietPeer(EASY_SIGNED);
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
    const unreachable = [
      ['status', target],
      ['chain', target],
      ['send', target, 'hi'],
      ['send', target, 'hi', '--sender', 'abcd1234'],
      ['mine', '--connect', target],
    ];
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
