import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGenesis, txId } from '@chain/core';
import { MY_CHAIN, identity } from './network';
import { run } from './run';

describe('examples/new-chain', function () {
  this.timeout(60_000);

  it('two peers of a new network relay a signed transaction into a block of its own miner', async () => {
    const r = await run();
    const genesis = createGenesis(MY_CHAIN);
    assert.equal(r.genesisHash, genesis.currentHash);
    assert.equal(identity(MY_CHAIN).networkHash, genesis.previousHash);
    assert.deepEqual(r.heights, [2, 2]);
    assert.equal(r.block.previousHash, genesis.currentHash);
    assert.deepEqual(
      r.block.transactions.map((tx) => txId(r.genesisHash, tx)),
      [r.txId],
    );
  });

  it('runs as a script, as the guide says', async () => {
    const script = fileURLToPath(new URL('./run.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@chain/source', '--import', 'tsx', script]);
    assert.match(stdout, /^network my-chain: /);
    assert.match(stdout, /mined block 2 .* with 1 transaction/);
    assert.match(stdout, /heights: miner 2, wallet 2\n$/);
  });
});
