import assert from 'node:assert/strict';
import { ManualClock } from '@chain/testkit';
import { NET, startPeer, tx, stoppedAfterEach } from './helpers';
import { MemoryNetwork } from './memory-transport';

/** Let promise chains and I/O callbacks of this turn run (no time passes on the clock). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('peer: injected timers and clock', () => {
  const stopped = stoppedAfterEach();

  it('every timer of the peer runs on the injected clock, and none is left after stop', async () => {
    const clock = new ManualClock(NET.genesisTime + 86_400_000);
    const net = new MemoryNetwork(clock);
    await settle(); // mocha's own timeout timer is set once the test has started
    const before = timeouts();
    const peer = await startPeer({ transport: net.transport, timers: clock, now: () => clock.now, heartbeatMs: 5000, minerGraceMs: 1000 });
    stopped.push(peer);
    assert.deepEqual(clock.intervals(), [5000], 'the heartbeat');

    // A transaction gossiped by a neighbour waits out the grace period before it is mined here.
    const r = await peer.submitTransaction(tx('gossiped', clock.now), { kind: 'neighbour', address: '127.0.0.1:9' });
    assert.ok(r.ok);
    const polled: (string | null)[] = [];
    void peer.work.poll(null, 30_000).then((w) => polled.push(w.templateHash));
    await clock.advance(999);
    assert.equal(polled.length, 0, 'still in its grace period');
    await clock.advance(1);
    const hash = polled[0];
    assert.ok(hash, 'the grace timer fired on the injected clock and woke the long poll');

    // A long poll with nothing new ends when its wait runs out on the injected clock.
    void peer.work.poll(hash, 20_000).then((w) => polled.push(w.templateHash));
    await clock.advance(19_999);
    assert.equal(polled.length, 1);
    await clock.advance(1);
    assert.deepEqual(polled, [hash, hash]);

    assert.equal(timeouts(), before, 'no global timer was set by the peer');
    await peer.stop();
    assert.equal(clock.pending, 0, 'stop cleared every timer it set');
  });

  it('refuses timers and a transport that are not, naming the option', async () => {
    await assert.rejects(
      startPeer({ timers: { setTimeout() {} } as never }),
      /timers must be an object with setTimeout, clearTimeout, setInterval and clearInterval functions; missing clearTimeout, setInterval, clearInterval/,
    );
    await assert.rejects(startPeer({ transport: {} as never }), /transport must be an object with createServer and createClient/);
    await assert.rejects(startPeer({ now: 5 as never }), /now must be a function/);
  });
});
