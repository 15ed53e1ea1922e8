import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { txId, type Transaction } from '@chain/core';
import { ProtocolError, request } from '@chain/net';
import type { HbReply } from '@chain/protocol';
import { killAll, mineAt, tmpDir, until, writeNetworkFile } from '@chain/testkit';
import { FakePeer } from '../lib/fake-peer';
import { CLASSIC, assertServed, chainOf, classicTx, cliPeerFlags, genesisOf, makeChain, snapshot, startCli } from '../lib/harness';

const GENESIS = genesisOf(CLASSIC).currentHash;

/** Every record of a record file is whole: the records end exactly at the end of the file. */
function wholeRecords(file: string): number {
  const bytes = readFileSync(file);
  let at = 0;
  let n = 0;
  while (at + 8 <= bytes.length) {
    at += 8 + bytes.readUInt32BE(at);
    n++;
  }
  assert.equal(at, bytes.length, `${file}: records end at ${at}, the file at ${bytes.length}`);
  return n;
}

/** Fill a file system until it refuses another byte. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('a full disk', function () {
  let mnt: string | undefined;
  let fake: FakePeer | undefined;

  before(function () {
    const dir = tmpDir('chain-adv-tmpfs-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
      mnt = dir;
    } catch (err) {
      console.log(
        `      skipped: cannot mount a 2 MiB tmpfs here (${String((err as Error).message).split('\n')[0]}); run as root to include this case`,
      );
      this.skip();
    }
  });

  after(async () => {
    await killAll();
    await fake?.close();
    if (mnt) execFileSync('umount', [mnt]);
  });

  it('writes fail with an error naming the file, nothing half-written stays, the peer keeps serving and restarts with everything acknowledged', async () => {
    const data = join(mnt as string, 'data');
    mkdirSync(data);
    const net = writeNetworkFile(tmpDir(), CLASSIC);
    fake = await FakePeer.start((): HbReply => ({ height: 1, hash: GENESIS, blocks: [], pool: [] }));
    const flags = cliPeerFlags(data, net, 0, ['--peer', fake.address]);
    const peer = startCli(flags);
    const port = await peer.listening();
    const acked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await request('127.0.0.1', port, 'tx', classicTx(`before the disk fills ${i}`));
      assert.equal(r.status, 'Accepted');
      if (r.status === 'Accepted') acked.push(r.id);
    }
    await until(async () => (await request('127.0.0.1', port, 'gp')).templateHash !== null, 'template');
    await mineAt(port);

    const filler = fill(mnt as string);
    // Transactions: the last page of pool.log may still take a few; then the disk refuses.
    let failure: ProtocolError | undefined;
    for (let i = 0; i < 200 && !failure; i++) {
      const tx = classicTx(`while the disk is full ${i}`);
      try {
        const r = await request('127.0.0.1', port, 'tx', tx);
        assert.equal(r.status, 'Accepted');
        if (r.status === 'Accepted') acked.push(r.id);
      } catch (err) {
        assert.ok(err instanceof ProtocolError, String(err));
        failure = err;
        const s = await snapshot(port, CLASSIC);
        assert.ok(!s.pool.includes(txId(GENESIS, tx)), 'the refused transaction is not in the pool');
      }
    }
    assert.ok(failure, 'a transaction was refused');
    assert.equal(failure.code, 'internal');
    assert.match(
      failure.message,
      new RegExp(`could not store the transaction: ${join(data, 'pool.log').replace(/\./g, '\\.')}: write failed: ENOSPC`),
    );
    assert.match(peer.stderr, /ERROR\s+could not store the transaction: .*pool\.log: write failed: ENOSPC/);
    wholeRecords(join(data, 'pool.log'));

    // Blocks: mined (up) and synced from a neighbour both fail without changing the chain.
    const before = await snapshot(port, CLASSIC);
    const chain = await chainOf(port);
    let blockFailure: ProtocolError | undefined;
    for (let i = 0; i < 50 && !blockFailure; i++) {
      try {
        await mineAt(port);
      } catch (err) {
        assert.ok(err instanceof ProtocolError, String(err));
        blockFailure = err;
      }
    }
    assert.ok(blockFailure, 'a block was refused');
    assert.equal(blockFailure.code, 'internal');
    assert.match(blockFailure.message, /could not store the block: .*blocks\.log: write failed: ENOSPC/);
    const stuck = await snapshot(port, CLASSIC);
    const longer = makeChain(CLASSIC, (await chainOf(port)).at(-1)!, 3, (i) => [classicTx(`from the neighbour ${i}`)]);
    fake.hb = () => ({ height: longer.at(-1)!.index, hash: longer.at(-1)!.currentHash, blocks: longer, pool: [] });
    await peer.waitFor(/ERROR\s+sync with 127\.0\.0\.1:\d+ failed: .*blocks\.log: write failed: ENOSPC/, { stream: 'stderr' });
    assert.ok(peer.running, 'the peer is still running');
    assert.equal((await snapshot(port, CLASSIC)).hash, stuck.hash, 'no block joined the chain');
    wholeRecords(join(data, 'blocks.log'));
    await assertServed(port);
    assert.ok(before.height >= chain.length);

    // Stop cleanly, free the space, restart: no repair needed, everything acknowledged is there.
    assert.equal((await peer.kill('SIGTERM')).code, 0);
    rmSync(filler);
    const again = startCli(flags.filter((f, i) => f !== '--peer' && flags[i - 1] !== '--peer'));
    const port2 = await again.listening();
    assert.doesNotMatch(again.stderr, /repaired/);
    const after = await snapshot(port2, CLASSIC);
    assert.equal(after.hash, stuck.hash);
    const inChain = new Set((await chainOf(port2)).flatMap((b) => b.transactions.map((t: Transaction) => txId(GENESIS, t))));
    for (const id of acked) assert.ok(inChain.has(id) || after.pool.includes(id), `acknowledged ${id} lost`);
    assert.equal(statSync(join(data, 'pool.log')).size > 0, true);
    // With room again, it takes transactions.
    assert.equal((await request('127.0.0.1', port2, 'tx', classicTx('after the disk was freed'))).status, 'Accepted');
  });
});
