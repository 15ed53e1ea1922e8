import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Block, Transaction } from '@chain/core';
import { request } from '@chain/net';
import { EASY_CLASSIC, easyNetwork, killAll, sourceArgs } from '@chain/testkit';
import { CLI, PeerProcess, classicTx, cliPeerFlags, genesisOf, makeBlock, scratchNetwork } from '../lib/harness';

/** Full blocks of classic transactions, all inside the one-hour TTL: a window of 400,000 ids at once. */
const WINDOW = easyNetwork(EASY_CLASSIC, { name: 'adv-window', maxTxPerBlock: 5000 });
const BLOCKS = 80;
const PER_BLOCK = 5000;
const HEAP_MIB = 48;

/** `chain-peer` from source with its old generation capped at HEAP_MIB. */
function smallPeer(flags: readonly string[]): PeerProcess {
  return new PeerProcess(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, ...sourceArgs(CLI, flags)]);
}

/** The tip's height, from a one-block `pb` page (an `hb` from the genesis would ask for every block). */
async function height(port: number): Promise<number> {
  return (await request('127.0.0.1', port, 'pb', { from: 1, limit: 1 }, { timeoutMs: 10_000 })).height;
}

async function assertDuplicate(port: number, tx: Transaction, what: string): Promise<void> {
  const r = await request('127.0.0.1', port, 'tx', tx, { timeoutMs: 10_000 });
  assert.equal(r.status, 'Rejected', `${what} was accepted again`);
  if (r.status === 'Rejected') assert.equal(r.reason, 'duplicate', `${what}: ${r.reason} ${r.message}`);
}

describe('the transaction window in a small heap', function () {
  afterEach(killAll);

  it(`a ${HEAP_MIB} MiB-heap peer takes ${BLOCKS} blocks of ${PER_BLOCK} transactions over nb, refuses their replays, and after SIGKILL restarts with the whole window`, async function () {
    this.timeout(150_000);
    const { dir, net } = scratchNetwork(WINDOW);
    const flags = cliPeerFlags(join(dir, 'data'), net);
    const first = smallPeer(flags);
    const port = await first.listening();

    // Blocks a millisecond apart ending now, each transaction timed with its block.
    const start = Date.now() - BLOCKS;
    let parent: Block = genesisOf(WINDOW);
    const kept: Transaction[] = [];
    for (let i = 0; i < BLOCKS; i++) {
      const ts = start + i;
      const txs = Array.from({ length: PER_BLOCK }, (_, k) => classicTx(`window ${i}-${k}`, ts));
      const block = makeBlock(WINDOW, parent, txs, ts);
      const r = await request('127.0.0.1', port, 'nb', { block }, { timeoutMs: 30_000 });
      assert.deepEqual(r, { status: 'Accepted' }, `block ${block.index}`);
      if (i === 0 || i === BLOCKS / 2 || i === BLOCKS - 1) kept.push(txs[0] as Transaction, txs[PER_BLOCK - 1] as Transaction);
      parent = block;
    }
    assert.equal(await height(port), BLOCKS + 1);
    for (const [k, tx] of kept.entries()) await assertDuplicate(port, tx, `transaction ${k} of the kept ones`);
    assert.ok(first.running, first.stderr);

    // Killed without a chance to close anything; the restart rebuilds the window from blocks.log.
    await first.kill('SIGKILL');
    const second = smallPeer(flags);
    const port2 = await second.listening(60_000);
    assert.match(second.stderr, new RegExp(`restored height ${BLOCKS + 1} `));
    assert.equal(await height(port2), BLOCKS + 1);
    for (const [k, tx] of kept.entries()) await assertDuplicate(port2, tx, `transaction ${k} of the kept ones, after the restart`);
    // Still accepting: a fresh transaction goes into the pool.
    assert.equal((await request('127.0.0.1', port2, 'tx', classicTx('after the restart'))).status, 'Accepted');
    assert.ok(second.running, second.stderr);
  });
});
