import assert from 'node:assert/strict';
import { ChainState, RETARGET_NETWORK, targetFromHex, targetToHex, workOfTarget, type Block, type Transaction } from '@chain/core';
import { until } from '@chain/testkit';
import { flags, procs } from './helpers';

const INITIAL = targetFromHex(RETARGET_NETWORK.retarget!.initialTarget);

/** The blocks of the peer at `target` through `chain-peer chain --json` (less the ids it adds), the genesis first. */
async function chainOf(target: string): Promise<Block[]> {
  const r = await procs.run(['chain', target, '--json']);
  assert.equal(r.code, 0, r.err);
  return r.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Omit<Block, 'transactions'> & { transactions: (Transaction & { id: string })[] })
    .map((b) => ({ ...b, transactions: b.transactions.map(({ id: _id, ...tx }) => tx) }) as Block);
}

/** Peer A's height in the last status table printed (0 before the first). */
function heightOfA(stdout: string): number {
  const rows = [...stdout.matchAll(/^A +(\d+) /gm)];
  return Number(rows.at(-1)?.[1] ?? 0);
}

describe('chain-peer devnet --network retarget', function () {
  this.timeout(120_000);

  it('mines a chain whose blocks meet targets retargeted away from the initial one; the explorer shows them', async () => {
    const devnet = procs.start(flags`devnet --peers 2 --base-port 0 --workers 1 --traffic 20 --http 0 --network retarget --interval 1000`);
    const port = (await devnet.waitFor(/^devnet: 2 peers on network retarget \(mining, 1 worker each\): A 127\.0\.0\.1:(\d+), B/m))[1]!;
    const HEIGHT = 6;
    await until(() => heightOfA(devnet.stdout) >= HEIGHT, `block ${HEIGHT} on peer A in the status table`, 100_000);
    const url = (await devnet.waitFor(/^explorer on (http:\/\/127\.0\.0\.1:\d+\/)/m))[1]!;
    const blocks = await chainOf(`127.0.0.1:${port}`);
    assert.ok(blocks.length >= HEIGHT, `${blocks.length} blocks`);

    // A chain state of the preset takes every block only if each meets the target its chain sets.
    const state = await ChainState.open({ params: 'retarget' });
    assert.equal(blocks[0]!.currentHash, state.tip.hash, 'the genesis of the retarget preset');
    const results = await state.addBlocks(blocks.slice(1), Date.now());
    for (const r of results) assert.ok(r.ok, `refused: ${JSON.stringify(r)}`);
    assert.equal(state.height, blocks.length);
    const targets = blocks.slice(1).map((b) => state.targetAfter(b.previousHash));
    assert.deepEqual(targets.slice(0, 2), [INITIAL, INITIAL], 'blocks 2 and 3 have the initial target');
    // Only a chain exactly on its schedule to the millisecond keeps the initial target.
    assert.ok(
      targets.slice(2).some((t) => t !== INITIAL),
      `from block 4 on the target moved with the intervals: ${targets.map((t) => t.toString(16)).join(', ')}`,
    );
    // The explorer gives the same target and work for each block (asked by hash: a reorganisation since changes nothing).
    for (const [k, b] of blocks.slice(1).entries()) {
      const detail = (await (await fetch(`${url}api/blocks/${b.currentHash}`)).json()) as { target: string; work: string };
      const t = targets[k]!;
      assert.deepEqual([detail.target, detail.work], [targetToHex(t), workOfTarget(t).toString()], `block ${b.index} in the explorer`);
    }
    devnet.child.kill('SIGINT');
    assert.equal(await devnet.exited, 0);
  });
});
