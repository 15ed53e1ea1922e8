import assert from 'node:assert/strict';
import { killAll, rawFrame, until, within } from '@chain/testkit';
import { CLASSIC, RawConn, assertServed, expectError, startPeer, type PeerProcess } from '../lib/harness';

/** Slots go to those who use them (docs/spec.md §7), against a real peer process. */
describe('idle connections and slots', function () {
  this.timeout(30_000);
  const SLOTS = 16;
  const IDLE_MS = 2000;
  const LONG_POLL_MS = 5000;
  let peer: PeerProcess;
  afterEach(killAll);

  /** Connections the peer holds, from the fixture's status. */
  const held = async () => (await peer.command<{ connections: number }>('status', 'status')).connections;

  it('every slot held by a silent connection: an honest newcomer is served, the silent ones go, a long poll stays', async () => {
    peer = await startPeer({ network: CLASSIC, maxConnections: SLOTS, idleTimeoutMs: IDLE_MS });
    const port = peer.port;

    // One slot: a miner's long poll (empty pool, so `known: null` is the current template).
    const poller = await RawConn.open(port);
    const polledAt = Date.now();
    poller.write(rawFrame('gp', JSON.stringify({ wait: LONG_POLL_MS, known: null })));

    // The other slots: connections that never send, opened one after the other (the oldest is idle longest).
    const silent: { conn: RawConn; openedAt: number; closedAt?: number }[] = [];
    for (let i = 0; i < SLOTS - 1; i++) {
      const entry: (typeof silent)[number] = { conn: await RawConn.open(port), openedAt: Date.now() };
      void entry.conn.closed.then(() => (entry.closedAt = Date.now()));
      silent.push(entry);
    }
    await until(async () => (await held()) === SLOTS, `the peer holding all ${SLOTS} slots`, 5000);
    const filledAt = Date.now();

    // An honest newcomer (gp, then pb, each on a fresh connection) is served at once instead of `busy`.
    await assertServed(port, '127.0.0.1', 1000);
    assert.ok(Date.now() - filledAt < IDLE_MS - 200, 'served by eviction, not because idle connections had timed out');

    // Its first connection took the slot of the longest-idle silent one: `er busy`, then closed. (Its
    // second found the first one's slot free again, or took the next longest-idle one.)
    const message = await expectError(silent[0]!.conn, 'busy', 0, 1000);
    assert.match(message, /gives way to a newcomer/);
    await silent[0]!.conn.waitClosed(1000);
    await peer.waitFor(/WARN all connection slots taken: the longest-idle connection gives way to a newcomer/, {
      stream: 'stderr',
      ms: 1000,
    });
    assert.equal(poller.isClosed, false, 'the long poll was not evicted');

    // The rest are closed once idle for IDLE_MS, without a frame.
    await within(Promise.all(silent.map(({ conn }) => conn.closed)), IDLE_MS + 3000, 'the silent connections closed');
    const evicted = silent.filter(({ conn }) => conn.received.length > 0);
    assert.ok(evicted.length >= 1 && evicted.length <= 2, `${evicted.length} evicted for two newcomers`);
    assert.deepEqual(evicted, silent.slice(0, evicted.length), 'the longest-idle ones gave way, oldest first');
    for (const { conn } of evicted) await expectError(conn, 'busy');
    for (const { conn, openedAt, closedAt } of silent.slice(evicted.length)) {
      assert.equal(conn.received.length, 0, 'an idle connection is closed without a frame');
      const after = (closedAt as number) - openedAt;
      assert.ok(after >= IDLE_MS - 100 && after < IDLE_MS + 2000, `closed ${after} ms after it opened`);
    }

    // The long poll outlives the idle timeout and is answered when its wait ends.
    assert.equal(poller.isClosed, false, 'a connection in a gp long poll is not idle');
    const reply = await poller.frame(0, LONG_POLL_MS + 3000);
    assert.equal(reply.op, 'gp');
    const answeredAfter = Date.now() - polledAt;
    assert.ok(answeredAfter >= LONG_POLL_MS - 200, `the long poll was answered after ${answeredAfter} ms`);
    assert.equal(poller.isClosed, false);
    await poller.assertOpen();

    // Slots are free again: newcomers are served with nobody evicted.
    await assertServed(port);
    poller.destroy();
  });
});
