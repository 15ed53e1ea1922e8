import assert from 'node:assert/strict';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../src/cli';

/** Parse `args` with a fresh program and return the one line it writes on stderr; only for arguments it refuses before running anything. */
async function refusal(args: readonly string[]): Promise<string> {
  let stderr = '';
  const program = buildProgram(() => undefined);
  for (const command of [program, ...program.commands]) command.configureOutput({ writeErr: (text) => (stderr += text) });
  await assert.rejects(
    program.parseAsync([...args], { from: 'user' }),
    (err: unknown) => err instanceof CommanderError && err.exitCode !== 0,
  );
  return stderr;
}

function command(name: string): Command {
  const found = buildProgram().commands.find((c) => c.name() === name);
  assert.ok(found, name);
  return found;
}

describe('the shared flags', () => {
  it('--workers: one range and one message in every command that mines', async () => {
    for (const args of [[], ['devnet'], ['mine', '--connect', '127.0.0.1:6000']]) {
      assert.equal(
        await refusal([...args, '--workers', '0']),
        "chain-peer: option '--workers <n>' argument '0' is invalid. --workers must be an integer from 1 to 256 (see --help)\n",
      );
    }
  });

  it('--heartbeat, --http: the same checks for a peer and a devnet', async () => {
    for (const args of [[], ['devnet']]) {
      assert.match(await refusal([...args, '--heartbeat', '5']), /--heartbeat must be an integer from 10 to 3600000 \(see --help\)\n$/);
      assert.match(await refusal([...args, '--http', '70000']), /the port must be an integer from 0 to 65535 \(see --help\)\n$/);
    }
  });

  it('--timeout and <host:port>: the same checks in every client command', async () => {
    for (const args of [
      ['send', '127.0.0.1:6000', 'hi'],
      ['chain', '127.0.0.1:6000'],
      ['status', '127.0.0.1:6000'],
    ]) {
      assert.match(await refusal([...args, '--timeout', '0']), /--timeout must be an integer from 1 to 3600000 \(see --help\)\n$/);
      const name = args[0]!;
      assert.match(
        await refusal([name, 'nowhere', ...args.slice(2)]),
        /value 'nowhere' is invalid for argument 'host:port'\. expected host:port, e\.g\. 127\.0\.0\.1:6001 \(see --help\)\n$/,
      );
    }
    assert.match(await refusal(['mine', '--connect', '127.0.0.1:6000', '--timeout', 'soon']), /--timeout must be an integer/);
  });

  it('--verbose and --quiet exclude each other wherever logs are written', async () => {
    for (const args of [[], ['devnet'], ['mine', '--connect', '127.0.0.1:6000']]) {
      assert.match(await refusal([...args, '--verbose', '--quiet']), /option '--verbose' cannot be used with option '--quiet'/);
    }
  });

  it('--traffic says what it takes', async () => {
    assert.match(
      await refusal(['devnet', '--traffic', '1001']),
      /--traffic must be a number of transactions a second from 0 \(none\) to 1000, e\.g\. 2 or 0\.5 \(see --help\)\n$/,
    );
  });

  it('defaults: --timeout 10000, --host and --http-host loopback, --network devnet for a devnet', () => {
    for (const name of ['send', 'chain', 'status', 'mine']) {
      assert.equal(command(name).options.find((o) => o.long === '--timeout')?.defaultValue, 10_000, name);
    }
    const devnet = command('devnet');
    for (const program of [buildProgram(), devnet]) {
      for (const long of ['--host', '--http-host']) assert.equal(program.options.find((o) => o.long === long)?.defaultValue, '127.0.0.1');
    }
    assert.equal(devnet.options.find((o) => o.long === '--network')?.defaultValue, 'devnet');
    assert.equal(
      buildProgram().options.find((o) => o.long === '--network')?.defaultValue,
      undefined,
      'the original form picks comp3221, so the default is decided later',
    );
  });
});
