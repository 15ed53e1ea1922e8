import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { txId, type Block } from '@chain/core';
import { createClient, request } from '@chain/net';
import { freePort, killAll, mineAt, proofFor, until } from '@chain/testkit';
import {
  CLASSIC,
  assertServed,
  chainOf,
  classicTx,
  cliPeerFlags,
  genesisOf,
  snapshot,
  startCli,
  startPeer,
  scratchNetwork,
} from '../lib/harness';

const GENESIS = genesisOf(CLASSIC).currentHash;

/** Byte offsets and lengths of the records of a record file. */
function records(file: string): { offset: number; length: number }[] {
  const bytes = readFileSync(file);
  const out: { offset: number; length: number }[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    out.push({ offset: at, length: 8 + length });
    at += 8 + length;
  }
  return out;
}

function cliFlags(dir: string, net: string, port = 0, extra: readonly string[] = []): string[] {
  return cliPeerFlags(join(dir, 'data'), net, port, extra);
}

/** A CLI peer with data: `blocks` mined blocks (one transaction each) and `pool` waiting transactions; stopped cleanly. */
async function peerWithData(blocks: number, pool: number): Promise<{ dir: string; net: string; chain: Block[]; poolIds: string[] }> {
  const { dir, net } = scratchNetwork(CLASSIC);
  const p = startCli(cliFlags(dir, net));
  const port = await p.listening();
  for (let i = 0; i < blocks; i++) {
    assert.equal((await request('127.0.0.1', port, 'tx', classicTx(`mined ${i}`))).status, 'Accepted');
    await until(async () => (await request('127.0.0.1', port, 'gp')).templateHash !== null, 'template');
    await mineAt(port);
  }
  for (let i = 0; i < pool; i++) assert.equal((await request('127.0.0.1', port, 'tx', classicTx(`waiting ${i}`))).status, 'Accepted');
  const chain = await chainOf(port);
  const poolIds = (await snapshot(port, CLASSIC)).pool as string[];
  const exit = await p.kill('SIGTERM');
  assert.equal(exit.code, 0);
  return { dir, net, chain, poolIds };
}

