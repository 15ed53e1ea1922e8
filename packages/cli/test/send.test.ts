import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyFile } from '../src/keys';
import { isolatedHome } from './home';
import { EASY_CLASSIC, EASY_SIGNED, procs, quietPeer } from './helpers';

describe('chain-peer send: no homework', function () {
  this.timeout(30_000);
  const home = isolatedHome();

  async function pending(target: string): Promise<number> {
    const r = await procs.run(['status', target, '--json']);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).pending;
  }

  it('with no flags on a signed network: makes the key once (announced), then reuses it quietly', async () => {
    const { target } = await quietPeer(EASY_SIGNED);
    const keyFile = join(home(), 'key.json');

    // Two first sends at once: one key, made and announced once, used by both.
    const [a, b] = await Promise.all([procs.run(['send', target, 'first', '--json']), procs.run(['send', target, 'second', '--json'])]);
    for (const r of [a, b]) assert.equal(r.code, 0, r.err);
    const announced = [a, b].filter((r) => r.err !== '');
    assert.equal(announced.length, 1, `one announcement expected, got:\n${a.err}${b.err}`);
    const key = readKeyFile(keyFile);
    assert.equal(announced[0]!.err, `created your signing key ${keyFile} (public key ${key.publicKey}); send signs with it from now on\n`);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    for (const r of [a, b]) {
      const reply = JSON.parse(r.out);
      assert.equal(reply.status, 'Accepted');
      assert.equal(reply.tx.sender, key.publicKey);
    }

    const again = await procs.run(['send', target, 'hello again']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^Accepted [0-9a-f]{64}\n$/);
    assert.equal(again.err, '');
    assert.equal(readKeyFile(keyFile).secretSeed, key.secretSeed);
    assert.equal(await pending(target), 3);
  });

  it('--sender on a signed network says so plainly and sends nothing', async () => {
    const { target } = await quietPeer(EASY_SIGNED);
    const r = await procs.run(['send', target, 'hello', '--sender', 'abcd1234']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      `chain-peer: --sender is for classic networks, and ${target} takes signed transactions: leave --sender out to sign with your key (${join(home(), 'key.json')}), or give --key FILE; nothing was sent\n`,
    );
    assert.equal(await pending(target), 0);
  });

  it('--key, or no flag, on a classic network says so plainly and sends nothing', async () => {
    const { dir, target } = await quietPeer(EASY_CLASSIC);
    const keyFile = join(dir, 'me.key');
    assert.equal((await procs.run(['keygen', '--out', keyFile])).code, 0);
    const [withKey, bare] = await Promise.all([
      procs.run(['send', target, 'hello', '--key', keyFile]),
      procs.run(['send', target, 'hello']),
    ]);
    assert.equal(withKey.code, 2);
    assert.equal(
      withKey.err,
      `chain-peer: --key is for signed networks, and ${target} takes classic transactions: give --sender ID instead (4 letters and 4 digits, e.g. abcd1234); nothing was sent\n`,
    );
    assert.equal(bare.code, 2);
    assert.equal(
      bare.err,
      `chain-peer: ${target} takes classic transactions, which name their sender: give --sender ID (4 letters and 4 digits, e.g. abcd1234)\n`,
    );
    assert.equal(await pending(target), 0);
    // No key was made for a network that has no use for it.
    assert.throws(() => statSync(join(home(), 'key.json')), /ENOENT/);
  });
});
