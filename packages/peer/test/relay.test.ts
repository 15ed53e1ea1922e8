import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Block } from '@chain/core';
import type { Neighbour } from '../src/neighbours';
import type { IntakeEvents } from '../src/intake';
import { KNOWN_PER_NEIGHBOUR, Relay } from '../src/relay';
import { tx } from './helpers';

/** Transaction ids as they are: SHA-256 outputs in hex. */
const idN = (i: number): string => createHash('sha256').update(String(i)).digest('hex');
const X = idN(0xa);
const Y = idN(0xb);

/** A neighbour connection that records what it is sent and answers `nb` with `nbReply`. */
function neighbour(
  address: string,
  state = 'open',
  nbReply: object = { status: 'Accepted' },
  txReply: () => Promise<object> = () => Promise.resolve({ status: 'Accepted', id: X }),
) {
  const sent: string[] = [];
  const n = {
    address,
    state,
    client: {
      request: (op: string) => {
        sent.push(op);
        return op === 'nb' ? Promise.resolve(nbReply) : txReply();
      },
    },
  };
  return { n: n as unknown as Neighbour, sent };
}

/** A relay on fresh intake events with the one neighbour `n` and no sync expected. */
function relayWithOnly(n: Neighbour) {
  const events = new EventEmitter<IntakeEvents>();
  const only = {
    list: () => [n],
    get: (x: string) => (x === n.address ? n : undefined),
    syncFrom: () => undefined,
    syncOne: () => undefined,
  };
  return { events, relay: new Relay(events, only) };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const BLOCK = { index: 2, currentHash: 'ab'.repeat(32) } as unknown as Block;

describe('relay', () => {
  it('forwards a transaction and a new tip to every open neighbour but the source', async () => {
    const events = new EventEmitter<IntakeEvents>();
    const a = neighbour('10.0.0.1:6000');
    const b = neighbour('10.0.0.2:6000');
    const closed = neighbour('10.0.0.3:6000', 'backoff');
    const relay = new Relay(events, {
      list: () => [a.n, b.n, closed.n],
      get: () => undefined,
      syncFrom: () => assert.fail('no sync'),
      syncOne: () => assert.fail('no sync'),
    });
    events.emit('tx', { id: X, tx: tx(), source: { kind: 'neighbour', address: a.n.address } });
    events.emit('tip', { block: BLOCK, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(a.sent, ['nb']);
    assert.deepEqual(b.sent, ['tx', 'nb']);
    assert.deepEqual(closed.sent, []);
    relay.close();
    events.emit('tx', { id: Y, tx: tx(), source: { kind: 'local' } });
    await settle();
    assert.deepEqual(b.sent, ['tx', 'nb'], 'nothing after close');
  });

  it('announces a block of its own when it is ready (before it is durable), and not again when it becomes the tip', async () => {
    const events = new EventEmitter<IntakeEvents>();
    const a = neighbour('10.0.0.1:6000');
    const relay = new Relay(events, {
      list: () => [a.n],
      get: () => undefined,
      syncFrom: () => assert.fail('no sync'),
      syncOne: () => assert.fail('no sync'),
    });
    events.emit('ready', { block: BLOCK, source: { kind: 'local' } });
    assert.deepEqual(a.sent, ['nb'], 'sent at once');
    events.emit('tip', { block: BLOCK, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(a.sent, ['nb']);
    // Another tip (not announced early) still is.
    events.emit('tip', { block: { ...BLOCK, index: 3, currentHash: 'cd'.repeat(32) }, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(a.sent, ['nb', 'nb']);
    relay.close();
  });

  it('syncs on an unknown parent from the neighbour that announced the block, from one neighbour for a stranger, never for its own nb', async () => {
    const events = new EventEmitter<IntakeEvents>();
    const behind = neighbour('10.0.0.1:6000', 'open', { status: 'Rejected', reason: 'unknown-parent' });
    const other = neighbour('10.0.0.2:6000');
    const synced: string[] = [];
    let one = 0;
    const relay = new Relay(events, {
      list: () => [behind.n, other.n],
      get: (address) => [behind.n, other.n].find((n) => n.address === address),
      syncFrom: (n) => synced.push(n.address),
      syncOne: () => one++,
    });
    // A neighbour answered our nb with unknown-parent: it lacks the ancestors and fetches them itself.
    events.emit('tip', { block: BLOCK, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(behind.sent, ['nb']);
    assert.deepEqual(synced, []);
    // An nb whose parent is unknown here, from a known neighbour: sync from that one.
    relay.unknownParent({ kind: 'neighbour', address: other.n.address });
    assert.deepEqual(synced, [other.n.address]);
    // From a stranger, or an address that is not a neighbour: one sync, chosen by the synchroniser.
    synced.length = 0;
    relay.unknownParent({ kind: 'remote' });
    relay.unknownParent({ kind: 'neighbour', address: '10.0.0.9:6000' });
    assert.deepEqual(synced, []);
    assert.equal(one, 2);
    relay.close();
  });

  describe('sends nothing twice', () => {
    const A = '10.0.0.1:6000';
    const B = '10.0.0.2:6000';
    const fromA = { kind: 'neighbour', address: A } as const;
    const fromB = { kind: 'neighbour', address: B } as const;

    it('does not forward a transaction to a neighbour that sent it (admitted or a duplicate), nor twice to one that took it', async () => {
      const events = new EventEmitter<IntakeEvents>();
      const a = neighbour(A);
      const b = neighbour(B);
      const relay = new Relay(events, {
        list: () => [a.n, b.n],
        get: (x) => [a.n, b.n].find((n) => n.address === x),
        syncFrom: () => undefined,
        syncOne: () => undefined,
      });
      // B sent x (refused here as a duplicate): B has it.
      events.emit('seen', { id: X, source: fromB });
      events.emit('tx', { id: X, tx: tx(), source: fromA });
      await settle();
      assert.deepEqual(a.sent, [], 'not back to its source');
      assert.deepEqual(b.sent, [], 'not to a neighbour that sent it');
      assert.equal(relay.knows(A, X), true);
      assert.equal(relay.knows(B, X), true);
      // y, local: both take it once; the same id again is not sent again.
      events.emit('tx', { id: Y, tx: tx(), source: { kind: 'local' } });
      events.emit('tx', { id: Y, tx: tx(), source: { kind: 'local' } });
      await settle();
      assert.deepEqual(a.sent, ['tx']);
      assert.deepEqual(b.sent, ['tx']);
      relay.close();
    });

    it('forgets a send that was refused for another reason than duplicate, or not answered, and a neighbour whose connection closed', async () => {
      let reply: () => Promise<object> = () => Promise.resolve({ status: 'Rejected', reason: 'pool-full', message: 'full' });
      const a = neighbour(A, 'open', { status: 'Accepted' }, () => reply());
      const { events, relay } = relayWithOnly(a.n);
      events.emit('tx', { id: X, tx: tx(), source: { kind: 'local' } });
      await settle();
      assert.equal(relay.knows(A, X), false, 'pool-full: it does not have it');
      reply = () => Promise.reject(new Error('timeout'));
      events.emit('tx', { id: X, tx: tx(), source: { kind: 'local' } });
      await settle();
      assert.equal(relay.knows(A, X), false, 'no answer: unknown');
      reply = () => Promise.resolve({ status: 'Rejected', reason: 'duplicate', message: 'had it' });
      events.emit('tx', { id: X, tx: tx(), source: { kind: 'local' } });
      await settle();
      assert.equal(relay.knows(A, X), true, 'a duplicate: it has it');
      assert.deepEqual(a.sent, ['tx', 'tx', 'tx']);
      relay.forget(A);
      assert.equal(relay.knows(A, X), false);
      relay.close();
    });

    it('keeps what a neighbour has while its connection is up, answering or not yet; forgets it when the connection goes', () => {
      const a = neighbour(A);
      const { events, relay } = relayWithOnly(a.n);
      events.emit('seen', { id: X, source: fromA });
      relay.neighbourState(A, 'open');
      relay.neighbourState(A, 'ready'); // its first valid hb reply
      assert.equal(relay.knows(A, X), true);
      relay.neighbourState(A, 'backoff');
      assert.equal(relay.knows(A, X), false);
      relay.close();
    });

    it('keeps a bounded memory per neighbour', () => {
      const a = neighbour(A);
      const { events, relay } = relayWithOnly(a.n);
      for (let i = 0; i <= KNOWN_PER_NEIGHBOUR; i++) events.emit('seen', { id: idN(i), source: fromA });
      assert.equal(relay.knows(A, idN(0)), false, 'the oldest is forgotten');
      assert.equal(relay.knows(A, idN(KNOWN_PER_NEIGHBOUR)), true);
      relay.close();
    });
  });
});