describe('crashes and damaged storage', function () {
  afterEach(killAll);

  it('SIGKILL at random moments, 50 times, while transactions and blocks flow: nothing acknowledged is lost, and the peer equals one that never crashed', async function () {
    this.timeout(300_000);
    const { dir, net } = scratchNetwork(CLASSIC);
    // The witness never crashes; each is the other's configured neighbour. (A neighbour it had only learned would be
    // dropped and quarantined for 10 minutes after 5 failed attempts in a row, docs/spec.md §7: a peer killed 50 times is one.)
    const port = await freePort();
    const witness = await startPeer({ network: CLASSIC, dataDir: join(dir, 'witness'), neighbours: [`127.0.0.1:${port}`] });
    const ackedTx = new Set<string>();
    const ackedBlocks = new Map<string, number>();
    let seed = 3221;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const crasher = startCli(cliFlags(dir, net, port, ['--peer', `127.0.0.1:${witness.port}`, '--quiet']));
      await crasher.listening();
      // Everything acknowledged before is still there after the previous SIGKILL.
      const top = Math.max(1, ...ackedBlocks.values());
      assert.ok((await request('127.0.0.1', port, 'pb', { from: top, limit: 1 })).height >= top, `round ${round}: height below ${top}`);
      const client = createClient({ host: '127.0.0.1', port, requestTimeoutMs: 2000, backoff: { initialMs: 10_000 } });
      let flowing = true;
      const flow = (async () => {
        for (let i = 0; flowing; i++) {
          try {
            const tx = classicTx(`round ${round} tx ${i}`);
            // Pipelined: several in flight when the kill lands.
            const replies = await Promise.all(
              [0, 1, 2].map((k) => client.request('tx', k === 0 ? tx : classicTx(`round ${round} tx ${i}.${k}`))),
            );
            for (const r of replies) if (r.status === 'Accepted') ackedTx.add(r.id);
            const work = await client.request('gp');
            if (!work.templateHash) continue;
            const proof = proofFor(work);
            const up = await client.request('up', { proof, templateHash: work.templateHash });
            if (up.status === 'Reward') ackedBlocks.set(up.block.currentHash, up.block.index);
          } catch {
            return; // killed under us
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 30 + Math.floor(random() * 250)));
      const exit = await crasher.kill('SIGKILL');
      assert.equal(exit.signal, 'SIGKILL');
      flowing = false;
      await flow;
      await client.close();
    }
    assert.ok(ackedBlocks.size >= 50, `${ackedBlocks.size} blocks acknowledged`);
    assert.ok(ackedTx.size >= 150, `${ackedTx.size} transactions acknowledged`);

    const restarted = startCli(cliFlags(dir, net, port, ['--peer', `127.0.0.1:${witness.port}`]));
    await restarted.listening();
    const chain = await chainOf(port);
    const onChain = new Set(chain.map((b) => b.currentHash));
    for (const [hash, index] of ackedBlocks) assert.ok(onChain.has(hash), `acknowledged block ${index} ${hash} lost`);
    const minedIds = new Set(chain.flatMap((b) => b.transactions.map((t) => txId(GENESIS, t))));
    const { pool } = await snapshot(port, CLASSIC);
    const held = new Set([...minedIds, ...pool]);
    for (const id of ackedTx) assert.ok(held.has(id), `acknowledged transaction ${id} lost`);
    // The peer that never crashed reaches the same tip and the same pool (its connection to the restarted peer may
    // first wait out its backoff, at most 60 s by docs/spec.md §7).
    await until(
      async () => {
        const [a, b] = [await snapshot(port, CLASSIC), await snapshot(witness.port, CLASSIC)];
        return a.hash === b.hash && JSON.stringify(a.pool) === JSON.stringify(b.pool);
      },
      'the restarted peer and the witness agree',
      75_000,
    );
    assert.deepEqual(
      (await chainOf(witness.port)).map((b) => b.currentHash),
      (await chainOf(port)).map((b) => b.currentHash),
    );
    await assertServed(port);
  });

  for (const file of ['blocks.log', 'pool.log'] as const) {
    it(`a torn last record of ${file}: cut off, reported with file and offset, the peer starts without it`, async () => {
      const { dir, net, chain, poolIds } = await peerWithData(3, 2);
      const path = join(dir, 'data', file);
      const last = records(path).at(-1)!;
      truncateSync(path, statSync(path).size - 5);
      const p = startCli(cliFlags(dir, net));
      const port = await p.listening();
      const torn = last.length - 5;
      assert.match(
        p.stderr,
        new RegExp(`WARN\\s+repaired ${path.replace(/[.]/g, '\\.')}: cut a torn last record of ${torn} bytes at offset ${last.offset}`),
      );
      assert.equal(statSync(path).size, last.offset, 'the file ends at the last good record');
      const s = await snapshot(port, CLASSIC);
      if (file === 'blocks.log') {
        assert.equal(s.height, chain.length - 1);
        assert.equal(s.hash, chain[chain.length - 2]!.currentHash);
      } else {
        assert.equal(s.height, chain.length);
        assert.equal(s.pool.length, poolIds.length - 1);
      }
      await assertServed(port);
    });
  }

  for (const file of ['blocks.log', 'pool.log'] as const) {
    it(`a corrupted middle record of ${file}: refuses to start, naming the file and the offset; the file is left as it was`, async () => {
      const { dir, net } = await peerWithData(3, 3);
      const path = join(dir, 'data', file);
      const middle = records(path)[1]!;
      const bytes = readFileSync(path);
      bytes[middle.offset + 8 + 20] = (bytes[middle.offset + 8 + 20] as number) ^ 0x55;
      writeFileSync(path, bytes);
      const p = startCli(cliFlags(dir, net));
      const exit = await p.exited;
      assert.equal(exit.code, 1);
      assert.match(
        p.stderr,
        new RegExp(`${path.replace(/[.]/g, '\\.')}: corrupt record at byte offset ${middle.offset}: checksum mismatch`),
      );
      assert.doesNotMatch(p.stdout, /listening on/);
      assert.deepEqual(readFileSync(path), bytes, 'nothing repaired, nothing cut');
    });
  }
});
