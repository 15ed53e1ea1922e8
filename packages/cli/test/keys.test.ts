import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../src/errors';
import {
  generateKey,
  keyFileText,
  PeerKey,
  readKeyFile,
  readKeyOption,
  readOrCreateUserKey,
  userConfigDir,
  userKeyPath,
  writeKeyFile,
  type KeyFile,
} from '../src/keys';
import { tmpDir } from '@chain/testkit';

describe('key files', () => {
  it('are written private, read back whole, and never overwritten', () => {
    const path = join(tmpDir(), 'k.json');
    const key = generateKey();
    writeKeyFile(path, key);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readKeyFile(path), key);
    assert.throws(() => writeKeyFile(path, generateKey()), new RegExp(`${path} already exists; remove it or choose another --out`));
    assert.deepEqual(readKeyFile(path), key);
  });

  it('a public key that does not belong to the seed is refused, naming the file', () => {
    const path = join(tmpDir(), 'k.json');
    writeFileSync(path, keyFileText({ secretSeed: generateKey().secretSeed, publicKey: generateKey().publicKey }));
    assert.throws(() => readKeyFile(path), new RegExp(`key file ${path}: publicKey does not belong to secretSeed`));
    writeFileSync(path, JSON.stringify({ secretSeed: generateKey().secretSeed }));
    assert.match(readKeyFile(path).publicKey, /^[0-9a-f]{64}$/);
  });

  it('--key: a file that cannot be read is a usage error that says how to make one', () => {
    const path = join(tmpDir(), 'missing.key');
    assert.throws(
      () => readKeyOption(path),
      (err: Error) =>
        err instanceof UsageError &&
        err.message.startsWith(`--key: cannot read key file ${path}: `) &&
        err.message.endsWith(`(create one with: chain-peer keygen --out ${path})`),
    );
  });
});

describe("a peer's key", () => {
  it('is made once in <data>/peer.key, announced once, and read after a restart', () => {
    const dataDir = join(tmpDir(), 'data');
    const made: string[] = [];
    const first = new PeerKey({ dataDir, onCreate: (where) => made.push(where) });
    assert.equal(first.location, join(dataDir, 'peer.key'));
    assert.ok(!existsSync(first.location), 'made on first use, not before');
    const key = first.get();
    assert.deepEqual(first.get(), key);
    assert.deepEqual(made, [join(dataDir, 'peer.key')]);
    assert.equal(statSync(first.location).mode & 0o777, 0o600);
    assert.deepEqual(new PeerKey({ dataDir, onCreate: (where) => made.push(where) }).get(), key);
    assert.equal(made.length, 1);
  });

  it('is the --key file when given, and a key for this run only without a data directory', () => {
    const file = join(tmpDir(), 'mine.key');
    const key = generateKey();
    writeKeyFile(file, key);
    assert.deepEqual(new PeerKey({ file, dataDir: null }).get(), key);
    const made: [string, KeyFile][] = [];
    const memory = new PeerKey({ dataDir: null, onCreate: (where, k) => made.push([where, k]) });
    assert.equal(memory.location, 'memory (this run only)');
    assert.deepEqual(made, [['memory', memory.get()]]);
  });
});

describe('the user key of send', () => {
  it('lives in CHAIN_PEER_HOME, else XDG_CONFIG_HOME/chain-peer, else ~/.config/chain-peer', () => {
    const home = () => '/home/u';
    assert.equal(userConfigDir({ CHAIN_PEER_HOME: '/x', XDG_CONFIG_HOME: '/y' }, 'linux', home), '/x');
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: '/y' }, 'linux', home), '/y/chain-peer');
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', home), '/home/u/.config/chain-peer');
    assert.equal(userConfigDir({ CHAIN_PEER_HOME: '' }, 'linux', home), '/home/u/.config/chain-peer');
    assert.equal(userKeyPath({ CHAIN_PEER_HOME: '/x' }), '/x/key.json');
  });

  it('is made once, private, and read after that', () => {
    const path = join(tmpDir(), 'deeper', 'key.json');
    const first = readOrCreateUserKey(path);
    assert.equal(first.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    const second = readOrCreateUserKey(path);
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
  });

  it('a damaged key file is an error that names it, and is left alone', () => {
    const path = join(tmpDir(), 'key.json');
    writeFileSync(path, '{"secretSeed": "nope"}');
    assert.throws(() => readOrCreateUserKey(path), new RegExp(`key file ${path}: expected`));
  });
});
