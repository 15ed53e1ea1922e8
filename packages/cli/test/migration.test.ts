import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Peer } from '@chain/peer';
import { tmpDir, until, writeNetworkFile } from '@chain/testkit';
import { CommanderError } from 'commander';
import { buildProgram } from '../src/cli';
import { EXIT, exitCodeOf } from '../src/errors';
import { PeerKey } from '../src/keys';
import { loadNetwork } from '../src/network';
import { Prompt } from '../src/prompt';
import { EASY_CLASSIC, EASY_SIGNED, procs } from './helpers';

/** Run the program in this process: its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let code = 0;
  const program = buildProgram(
    (t) => (out += t),
    (c) => (code = c),
  );
  let err = '';
  program.configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  try {
    await program.parseAsync(['node', 'chain-peer', ...args]);
  } catch (e) {
    err += (e as Error).message;
    code = e instanceof CommanderError ? EXIT.usage : exitCodeOf(e);
  }
  return { code, out, err };
}

describe('chain-peer: coming from the original project', function () {
  this.timeout(20_000);
  const home = tmpDir();
  let previousHome: string | undefined;
  before(() => {
    previousHome = process.env.CHAIN_PEER_HOME;
    process.env.CHAIN_PEER_HOME = home;
  });
  after(() => {
    if (previousHome === undefined) delete process.env.CHAIN_PEER_HOME;
    else process.env.CHAIN_PEER_HOME = previousHome;
  });

  async function started(network = EASY_SIGNED): Promise<Peer> {
    return Peer.start({ network, port: 0, dataDir: null, mine: false, heartbeatMs: 60_000 });
  }

  it('send on a signed network refuses "abcd1234 hello" (a sender in the content) unless --literal', async () => {
    const peer = await started();
    try {
      const target = `127.0.0.1:${peer.address.port}`;
      const refused = await cli('send', target, 'abcd1234 hello');
      assert.equal(refused.code, 2);
      assert.match(
        refused.err,
        /"abcd1234" looks like the sender of the original tx <sender> <content> form.*send 127\.0\.0\.1:\d+ "hello".*--literal/,
      );
      const two = await cli('send', target, 'abcd1234', 'hello');
      assert.equal(two.code, 2);
      assert.match(two.err, /"abcd1234" looks like the sender .*send 127\.0\.0\.1:\d+ "hello", or send .* "abcd1234 hello" --literal/);
      assert.equal(peer.chain.pool.size, 0, 'nothing was sent');

      const literal = await cli('send', target, 'abcd1234 hello', '--literal');
      assert.equal(literal.code, 0, literal.err);
      assert.deepEqual(
        peer.chain.pool.list().map((e) => e.tx.content),
        ['abcd1234 hello'],
      );
    } finally {
      await peer.stop();
    }
  });

  it('send takes the original form <sender> <content> on a classic network', async () => {
    const peer = await started(EASY_CLASSIC);
    try {
      const r = await cli('send', `127.0.0.1:${peer.address.port}`, 'abcd1234', 'hello world');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Accepted [0-9a-f]{64}\n$/);
      assert.deepEqual(
        peer.chain.pool.list().map((e) => [e.tx.sender, e.tx.content]),
        [['abcd1234', 'hello world']],
      );
    } finally {
      await peer.stop();
    }
  });

  it('the prompt of a signed peer says why "tx abcd1234 hello" is not sent; tx --literal sends it as it is', async () => {
    const peer = await started();
    const input = new PassThrough();
    let output = '';
    const prompt = new Prompt({
      peer,
      key: new PeerKey({ dataDir: null }),
      input,
      write: (t) => (output += t),
      onQuit: () => undefined,
      onEnd: () => undefined,
    });
    try {
      input.write('tx abcd1234 hello\n');
      await until(() => output.includes('\n'), 'the reply to tx abcd1234 hello');
      assert.match(output, /^Not sent: "abcd1234" looks like the sender .* type tx hello, or tx --literal <text>/);
      assert.equal(peer.chain.pool.size, 0);
      input.write('tx --literal abcd1234 hello\n');
      await until(() => /Accepted [0-9a-f]{64}\n$/.test(output), 'the reply to tx --literal');
      assert.deepEqual(
        peer.chain.pool.list().map((e) => [e.tx.content, e.id]),
        [['abcd1234 hello', /Accepted ([0-9a-f]{64})\n$/.exec(output)![1]]],
        "the id printed is the pool entry's",
      );
    } finally {
      prompt.close();
      await peer.stop();
    }
  });

  it('a peer prints its data directory whole: a relative --data is of the folder it was started in', async () => {
    const dir = tmpDir();
    const peer = procs.start(
      ['--port', '0', '--data', 'here', '--no-mine', '--no-prompt', '--network', writeNetworkFile(dir, EASY_SIGNED)],
      {
        cwd: dir,
      },
    );
    await peer.listening();
    assert.ok(peer.stdout.includes(`data in ${join(realpathSync(dir), 'here')},`), peer.stdout);
  });

  it('one name for the signed preset: devnet, with default taken as its alias', async () => {
    assert.equal(loadNetwork('default'), loadNetwork('devnet'));
    const devnet = await cli('network', '--preset', 'devnet');
    assert.equal(devnet.code, 0, devnet.err);
    assert.equal(JSON.parse(devnet.out).name, 'devnet');
    assert.equal((await cli('network', '--preset', 'default')).out, devnet.out);
    const help = await cli('--help');
    assert.match(help.out, /a preset: devnet, comp3221, retarget \(default is an alias of devnet\)/);
    assert.match(help.out, /default: devnet; comp3221 in the original form/);
    const devnetHelp = await procs.run(['devnet', '--help']);
    assert.match(devnetHelp.out, /--network <file\|preset> +network file, or a preset: [^]*?\(default: "devnet"\)/);
  });
});
