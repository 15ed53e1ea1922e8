import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ChainState,
  createTemplate,
  findProof,
  hexToBytes,
  metaOf,
  sealBlock,
  signTransaction,
  txId,
  type AddBlockResult,
  type Block,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { EASY_SIGNED } from '@chain/testkit';
import { VerifyPool } from '../src/verify-pool';
import { addBlocksVerified, preverifyBlocks, preverifyTransactions } from '../src/preverify';
import { silentLogger } from '@chain/net';
import { Intake } from '../src/intake';
import { startPeer } from './helpers';

const SEED = hexToBytes('00678906052f4bb7a9eeff7b7f0ab918a703a4a7ed65313f43205b377a407af3');
const T0 = EASY_SIGNED.genesisTime;
const NOW = T0 + 100_000;

/** Blocks `txCounts.length` long on the genesis; the transactions at `bad` (a flat index) carry a wrong signature. */
function signedChain(chain: ChainState, txCounts: readonly number[], bad: ReadonlySet<number>, mutate: 'flip' | 'other' = 'flip'): Block[] {
  const genesisHash = chain.genesisHash;
  const blocks: Block[] = [];
  let parent = chain.meta(genesisHash) as Parameters<typeof createTemplate>[0];
  let k = 0;
  for (let i = 0; i < txCounts.length; i++) {
    const ts = NOW - 50_000 + i * 10;
    const txs: Transaction[] = [];
    for (let j = 0; j < (txCounts[i] as number); j++, k++) {
      let tx = signTransaction({
        genesisHash,
        secretKey: SEED,
        content: `b${i} t${j}`,
        timestamp: ts,
        ed25519: nodeEd25519,
      }) as Transaction & {
        signature: string;
      };
      if (bad.has(k)) {
        const sig =
          mutate === 'flip'
            ? (tx.signature[0] === '0' ? '1' : '0') + tx.signature.slice(1)
            : signTransaction({ genesisHash, secretKey: SEED, content: 'other', timestamp: ts, ed25519: nodeEd25519 }).signature;
        tx = { ...tx, signature: sig };
      }
      txs.push(tx);
    }
    const t = createTemplate(
      parent,
      txs,
      txs.map((tx) => txId(genesisHash, tx)),
      ts + 1,
      'signed',
    );
    const proof = findProof({
      rule: EASY_SIGNED.pow,
      templateHash: t.templateHash,
      previousProof: t.previousProof,
      difficulty: EASY_SIGNED.difficulty,
    });
    const b = sealBlock(t, proof as number);
    blocks.push(b);
    parent = metaOf(b);
  }
  return blocks;
}

const view = (r: AddBlockResult) =>
  r.ok ? { ok: true, status: r.status, hash: r.block.currentHash } : { ok: false, reason: r.reason, message: r.message };

