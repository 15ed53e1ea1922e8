import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNetwork, PRESETS } from '@chain/core';
import { tmpDir } from '@chain/testkit';
import { readKeyFile } from '../src/keys';
import { procs } from './helpers';

const COMMANDS = ['devnet', 'send', 'tx', 'chain', 'status', 'mine', 'sim', 'keygen', 'network'];

describe('chain-peer CLI', () => {
  it('--help lists the commands', async () => {
    const r = await procs.run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /network/);
    assert.match(r.out, /keygen/);
    for (const command of COMMANDS) assert.match(r.out, new RegExp(`\\n  ${command} `));
    assert.match(r.out, /<peer-id> <port> <config-file>/);
    assert.match(r.out, /Exit codes: 0 success, 1 failure/);
  });

  it('the installed bin runs the built program (npx chain-peer)', function () {
    const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    try {
      statSync(built);
    } catch {
      // The repository's install step builds dist/; a checkout without it has nothing to run yet.
      this.skip();
    }
    const bin = fileURLToPath(new URL('../bin/chain-peer.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'network', '--preset', 'comp3221'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(parseNetwork(JSON.parse(r.stdout)), PRESETS.comp3221);
  });

  it('every command has --help', async () => {
    for (const command of COMMANDS) {
      const r = await procs.run([command, '--help']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^Usage: chain-peer ${command} `));
      assert.match(r.out, /Example/);
    }
  });

  it('--version prints the version', async () => {
    const r = await procs.run(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^\d+\.\d+\.\d+/);
  });

  it('network --preset prints a valid network file', async () => {
    for (const name of ['default', 'comp3221', 'retarget'] as const) {
      const r = await procs.run(['network', '--preset', name]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(parseNetwork(JSON.parse(r.out)), PRESETS[name]);
    }
  });

  it('a bad preset is a usage error that says what to fix', async () => {
    const r = await procs.run(['network', '--preset', 'mainnet']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown preset "mainnet" \(choose devnet, comp3221 or retarget\)/);
  });

  it('keygen writes a private key file and refuses to overwrite it', async () => {
    const file = join(tmpDir('chain-cli-'), 'k.json');
    const r = await procs.run(['keygen', '--out', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const key = readKeyFile(file);
    assert.equal(JSON.parse(r.out).publicKey, key.publicKey);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(JSON.parse(readFileSync(file, 'utf8')).secretSeed);
    const again = await procs.run(['keygen', '--out', file]);
    assert.equal(again.code, 1);
    assert.match(again.err, /already exists/);
    // Without --out the key itself is the output, JSON whether or not --json is given.
    const printed = await procs.run(['keygen']);
    assert.deepEqual(Object.keys(JSON.parse(printed.out)), ['secretSeed', 'publicKey']);
    assert.match((await procs.run(['keygen', '--help'])).out, /--json +with --out: print the file and the public key as JSON/);
  });
});
