import assert from 'node:assert/strict';
import { transportCompliance } from '../../net/test/compliance';
import { Scheduler } from '../src/scheduler';
import { Trace } from '../src/trace';
import { Random } from '../src/random';
import { Links } from '../src/links';
import { Fabric } from '../src/transport/fabric';

/** A fabric of `hosts` hosts 10.0.0.1, 10.0.0.2, ... with constant latency. */
function fabric(hosts: number, latencyMs = 20, scheduler = new Scheduler(1_000_000)) {
  const links = new Links(
    {
      latency: () => latencyMs,
      uploadBps: () => Infinity,
      downloadBps: () => Infinity,
      loss: 0,
      rng: new Random(1),
      partitions: [],
      startTime: scheduler.time,
    },
    hosts,
  );
  const f = new Fabric({ scheduler, links, trace: new Trace(), rng: new Random(2), wire: 'json' });
  for (let i = 0; i < hosts; i++) f.addHost(i, `10.0.0.${i + 1}`);
  return f;
}

/**
 * Run the scheduler's events as they come, in virtual time, until the returned function is
 * called; a turn of the event loop between batches lets mocha and the suite's own code go on.
 */
function drive(scheduler: Scheduler): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await scheduler.run({ maxEvents: 1000, stopWhen: () => stopped });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

// In virtual time, deadlines of the suite included, the simulated transport behaves as the TCP
// one does, limits included, under the suite every transport runs (through JSON: the object wire
// shares payloads on purpose).
describe('simulated transport', () => {
  let stop: (() => Promise<void>) | null = null;
  const f = fabric(1);
  before(() => {
    stop = drive(f.scheduler);
  });
  after(async () => {
    await stop?.();
  });
  transportCompliance('sim (json wire, virtual time)', () => f.transport(0), {
    limits: true,
    host: '10.0.0.1',
    timers: f.scheduler.timers,
  });
});

describe('simulated transport in virtual time', () => {
  it('a request takes a round trip of the link latency plus transmission time', async () => {
    const s = new Scheduler(0);
    const links = new Links(
      {
        latency: () => 50,
        uploadBps: () => 8_000_000,
        downloadBps: () => 8_000_000,
        loss: 0,
        rng: new Random(1),
        partitions: [],
        startTime: 0,
      },
      2,
    );
    const f = new Fabric({ scheduler: s, links, trace: new Trace(), rng: new Random(2) });
    f.addHost(0, '10.0.0.1');
    f.addHost(1, '10.0.0.2');
    const server = f.transport(1).createServer({});
    server.handle('pb', () => ({ height: 1, blocks: [] }));
    await server.listen(8333, '10.0.0.2');
    const client = f.transport(0).createClient({ host: '10.0.0.2', port: 8333 });
    let repliedAt = -1;
    void client.request('pb', { from: 1 }).then(() => (repliedAt = s.time));
    await s.run({ until: 1000 });
    // Handshake 100 ms; the request (6 + 10 bytes) and reply (6 + 23 bytes) at 1000 bytes/ms plus 50 ms each.
    const request = 6 + JSON.stringify({ from: 1 }).length;
    const reply = 6 + JSON.stringify({ height: 1, blocks: [] }).length;
    assert.ok(Math.abs(repliedAt - (100 + 100 + (request + reply) / 1000)) < 1e-9, `replied at ${repliedAt}`);
    await client.close();
    await server.close();
  });

  it('a partition cuts connections across it; clients reconnect after it heals', async () => {
    const s = new Scheduler(0);
    const links = new Links(
      {
        latency: () => 10,
        uploadBps: () => Infinity,
        downloadBps: () => Infinity,
        loss: 0,
        rng: new Random(1),
        partitions: [{ startMs: 1000, healMs: 5000, side: [0, 1] }],
        startTime: 0,
      },
      2,
    );
    const f = new Fabric({ scheduler: s, links, trace: new Trace(), rng: new Random(2) });
    f.addHost(0, '10.0.0.1');
    f.addHost(1, '10.0.0.2');
    const server = f.transport(1).createServer({ idleTimeoutMs: 0 });
    server.handle('pb', () => ({ height: 1, blocks: [] }));
    await server.listen(8333, '10.0.0.2');
    const client = f
      .transport(0)
      .createClient({ host: '10.0.0.2', port: 8333, whileDisconnected: 'fail', backoff: { initialMs: 100, maxMs: 2000 } });
    const states: string[] = [];
    client.on('state', (st) => states.push(`${st}@${Math.round(s.time)}`));
    await s.run({ until: 900 });
    assert.equal(client.state, 'open');
    await s.run({ until: 4900 });
    assert.notEqual(client.state, 'open', 'cut by the partition');
    assert.equal(server.connections.length, 0);
    await s.run({ until: 8000 });
    assert.equal(client.state, 'open', `reconnected after the heal: ${states.join(' ')}`);
    assert.equal(server.connections.length, 1);
    await client.close();
    await server.close();
  });
});
