import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Block } from '@chain/core';
import type { Neighbour } from '../src/neighbours';
import type { IntakeEvents } from '../src/intake';
import { Relay } from '../src/relay';
import { tx } from './helpers';

/** A neighbour connection that records what it is sent and answers `nb` with `nbReply`. */
function neighbour(address: string, state = 'open', nbReply: object = { status: 'Accepted' }) {
  const sent: string[] = [];
  const n = {
    address,
    state,
    client: {
      request: (op: string) => {
        sent.push(op);
        return Promise.resolve(op === 'nb' ? nbReply : { status: 'Accepted', id: 'x' });
      },
    },
  };
  return { n: n as unknown as Neighbour, sent };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const BLOCK = { index: 2, currentHash: 'ab'.repeat(32) } as unknown as Block;

describe('relay', () => {
  it('forwards a transaction and a new tip to every open neighbour but the source', async () => {
    const events = new EventEmitter<IntakeEvents>();
    const a = neighbour('10.0.0.1:6000');
    const b = neighbour('10.0.0.2:6000');
    const closed = neighbour('10.0.0.3:6000', 'backoff');
    const relay = new Relay(events, { list: () => [a.n, b.n, closed.n], get: () => undefined, syncFrom: () => assert.fail('no sync') });
    events.emit('tx', { id: 'x', tx: tx(), source: { kind: 'neighbour', address: a.n.address } });
    events.emit('tip', { block: BLOCK, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(a.sent, ['nb']);
    assert.deepEqual(b.sent, ['tx', 'nb']);
    assert.deepEqual(closed.sent, []);
    relay.close();
    events.emit('tx', { id: 'y', tx: tx(), source: { kind: 'local' } });
    await settle();
    assert.deepEqual(b.sent, ['tx', 'nb'], 'nothing after close');
  });

  it('resyncs on an unknown parent in one place: from the neighbour that answered so, the one that announced it, or every open one', async () => {
    const events = new EventEmitter<IntakeEvents>();
    const behind = neighbour('10.0.0.1:6000', 'open', { status: 'Rejected', reason: 'unknown-parent' });
    const other = neighbour('10.0.0.2:6000');
    const closed = neighbour('10.0.0.3:6000', 'backoff');
    const synced: string[] = [];
    const relay = new Relay(events, {
      list: () => [behind.n, other.n, closed.n],
      get: (address) => [behind.n, other.n].find((n) => n.address === address),
      syncFrom: (n) => synced.push(n.address),
    });
    // A neighbour answered our nb with unknown-parent: sync from it.
    events.emit('tip', { block: BLOCK, source: { kind: 'local' } });
    await settle();
    assert.deepEqual(synced, [behind.n.address]);
    // An nb whose parent is unknown here, from a known neighbour: sync from that one.
    synced.length = 0;
    relay.unknownParent({ kind: 'neighbour', address: other.n.address });
    assert.deepEqual(synced, [other.n.address]);
    // From a stranger: from every open neighbour.
    synced.length = 0;
    relay.unknownParent({ kind: 'remote' });
    assert.deepEqual(synced, [behind.n.address, other.n.address]);
    relay.close();
  });
});