describe('verify pool', () => {
  let pool: VerifyPool;
  before(() => {
    pool = new VerifyPool(2);
  });
  after(() => pool.close());

  it('verifies in parallel what node:crypto verifies, in order', async () => {
    const chain = await ChainState.open({ params: EASY_SIGNED });
    const blocks = signedChain(chain, [5, 5], new Set([1, 7]));
    const jobs = blocks.flatMap((b) =>
      b.transactions.map((tx) => ({ ...(tx as { sender: string; signature: string }), id: txId(chain.genesisHash, tx) })),
    );
    const expected = jobs.map((j) => nodeEd25519.verify(hexToBytes(j.signature), hexToBytes(j.id), hexToBytes(j.sender)));
    assert.equal(pool.busy, false);
    const verdicts = pool.verify(jobs);
    assert.equal(pool.busy, true, 'verdicts owed while the threads work');
    assert.deepEqual(await verdicts, expected);
    assert.equal(pool.busy, false);
    assert.deepEqual(expected.filter((v) => !v).length, 2);
    assert.equal(pool.threads, 2);
  });

  it('gives exactly the results of adding the blocks without it, on valid and on bad batches (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.nat({ max: 179 }), { maxLength: 3 }),
        fc.constantFrom('flip' as const, 'other' as const),
        fc.boolean(),
        fc.constantFrom(1, 7, 25, 512),
        async (counts, badList, mutate, junk, sliceTxs) => {
          const plain = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
          const pooled = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
          const blocks: unknown[] = signedChain(plain, counts, new Set(badList), mutate);
          if (junk) blocks.splice(1, 0, { transactions: [null, 7, { sender: 'zz' }] }, 'not a block');
          const a = (await plain.addBlocks(blocks, NOW)).map(view);
          const b = (await addBlocksVerified(pool, pooled, blocks, NOW, { sliceTxs, minBatch: 1 })).map(view);
          assert.deepEqual(b, a);
          assert.equal(pooled.tip.hash, plain.tip.hash);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('admits transactions received together exactly as without it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.uniqueArray(fc.nat({ max: 29 }), { maxLength: 5 }), async (n, badList) => {
        const plain = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
        const pooled = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
        const txs: unknown[] = signedChain(plain, [n], new Set(badList))[0]!.transactions.slice();
        txs.push(txs[0], { sender: 'x' }, null);
        await preverifyTransactions(pool, pooled, txs, 1);
        const view = (r: ReturnType<ChainState['addTransaction']>) =>
          r.ok ? { ok: true, id: r.id } : { ok: false, reason: r.reason, message: r.message };
        assert.deepEqual(
          txs.map((t) => view(pooled.addTransaction(t, NOW))),
          txs.map((t) => view(plain.addTransaction(t, NOW))),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('a burst of received transactions is admitted exactly as one by one without it', async () => {
    const plain = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
    const pooled = await ChainState.open({ params: EASY_SIGNED, ed25519: nodeEd25519 });
    const txs: unknown[] = signedChain(plain, [90], new Set([3, 40, 77]))[0]!.transactions.slice();
    txs.push(txs[5], { sender: 'x' }, null, txs[40]);
    const source = { kind: 'neighbour', address: '10.0.0.1:6000' } as const;
    const a = new Intake({ chain: plain, journal: null, now: () => NOW, logger: silentLogger });
    const b = new Intake({ chain: pooled, journal: null, now: () => NOW, logger: silentLogger, verifyPool: pool });
    const view = (r: Awaited<ReturnType<Intake['admit']>>) =>
      r.ok ? { ok: true, id: r.id } : { ok: false, reason: r.reason, message: r.message };
    const one: unknown[] = [];
    for (const t of txs) one.push(view(await a.admit(t, source)));
    const burst = (await Promise.all(txs.map((t) => b.admitReceived(t, source)))).map(view);
    assert.deepEqual(burst, one);
    assert.equal(pooled.pool.size, 87);
  });

  it('skips what the chain verified before and batches below the threshold', async () => {
    const chain = await ChainState.open({ params: EASY_SIGNED });
    const blocks = signedChain(chain, [4], new Set());
    assert.equal(await preverifyBlocks(pool, chain, blocks, 5), 0, 'below the threshold: nothing');
    assert.equal(await preverifyBlocks(pool, chain, blocks, 1), 4);
    assert.equal(await preverifyBlocks(pool, chain, blocks, 1), 0, 'all remembered');
  });

  it('leaves no thread after close, and verifies nothing afterwards', async () => {
    const p = new VerifyPool(3);
    assert.equal(p.threads, 0, 'started on first use');
    const job = { sender: '00'.repeat(32), signature: '00'.repeat(64), id: '00'.repeat(32) };
    assert.deepEqual(await p.verify([job, job, job, job]), [false, false, false, false]);
    assert.equal(p.threads, 3);
    await p.close();
    assert.equal(p.threads, 0);
    assert.deepEqual(await p.verify([job]), [false]);
    await p.close();
  });

  it('a peer with the pool syncs the same chain as one without (three hb rounds, asked ahead)', async () => {
    const helper = await ChainState.open({ params: EASY_SIGNED });
    const blocks = signedChain(helper, [...Array.from({ length: 1100 }, () => 1), 40, 40, 40], new Set());
    const now = () => NOW;
    const source = await startPeer({ network: EASY_SIGNED, now, verifyThreads: 0 });
    const withPool = await startPeer({ network: EASY_SIGNED, now, verifyThreads: 2, neighbours: [source.listenAddress] });
    const without = await startPeer({ network: EASY_SIGNED, now, verifyThreads: 0, neighbours: [source.listenAddress] });
    try {
      const added = await source.acceptBlocks(blocks, { kind: 'local' });
      assert.ok(added.every((r) => r.ok));
      const rounds: number[] = [];
      withPool.on('sync-progress', (e) => rounds.push(e.received));
      const synced = (p: typeof source) =>
        new Promise<void>((resolve) => {
          const check = () => p.chain.height === blocks.length + 1 && (p.off('block', check), resolve());
          p.on('block', check);
          check();
        });
      await Promise.all([synced(withPool), synced(without)]);
      assert.equal(withPool.chain.tip.hash, source.chain.tip.hash);
      assert.equal(without.chain.tip.hash, source.chain.tip.hash);
      assert.deepEqual(rounds.slice(0, 2), [500, 500], 'rounds of 500 blocks, the last one still being reported');
    } finally {
      await Promise.all([withPool.stop(), without.stop(), source.stop()]);
    }
  });
});
