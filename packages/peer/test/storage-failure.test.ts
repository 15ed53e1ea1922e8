import assert from 'node:assert/strict';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, request } from '@chain/net';
import { tmpDir } from '@chain/testkit';
import { startPeer, tx } from './helpers';

describe('peer: a storage failure is answered clearly', function () {
  before(function () {
    if (!existsSync('/dev/full')) this.skip();
  });

  it('a transaction that cannot be journaled gets er internal naming the file, and stays out of the pool', async () => {
    const dir = tmpDir();
    // Every write to /dev/full fails with ENOSPC: a disk that is full from the start.
    symlinkSync('/dev/full', join(dir, 'pool.log'));
    const peer = await startPeer({ dataDir: dir });
    try {
      await assert.rejects(request('127.0.0.1', peer.address.port, 'tx', tx('no room')), (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.equal(err.code, 'internal');
        assert.match(err.message, /^could not store the transaction: .*pool\.log: write failed: ENOSPC/);
        return true;
      });
      assert.equal(peer.chain.pool.size, 0);
      // The connection and the peer carry on.
      assert.equal((await request('127.0.0.1', peer.address.port, 'gp')).pending, 0);
    } finally {
      await peer.stop();
    }
  });
});
