import assert from 'node:assert/strict';
import { txId, type Transaction } from '@chain/core';
import { createClient, request } from '@chain/net';
import type { TxReply } from '@chain/protocol';
import { killAll, mineAt, tmpDir } from '@chain/testkit';
import { SIGNED, assertServed, genesisOf, servedDuring, signedTx, snapshot, startPeer, type PeerProcess } from '../lib/harness';

const GENESIS = genesisOf(SIGNED).currentHash;
const MB = 1024 * 1024;
const OTHER = { ...SIGNED, name: 'adv-other' };

function submit(port: number, tx: unknown): Promise<TxReply> {
  return request('127.0.0.1', port, 'tx', tx as Transaction, { timeoutMs: 5000 });
}

/** Flip one hex digit of a signature. */
function flip(sig: string, at = 10): string {
  return sig.slice(0, at) + (sig[at] === '0' ? '1' : '0') + sig.slice(at + 1);
}

describe('transactions: every refusal has its reason and leaves the pool alone', function () {
  let peer: PeerProcess;
  let port: number;

  before(async () => {
    peer = await startPeer({ network: SIGNED, dataDir: tmpDir() });
    port = peer.port;
    assert.equal((await submit(port, signedTx(SIGNED, 'first'))).status, 'Accepted');
    await mineAt(port);
    assert.equal((await submit(port, signedTx(SIGNED, 'waiting'))).status, 'Accepted');
  });
  after(killAll);

  /** Submit `tx` while an honest client is served; expect exactly `reason` and an unchanged chain and pool. */
  async function refused(tx: unknown, reason: string, message?: RegExp): Promise<void> {
    const before = await snapshot(port, SIGNED);
    const { result, worst } = await servedDuring(port, submit(port, tx));
    assert.equal(result.status, 'Rejected', JSON.stringify(result));
    assert.equal(result.status === 'Rejected' && result.reason, reason, JSON.stringify(result));
    if (message && result.status === 'Rejected') assert.match(result.message, message);
    assert.ok(result.status === 'Rejected' && result.message.length <= 1024);
    assert.deepEqual(await snapshot(port, SIGNED), before, 'chain and pool unchanged');
    assert.ok(worst < 1000, `honest client waited ${worst} ms`);
  }

  it('bad signature: Rejected bad-signature', async () => {
    const tx = signedTx(SIGNED, 'tampered signature') as Transaction & { signature: string };
    await refused({ ...tx, signature: flip(tx.signature) }, 'bad-signature', /does not verify/);
  });

  it('a signature by another key: Rejected bad-signature', async () => {
    const tx = signedTx(SIGNED, 'stolen sender') as Transaction & { signature: string };
    const other = signedTx(SIGNED, 'stolen sender', tx.timestamp, new Uint8Array(32).fill(9)) as Transaction & { signature: string };
    await refused({ ...tx, signature: other.signature }, 'bad-signature');
  });

  it("another network's transaction: its id commits to the other genesis, so the signature fails (bad-signature)", async () => {
    await refused(signedTx(OTHER, 'replayed from another network'), 'bad-signature');
  });

  it('a duplicate of a pool transaction: Rejected duplicate', async () => {
    const tx = signedTx(SIGNED, 'twice');
    assert.equal((await submit(port, tx)).status, 'Accepted');
    await refused(tx, 'duplicate', /already in the pool/);
  });

  it('a replay of a mined transaction: Rejected duplicate', async () => {
    const tx = signedTx(SIGNED, 'mined then replayed');
    assert.equal((await submit(port, tx)).status, 'Accepted');
    // The template may lag a new transaction by a few milliseconds: mine until it is in a block.
    let mined = false;
    for (let i = 0; i < 5 && !mined; i++) mined = (await mineAt(port)).transactions.some((t) => txId(GENESIS, t) === txId(GENESIS, tx));
    assert.ok(mined, 'the transaction was mined');
    await refused(tx, 'duplicate', /already in the chain/);
  });

  it('timestamp at the end of the TTL: Rejected stale', async () => {
    await refused(signedTx(SIGNED, 'too old', Date.now() - SIGNED.txTtlMs - 1000), 'stale');
  });

  it('timestamp more than 120 s ahead: Rejected future', async () => {
    await refused(signedTx(SIGNED, 'too new', Date.now() + 125_000), 'future');
  });

  it('timestamp 100 s ahead is within the window: Accepted', async () => {
    const reply = await submit(port, signedTx(SIGNED, 'slightly ahead', Date.now() + 100_000));
    assert.equal(reply.status, 'Accepted');
  });

  it('70 characters of content: Accepted; 71: Rejected bad-content', async () => {
    assert.equal((await submit(port, signedTx(SIGNED, 'x'.repeat(70)))).status, 'Accepted');
    const tx = signedTx(SIGNED, 'y'.repeat(70)) as Transaction & { signature: string };
    // Signed over the 71-character content, so only the content rule can refuse it.
    const long = { ...tx, content: 'y'.repeat(71) };
    await refused(long, 'bad-content', /1-70 printable ASCII/);
  });

  it('a `|` in the content: Rejected bad-content', async () => {
    const tx = signedTx(SIGNED, 'pipe') as Transaction;
    await refused({ ...tx, content: 'a|b' }, 'bad-content');
  });

  it('a control character in the content: Rejected bad-content', async () => {
    const tx = signedTx(SIGNED, 'ctl') as Transaction;
    await refused({ ...tx, content: 'a\nb' }, 'bad-content');
  });

  for (const field of ['content', 'sender', 'signature'] as const) {
    it(`a 1 MiB ${field}: Rejected ${field === 'content' ? 'bad-content' : field === 'sender' ? 'bad-sender' : 'bad-signature'}, with a short message`, async () => {
      const tx = signedTx(SIGNED, 'huge field') as Transaction;
      const reason = field === 'content' ? 'bad-content' : field === 'sender' ? 'bad-sender' : 'bad-signature';
      await refused({ ...tx, [field]: 'a'.repeat(MB) }, reason);
    });
  }

  it('a flood of 10,000 valid transactions past a pool cap of 1,000: exactly 1,000 Accepted, 9,000 pool-full, memory bounded', async function () {
    this.timeout(120_000);
    const flooded = await startPeer({ network: SIGNED, dataDir: tmpDir(), poolCap: 1000 });
    const txs = Array.from({ length: 10_000 }, (_, i) => signedTx(SIGNED, `flood ${i}`));
    const rss0 = flooded.rss();
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, flooded.rss())), 50);
    const clients = Array.from({ length: 4 }, () =>
      createClient({ host: '127.0.0.1', port: flooded.port, requestTimeoutMs: 60_000, maxQueue: 10_000 }),
    );
    try {
      const { result: replies, worst } = await servedDuring(
        flooded.port,
        Promise.all(txs.map((tx, i) => (clients[i % clients.length] as ReturnType<typeof createClient>).request('tx', tx))),
      );
      const accepted = replies.filter((r) => r.status === 'Accepted').length;
      const full = replies.filter((r) => r.status === 'Rejected' && r.reason === 'pool-full').length;
      assert.equal(accepted, 1000);
      assert.equal(full, 9000);
      assert.ok(worst < 1000, `honest client waited ${worst} ms`);
    } finally {
      clearInterval(sampler);
      await Promise.all(clients.map((c) => c.close()));
    }
    const after = await snapshot(flooded.port, SIGNED);
    assert.equal(after.pending, 1000);
    assert.equal(after.height, 1);
    assert.ok(peak - rss0 < 96 * MB, `RSS grew by ${((peak - rss0) / MB).toFixed(1)} MiB`);
    // Once a block makes room, the pool takes transactions again.
    await mineAt(flooded.port);
    assert.equal((await submit(flooded.port, signedTx(SIGNED, 'after the flood'))).status, 'Accepted');
    await assertServed(flooded.port);
  });
});
