import assert from 'node:assert/strict';
import { ProtocolError, request } from '@chain/net';
import { until } from '@chain/testkit';
import { commonVersion } from '../src/version';
import { addr, startPeer, stoppedAfterEach } from './helpers';

describe('protocol versions', function () {
  this.timeout(20_000);
  const peers = stoppedAfterEach();

  it('the version both speak is the lower one; an unknown higher one is met with this peer’s own', () => {
    assert.equal(commonVersion('1.2', '1.2'), '1.2');
    assert.equal(commonVersion('1.1', '1.2'), '1.1');
    assert.equal(commonVersion('1.2', '1.1'), '1.1');
    assert.equal(commonVersion('1.9', '1.2'), '1.2');
    assert.equal(commonVersion('2.0', '1.2'), '1.2');
    assert.equal(commonVersion('1.0', '1.2'), '1.1', 'nothing below 1.1 is spoken');
  });

  it('two 1.2 peers agree on 1.2; with a 1.1-only peer each connection speaks 1.1', async () => {
    const a = await startPeer();
    const b = await startPeer({ neighbours: [addr(a)] });
    const old = await startPeer({ protocol: '1.1', neighbours: [addr(a)] });
    peers.push(a, b, old);
    await until(() => b.neighbours.get(addr(a))?.version === '1.2', 'b speaks 1.2 to a', 5000);
    await until(() => old.neighbours.get(addr(a))?.version === '1.1', 'the 1.1 peer speaks 1.1 to a', 5000);
    // a learns both and dials them back: 1.2 to b, 1.1 to the old peer, which does not know vs.
    await until(
      () => a.neighbours.get(addr(b))?.version === '1.2' && a.neighbours.get(addr(old))?.version === '1.1',
      'a dials back',
      10_000,
    );
    assert.equal(a.neighbours.get(addr(old))?.state, 'open', 'the connection stays after er unknown-opcode');
  });

  it('a 1.1-only peer answers vs er unknown-opcode and keeps the connection; a 1.2 peer answers its version', async () => {
    const old = await startPeer({ protocol: '1.1' });
    const now = await startPeer();
    peers.push(old, now);
    await assert.rejects(
      request('127.0.0.1', old.address.port, 'vs', { version: '1.2' }),
      (err: unknown) => err instanceof ProtocolError && err.code === 'unknown-opcode',
    );
    assert.deepEqual(await request('127.0.0.1', now.address.port, 'vs', { version: '1.7' }), { version: '1.2' });
    assert.deepEqual(await request('127.0.0.1', now.address.port, 'vs', { version: '1.1' }), { version: '1.1' });
  });
});
