import assert from 'node:assert/strict';
import { checkTxFormat, verifyTxSignature, type AddTxResult, type SignedTransaction } from '@chain/core';
import { MAX_TRAFFIC, TrafficGenerator, type TrafficTarget } from '../src/devnet/traffic';

const GENESIS = 'ab'.repeat(32);

/** A target that records what it is given and answers as told. */
function target(
  answer: (tx: unknown) => Promise<AddTxResult> = async (tx) => ({ ok: true, status: 'Accepted', id: 'x', tx: tx as never }),
): TrafficTarget & { got: unknown[] } {
  const got: unknown[] = [];
  return { got, submitTransaction: (tx) => (got.push(tx), answer(tx)) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('TrafficGenerator', () => {
  it('sends at the rate, from the first tick, spread over the targets and its senders', async () => {
    let now = 1_000_000;
    const targets = [target(), target(), target()];
    const g = new TrafficGenerator({ targets, txFormat: 'signed', genesisHash: GENESIS, rate: 2, now: () => now });
    assert.equal(g.tick(), 1); // at once
    for (let i = 0; i < 20; i++) {
      await settle();
      now += 500;
      g.tick();
    }
    await settle();
    assert.equal(g.sent, 21); // 10 s at 2 tx/s, and the first
    assert.equal(g.accepted, 21);
    assert.deepEqual(
      targets.map((t) => t.got.length),
      [7, 7, 7],
    );
    const txs = targets.flatMap((t) => t.got) as SignedTransaction[];
    assert.equal(new Set(txs.map((t) => t.sender)).size, 4);
    assert.equal(new Set(txs.map((t) => t.content)).size, 21);
    for (const tx of txs) {
      const c = checkTxFormat('signed', GENESIS, tx);
      assert.ok(c.ok, JSON.stringify(c));
      assert.ok(verifyTxSignature(tx, c.id));
      assert.ok(tx.timestamp >= 1_000_000 && tx.timestamp <= now);
    }
  });

  it('a fractional rate sends one every 1/rate seconds; a long stall does not burst', () => {
    let now = 0;
    const t = target();
    const g = new TrafficGenerator({ targets: [t], txFormat: 'classic', genesisHash: GENESIS, rate: 0.5, now: () => now });
    g.tick();
    const sent = [g.sent];
    for (let i = 0; i < 4; i++) {
      now += 1000;
      g.tick();
      sent.push(g.sent);
    }
    assert.deepEqual(sent, [1, 1, 2, 2, 3]);
    assert.match((t.got[0] as { sender: string }).sender, /^devn\d{4}$/);
    const fast = new TrafficGenerator({ targets: [t], txFormat: 'classic', genesisHash: GENESIS, rate: 10, now: () => now });
    fast.tick();
    now += 60_000;
    assert.equal(fast.tick(), 10); // one second's worth, not 600
  });

  it('counts rejections and stops sending while too many submissions are unanswered', async () => {
    let now = 0;
    const refusing = target(
      async () => ({ ok: false, status: 'Rejected', reason: 'pool-full', message: 'the pool is full' }) as AddTxResult,
    );
    const g = new TrafficGenerator({ targets: [refusing], txFormat: 'classic', genesisHash: GENESIS, rate: 5, now: () => now });
    g.tick();
    now += 1000;
    g.tick();
    await settle();
    assert.equal(g.rejected, 6);
    assert.equal(g.lastRejection, 'pool-full (the pool is full)');

    const stuck = target(() => new Promise(() => undefined));
    const h = new TrafficGenerator({ targets: [stuck], txFormat: 'classic', genesisHash: GENESIS, rate: 4, now: () => now });
    for (let i = 0; i < 100; i++) {
      now += 1000;
      h.tick();
    }
    assert.equal(stuck.got.length, 4 + 16);
  });

  it('refuses a rate out of range', () => {
    for (const rate of [0, -1, MAX_TRAFFIC + 1, NaN]) {
      assert.throws(
        () => new TrafficGenerator({ targets: [target()], txFormat: 'signed', genesisHash: GENESIS, rate }),
        /rate must be more than 0 and at most 1000/,
      );
    }
  });
});
