import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMP3221_NETWORK,
  RETARGET_NETWORK,
  ChainState,
  MAX_FUTURE_MS,
  MemoryBlockStore,
  locatorHeights,
  txId,
  type Block,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { TEST_CLASSIC, TEST_SIGNED, buildOn, makeTx, mineNext, openChain } from './helpers';

const T0 = 1767225600000;

/** Mine `n` blocks on `parentHash`, one fresh transaction each, `dt` ms apart; returns them. */
function branch(chain: ChainState, parentRef: string | Block, n: number, t: number, tag: string): Block[] {
  const blocks: Block[] = [];
  let parent = parentRef;
  for (let i = 0; i < n; i++) {
    const ts = t + i;
    const b = buildOn(chain, parent, [makeTx(chain, ts, `${tag} ${i}`)], ts);
    blocks.push(b);
    parent = b;
  }
  return blocks;
}

async function addAll(chain: ChainState, blocks: Block[], now: number) {
  const results = [];
  for (const b of blocks) results.push(await chain.addBlock(b, now));
  return results;
}

function chainTxIds(blocks: Block[], chain: ChainState): string[] {
  return blocks.flatMap((b) => b.transactions.map((tx) => txId(chain.genesisHash, tx)));
}

describe('chain state', () => {
  const now = T0 + 100_000;

  it('opens on a preset by name or on parameters, and refuses a misspelt option', async () => {
    assert.equal((await ChainState.open({ params: 'comp3221' })).params, COMP3221_NETWORK);
    assert.equal((await ChainState.open({ params: 'retarget' })).params, RETARGET_NETWORK);
    assert.equal((await ChainState.open({ params: TEST_CLASSIC })).params, TEST_CLASSIC);
    await assert.rejects(ChainState.open({ params: 'devnet' as never }), /params must be a preset name \(default, comp3221, retarget\)/);
    await assert.rejects(ChainState.open({ params: { ...TEST_CLASSIC, pow: 'x' } as never }), /network field "pow"/);
    await assert.rejects(
      ChainState.open({ params: TEST_CLASSIC, poolcap: 5 } as never),
      /unknown chain option "poolcap" \(did you mean "poolCap"\?\)/,
    );
  });

  it('extends the best chain and empties the pool of mined transactions', async () => {
    const chain = await openChain(TEST_SIGNED);
    const b2 = await mineNext(chain, now, 3);
    assert.equal(chain.height, 2);
    assert.equal(chain.tip.hash, b2.currentHash);
    assert.equal(chain.pool.size, 0);
    for (const tx of b2.transactions) assert.equal(chain.txHeight(txId(chain.genesisHash, tx)), 2);
    const again = chain.addTransaction(b2.transactions[0], now);
    assert.equal(!again.ok && again.reason, 'duplicate');
    const known = await chain.addBlock(b2, now);
    assert.ok(known.ok && known.status === 'known');
  });

  it('unknown parent, future blocks refused for now but not forever', async () => {
    const chain = await openChain();
    const [a, b] = branch(chain, chain.genesisHash, 2, now, 'x');
    const r = await chain.addBlock(b, now);
    assert.equal(!r.ok && r.reason, 'unknown-parent');
    assert.equal(chain.height, 1);
    assert.ok((await chain.addBlock(a, now)).ok);
    assert.ok((await chain.addBlock(b, now)).ok);
    const future = branch(chain, b!, 1, now + 200_000, 'future')[0] as Block;
    const early = await chain.addBlock(future, now);
    assert.equal(!early.ok && early.reason, 'future');
    const later = await chain.addBlock(future, now + 100_000);
    assert.ok(later.ok && later.status === 'extended');
  });

  it('equal height: the chain seen first stays', async () => {
    const chain = await openChain();
    const [a] = branch(chain, chain.genesisHash, 1, now, 'a');
    const [b] = branch(chain, chain.genesisHash, 1, now, 'b');
    assert.ok((await chain.addBlock(a, now)).ok);
    const r = await chain.addBlock(b, now);
    assert.ok(r.ok && r.status === 'side');
    assert.equal(chain.tip.hash, a!.currentHash);
    assert.equal(chain.sideBlockCount, 1);
  });

  it('reorganises to a longer chain and fixes up the pool', async () => {
    const chain = await openChain();
    const shared = makeTx(chain, now, 'in both');
    const onlyOld = makeTx(chain, now, 'only old');
    const pending = makeTx(chain, now, 'pending then mined');
    assert.ok(chain.addTransaction(pending, now).ok);
    const a1 = buildOn(chain, chain.genesisHash, [shared, onlyOld], now);
    assert.ok((await chain.addBlock(a1, now)).ok);
    const b1 = buildOn(chain, chain.genesisHash, [shared], now);
    const b2 = buildOn(chain, b1, [pending], now + 1);
    assert.ok(((await chain.addBlock(b1, now)) as { status: string }).status === 'side');
    const r = await chain.addBlock(b2, now + 1);
    assert.ok(r.ok && r.status === 'reorg');
    assert.deepEqual(
      r.connected.map((b) => b.currentHash),
      [b1.currentHash, b2.currentHash],
    );
    assert.deepEqual(
      r.disconnected.map((b) => b.currentHash),
      [a1.currentHash],
    );
    assert.deepEqual(r.returnedToPool, [txId(chain.genesisHash, onlyOld)]);
    assert.deepEqual(
      chain.pool.list().map((e) => e.tx),
      [onlyOld],
    );
    assert.equal(chain.height, 3);
    assert.equal(chain.hashAt(2), b1.currentHash);
    // The abandoned block's transaction is spendable again; the new chain's ones are not.
    const t = chain.template(now + 2);
    assert.deepEqual(t?.transactions, [onlyOld]);
    assert.equal((chain.addTransaction(pending, now + 2) as { reason: string }).reason, 'duplicate');
  });

  it('a deep reorg of 100 blocks', async () => {
    const chain = await openChain();
    const main = branch(chain, chain.genesisHash, 100, now, 'main');
    await addAll(chain, main, now + 1000);
    assert.equal(chain.height, 101);
    const rival = branch(chain, chain.genesisHash, 101, now, 'rival');
    const results = await addAll(chain, rival, now + 1000);
    assert.ok(results.slice(0, 100).every((r) => r.ok && r.status === 'side'));
    const last = results[100]!;
    assert.ok(last.ok && last.status === 'reorg');
    assert.equal(last.connected.length, 101);
    assert.equal(last.disconnected.length, 100);
    assert.equal(chain.height, 102);
    assert.equal(chain.tip.hash, rival[100]!.currentHash);
    // The 100 abandoned transactions are back in the pool, none twice.
    assert.equal(chain.pool.size, 100);
    assert.deepEqual(new Set(chain.pool.list().map((e) => e.id)), new Set(chainTxIds(main, chain)));
  });

  it('a longer chain with an invalid block deep inside is not adopted', async () => {
    const chain = await openChain();
    const main = branch(chain, chain.genesisHash, 10, now, 'main');
    await addAll(chain, main, now + 1000);
    // A rival of 20 blocks, properly mined, whose 5th block spends a transaction of its 2nd again.
    const rival = branch(chain, chain.genesisHash, 4, now, 'rival');
    const doubleSpend = buildOn(chain, rival[3]!, [rival[1]!.transactions[0]!], now + 4);
    const rest = branch(chain, doubleSpend, 15, now + 5, 'rest');
    const results = await addAll(chain, [...rival, doubleSpend, ...rest], now + 1000);
    assert.ok(results.slice(0, 4).every((r) => r.ok && r.status === 'side'));
    const r5 = results[4]!;
    assert.equal(!r5.ok && r5.reason, 'bad-transactions');
    assert.match((r5 as { message: string }).message, /already in the chain/);
    assert.ok(results.slice(5).every((r) => !r.ok && r.reason === 'bad-previous-hash'));
    assert.equal(chain.tip.hash, main[9]!.currentHash);
    assert.equal(chain.height, 11);
    assert.equal(chain.invalidReason(doubleSpend.currentHash)?.reason, 'bad-transactions');
    assert.equal(chain.invalidReason(rest[14]!.currentHash)?.reason, 'bad-previous-hash');
  });

  it('forgets a side branch whole once its base is below the fork depth', async () => {
    const chain = await ChainState.open({ params: TEST_CLASSIC, ed25519: nodeEd25519, maxForkDepth: 2 });
    const main = branch(chain, chain.genesisHash, 4, now, 'main');
    const side = branch(chain, chain.genesisHash, 5, now, 'side');
    await addAll(chain, main.slice(0, 3), now + 1000);
    const sideResults = await addAll(chain, side.slice(0, 3), now + 1000);
    assert.ok(sideResults.every((r) => r.ok && r.status === 'side'));
    await chain.addBlock(main[3], now + 1000); // tip 5: the side branch's base (height 2) is below the floor
    assert.equal(chain.sideBlockCount, 0);
    assert.equal(chain.meta(side[2]!.currentHash), undefined);
    const late = await chain.addBlock(side[3], now + 1000);
    assert.equal(!late.ok && late.reason, 'unknown-parent');
    assert.equal(chain.tip.hash, main[3]!.currentHash);
  });

  it('locators, findFork and blocksFrom', async () => {
    assert.deepEqual(locatorHeights(1), [1]);
    assert.deepEqual(locatorHeights(2), [2, 1]);
    assert.deepEqual(locatorHeights(20), [20, 19, 18, 16, 12, 4, 1]);
    assert.ok(locatorHeights(2 ** 40).length <= 42);
    const chain = await openChain();
    const main = branch(chain, chain.genesisHash, 20, now, 'm');
    await addAll(chain, main, now + 1000);
    const loc = chain.locator();
    assert.equal(loc.length, locatorHeights(21).length);
    assert.equal(loc[0], chain.tip.hash);
    assert.equal(loc[loc.length - 1], chain.genesisHash);
    assert.equal(chain.findFork(loc), 21);
    assert.equal(chain.findFork(['0'.repeat(64), main[4]!.currentHash]), 6);
    assert.equal(chain.findFork(['0'.repeat(64)]), null);
    const blocks = await chain.blocksFrom(7, 500);
    assert.equal(blocks.length, 15);
    assert.equal(blocks[0]!.index, 7);
  });

  it('restores best chain, side branches and the transaction index from its store', async () => {
    const store = new MemoryBlockStore();
    const chain = await openChain(TEST_SIGNED, store);
    const main = branch(chain, chain.genesisHash, 5, now, 'main');
    const side = branch(chain, main[1]!, 2, now + 2, 'side');
    await addAll(chain, [...main, ...side], now + 1000);
    const reopened = await ChainState.open({ params: TEST_SIGNED, store, ed25519: nodeEd25519 });
    assert.equal(reopened.tip.hash, chain.tip.hash);
    assert.equal(reopened.sideBlockCount, 2);
    assert.deepEqual(reopened.locator(), chain.locator());
    const replay = await reopened.addTransaction(main[2]!.transactions[0], now + 1000);
    assert.equal(!replay.ok && replay.reason, 'duplicate');
    // The side branch still wins once it is longer.
    const more = branch(reopened, side[1]!, 2, now + 4, 'side+');
    const r = await addAll(reopened, more, now + 1000);
    assert.ok(r[1]!.ok && r[1]!.status === 'reorg');
  });

  it('the transaction index horizon follows the tip, never moves back, and is rebuilt on reopening', async () => {
    const store = new MemoryBlockStore();
    const chain = await openChain(TEST_CLASSIC, store);
    const ttl = TEST_CLASSIC.txTtlMs;
    const horizonOf = (b: { timestamp: number }) => b.timestamp - ttl - MAX_FUTURE_MS;
    assert.equal(chain.indexHorizon, horizonOf(chain.genesis));
    const idOf = (b: Block) => txId(chain.genesisHash, b.transactions[0]!);
    const b2 = buildOn(chain, chain.genesisHash, [makeTx(chain, T0 + 1000)], T0 + 1000);
    const late = T0 + 2 * ttl;
    const b3 = buildOn(chain, b2, [makeTx(chain, late)], late);
    await addAll(chain, [b2, b3], late);
    assert.equal(chain.indexHorizon, horizonOf(b3));
    assert.equal(chain.txHeight(idOf(b2)), undefined); // at or before the horizon: left the index
    assert.equal(chain.txHeight(idOf(b3)), 3);
    // A longer branch whose tip is older: the horizon stays where it was.
    const c3 = buildOn(chain, b2, [makeTx(chain, T0 + 2000)], T0 + 2000);
    const c4 = buildOn(chain, c3, [makeTx(chain, T0 + 3000)], T0 + 3000);
    const r = await addAll(chain, [c3, c4], late);
    assert.ok(r[1]!.ok && r[1]!.status === 'reorg');
    assert.equal(chain.indexHorizon, horizonOf(b3));
    assert.equal(chain.txHeight(idOf(c3)), undefined);
    // Reopened, the index is rebuilt from the tip it has.
    const reopened = await ChainState.open({ params: TEST_CLASSIC, store });
    assert.equal(reopened.tip.hash, c4.currentHash);
    assert.equal(reopened.indexHorizon, horizonOf(c4));
    assert.equal(reopened.txHeight(idOf(c3)), 3);
    assert.equal(reopened.txHeight(idOf(b2)), 2);
  });

  it('reopening rebuilds the index over more blocks than the store is asked for at once, up to the horizon', async () => {
    const store = new MemoryBlockStore();
    const chain = await openChain(TEST_CLASSIC, store);
    // 150 blocks, about 100 of them after the horizon of the last one.
    const step = Math.ceil((TEST_CLASSIC.txTtlMs + MAX_FUTURE_MS) / 100);
    let parent: string | Block = chain.genesisHash;
    const blocks: Block[] = [];
    for (let i = 0; i < 150; i++) {
      const ts = T0 + 1000 + i * step;
      parent = buildOn(chain, parent, [makeTx(chain, ts)], ts);
      blocks.push(parent);
      assert.ok((await chain.addBlock(parent, ts)).ok);
    }
    const reopened = await ChainState.open({ params: TEST_CLASSIC, store });
    assert.equal(reopened.indexHorizon, chain.indexHorizon);
    const heights = chainTxIds(blocks, chain).map((id) => reopened.txHeight(id));
    assert.deepEqual(
      heights,
      chainTxIds(blocks, chain).map((id) => chain.txHeight(id)),
    );
    const indexed = heights.filter((h) => h !== undefined).length;
    assert.ok(indexed > 64 && indexed < 150, `${indexed} blocks indexed`);
  });

  it('reorganisations never lose or duplicate a transaction', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ fork: fc.nat({ max: 1000 }), take: fc.nat({ max: 5 }), submit: fc.nat({ max: 3 }) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (ops) => {
          const chain = await openChain(TEST_CLASSIC);
          const universe = new Map<string, Transaction>();
          const blocks: Block[] = [chain.genesis];
          const ancestry = new Map<string, Set<string>>([[chain.genesisHash, new Set()]]);
          let n = 0;
          for (const op of ops) {
            for (let i = 0; i < op.submit; i++) {
              const tx = makeTx(chain, now, `u${n++}`);
              const r = chain.addTransaction(tx, now);
              assert.ok(r.ok);
              universe.set(r.id, tx);
            }
            const parent = blocks[op.fork % blocks.length]!;
            const taken = ancestry.get(parent.currentHash)!;
            const candidates = [...universe.entries()].filter(([id]) => !taken.has(id)).slice(0, Math.min(op.take, 5));
            if (candidates.length === 0) continue;
            const block = buildOn(
              chain,
              parent.currentHash,
              candidates.map(([, tx]) => tx),
              now,
            );
            const r = await chain.addBlock(block, now);
            assert.ok(r.ok, r.ok ? '' : r.message);
            blocks.push(block);
            ancestry.set(block.currentHash, new Set([...taken, ...candidates.map(([id]) => id)]));
            // Invariant: every transaction is exactly once in the best chain or the pool.
            const best = await chain.blocksFrom(1, chain.height);
            const ids = [...chainTxIds(best, chain), ...chain.pool.list().map((e) => e.id)];
            assert.equal(ids.length, universe.size);
            assert.deepEqual(new Set(ids), new Set(universe.keys()));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
