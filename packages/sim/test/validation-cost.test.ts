import assert from 'node:assert/strict';
import { propagation, type PropagationResult } from '../src/scenarios/propagation';
import { transactionsToCheck, checkValidationCost } from '../src/transport/validation';
import { runScenario } from '../src/run';

const TX_PER_BLOCK = 40;

/** Blocks of 40 transactions on 16 peers, 50 ms a hop. */
const run = (validationUsPerTx?: number): Promise<PropagationResult> =>
  propagation({
    seed: 7,
    peers: 16,
    blocks: 4,
    intervalMs: 30_000,
    txPerBlock: TX_PER_BLOCK,
    latency: 'constant:50',
    ...(validationUsPerTx === undefined ? {} : { validationUsPerTx }),
  });

describe('validation cost', function () {
  this.timeout(120_000);

  it('counts the transactions a frame makes its receiver check', () => {
    const tx = { sender: 'a' };
    const block = { transactions: [tx, tx, tx] };
    assert.equal(transactionsToCheck({ kind: 'q', op: 'tx', payload: tx, bytes: 10 }), 1);
    assert.equal(transactionsToCheck({ kind: 'q', op: 'tb', payload: { txs: [tx, tx] }, bytes: 10 }), 2);
    assert.equal(transactionsToCheck({ kind: 'q', op: 'cb', payload: { header: { txCount: 7 }, short: [] }, bytes: 10 }), 7);
    assert.equal(transactionsToCheck({ kind: 'q', op: 'nb', payload: { block }, bytes: 10 }), 3);
    assert.equal(transactionsToCheck({ kind: 'r', op: 'gb', payload: { blocks: [block, block] }, bytes: 10 }), 6);
    assert.equal(transactionsToCheck({ kind: 'r', op: 'gt', payload: { txs: [tx] }, bytes: 10 }), 1);
    assert.equal(transactionsToCheck({ kind: 'q', op: 'ia', payload: { ids: ['x'] }, bytes: 10 }), 0);
    assert.equal(transactionsToCheck({ kind: 'r', op: 'cb', payload: { status: 'Accepted' }, bytes: 10 }), 0);
    assert.equal(transactionsToCheck({ kind: 'fin', bytes: 0 }), 0);
    assert.throws(() => checkValidationCost(-1), /0 or more, got -1/);
    assert.throws(() => checkValidationCost(NaN), /validation cost/);
  });

  it('changes nothing when off, and delays reach times deterministically when on', async () => {
    const free = await run();
    const off = await run(0);
    assert.equal(off.traceHash, free.traceHash, 'a cost of 0 is the run without one');
    assert.deepEqual(off.reachMs, free.reachMs);

    const costly = await run(2000);
    const again = await run(2000);
    assert.equal(again.traceHash, costly.traceHash, 'the same seed and cost give the same run');
    assert.deepEqual(again.reachMs, costly.reachMs);
    assert.notEqual(costly.traceHash, free.traceHash);
    // A full block costs 40 × 2 ms = 80 ms at every peer it passes, and reaching all 16 takes a hop at least.
    const perHop = (TX_PER_BLOCK * 2000) / 1000;
    const p50 = (r: PropagationResult) => r.reachMs['100'].p50 as number;
    assert.ok(p50(costly) >= p50(free) + perHop, `all reached at ${p50(costly)} ms with the cost, ${p50(free)} ms without`);
    assert.equal(costly.blocks, free.blocks);
  });

  it('is a flag of chain-peer sim, refused out of range', async () => {
    const out = await runScenario('propagation', { peers: 4, blocks: 1, interval: 10_000, validationUsPerTx: 500 });
    const config = (out.result as { config: { validationUsPerTx: number; world: { validationUsPerTx: number } } }).config;
    assert.equal(config.validationUsPerTx, 500);
    assert.equal(config.world.validationUsPerTx, 500);
    await assert.rejects(runScenario('propagation', { peers: 4, blocks: 1, validationUsPerTx: -5 }), /validation-us-per-tx/);
  });
});
