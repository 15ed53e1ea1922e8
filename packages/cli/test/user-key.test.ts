import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateUserKey, userConfigDir, userKeyPath } from '../src/user-key';
import { tmpDir } from '@chain/testkit';

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
    const first = loadOrCreateUserKey(path);
    assert.equal(first.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    const second = loadOrCreateUserKey(path);
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
  });

  it('a damaged key file is an error that names it, and is left alone', () => {
    const path = join(tmpDir(), 'key.json');
    writeFileSync(path, '{"secretSeed": "nope"}');
    assert.throws(() => loadOrCreateUserKey(path), new RegExp(`key file ${path}: expected`));
  });
});
