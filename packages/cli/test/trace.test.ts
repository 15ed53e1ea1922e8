import assert from 'node:assert/strict';
import { signTransaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { Peer } from '@chain/peer';
import { mineAt, tmpDir, until } from '@chain/testkit';
import { chain } from '../src/commands/chain';
import { send, type SendFlags } from '../src/commands/send';
import { tx } from '../src/commands/tx';
import { EXIT, UsageError } from '../src/errors';
import { EASY_SIGNED } from './helpers';

/** Collected output of one command. */
function sink(): { write: (t: string) => void; text: () => string } {
  let text = '';
  return { write: (t) => (text += t), text: () => text };
}

describe('chain-peer: following a transaction (chain ids, tx, send --wait)', function () {
  this.timeout(30_000);
  let peer: Peer;
  let target: string;
  const env = { CHAIN_PEER_HOME: tmpDir() };
  const base: SendFlags = { timeout: 5000 };

  beforeEach(async () => {
    peer = await Peer.start({ network: EASY_SIGNED, port: 0, dataDir: null, mine: false, heartbeatMs: 60_000 });
    target = `127.0.0.1:${peer.address.port}`;
  });
  afterEach(() => peer.stop());

  async function sent(content: string): Promise<string> {
    const out = sink();
    assert.equal(await send(target, content, { ...base, json: true }, out.write, () => undefined, env), EXIT.ok);
    return JSON.parse(out.text()).id as string;
  }

  const where = async (id: string, depth = 1000): Promise<{ code: number; at: Record<string, unknown> }> => {
    const out = sink();
    const code = await tx(target, id, { timeout: 5000, depth, json: true }, out.write);
    return { code, at: JSON.parse(out.text()) };
  };

  it('chain lists every transaction id (text and JSON), and its footer names the real tip', async () => {
    const id = await sent('traceable');
    await mineAt(peer.address.port);
    for (const c of ['second', 'third']) {
      await sent(c);
      await mineAt(peer.address.port);
    }
    const text = sink();
    await chain(target, { timeout: 5000, from: 1, limit: 2 }, text.write, () => undefined);
    assert.match(text.text(), new RegExp(`^    ${id}  [0-9a-f]{16}…  "traceable"  at `, 'm'));
    assert.ok(text.text().endsWith(`height 4, tip ${peer.chain.tip.hash}\n`), text.text());

    const json = sink();
    await chain(target, { timeout: 5000, from: 2, limit: 1, json: true }, json.write, () => undefined);
    const block = JSON.parse(json.text());
    assert.deepEqual(
      block.transactions.map((t: { id: string; content: string }) => [t.id, t.content]),
      [[id, 'traceable']],
    );
  });

  it('tx says pool, then block with its confirmations, and not known (exit 4) beyond --depth or for a stranger', async () => {
    const id = await sent('where am i');
    assert.deepEqual(await where(id), { code: EXIT.ok, at: { id, where: 'pool', height: 1, pending: 1 } });
    const block = await mineAt(peer.address.port);
    let r = await where(id);
    assert.equal(r.code, EXIT.ok);
    assert.deepEqual(r.at, { id, where: 'block', index: 2, hash: block.currentHash, confirmations: 1, height: 2 });
    await sent('on top');
    await mineAt(peer.address.port);
    r = await where(id);
    assert.equal(r.at.confirmations, 2);

    r = await where(id, 1);
    assert.equal(r.code, EXIT.notKnown);
    assert.deepEqual([r.at.where, r.at.searched], ['unknown', 1]);
    const text = sink();
    await tx(target, id, { timeout: 5000, depth: 1 }, text.write);
    assert.match(text.text(), /is not known: not in its pool, nor in the last 1 block \(tip 3\); look deeper with --depth 3\n$/);

    assert.equal((await where('ab'.repeat(32))).code, EXIT.notKnown);
    await assert.rejects(
      tx(target, 'abcd1234', { timeout: 5000, depth: 10 }, () => undefined),
      UsageError,
    );
  });

  it('tx pages back through a chain longer than one page', async () => {
    const first = await sent('deep');
    await mineAt(peer.address.port);
    const secretKey = new Uint8Array(32).fill(3);
    for (let i = 0; i < 120; i++) {
      const filler = {
        genesisHash: peer.chain.genesisHash,
        secretKey,
        content: `filler ${i}`,
        timestamp: Date.now(),
        ed25519: nodeEd25519,
      };
      assert.equal((await peer.submitTransaction(signTransaction(filler))).ok, true);
      await mineAt(peer.address.port);
    }
    const r = await where(first);
    assert.deepEqual([r.at.where, r.at.index, r.at.confirmations], ['block', 2, 121]);
  });

  it('send --wait prints the block once it has the confirmations asked for, progress on stderr', async () => {
    const out = sink();
    const err = sink();
    const waiting = send(target, 'wait for me', { ...base, wait: 2 }, out.write, err.write, env);
    await until(() => peer.chain.pool.size === 1, 'the transaction in the pool');
    const block = await mineAt(peer.address.port);
    await until(() => /in block 2, 1 of 2 confirmations/.test(err.text()), 'the progress line of one confirmation');
    assert.equal(out.text(), '');
    await sent('the next block');
    await mineAt(peer.address.port);
    assert.equal(await waiting, EXIT.ok);
    assert.match(out.text(), new RegExp(`^Confirmed [0-9a-f]{64} in block 2 ${block.currentHash}, 2 confirmations\n$`));
    assert.match(err.text(), /^Accepted [0-9a-f]{64}; waiting for 2 confirmations\n/m);

    const json = sink();
    const again = send(target, 'as json', { ...base, wait: 1, json: true }, json.write, () => undefined, env);
    await until(() => peer.chain.pool.size === 1, 'the second transaction in the pool');
    const second = await mineAt(peer.address.port);
    assert.equal(await again, EXIT.ok);
    const reply = JSON.parse(json.text());
    assert.deepEqual([reply.status, reply.block, reply.confirmations], ['Accepted', { index: 4, hash: second.currentHash }, 1]);
  });

  it('send --wait gives up after --wait-timeout, saying where the transaction is', async () => {
    await assert.rejects(
      send(
        target,
        'never mined',
        { ...base, wait: 1, waitTimeout: 300 },
        () => undefined,
        () => undefined,
        env,
      ),
      /does not have 1 confirmation at 127\.0\.0\.1:\d+ after 300 ms: waiting in the pool/,
    );
  });
});
