import assert from 'node:assert/strict';
import { ProtocolError } from '@chain/protocol';
import { ClientError, backoffDelay, createClient, request, type Client, type ClientState } from '@chain/net';
import { freePort, nextEvent, within } from '@chain/testkit';
import { startServer, type Fixture } from './fixture';
import { HASH, MemoryLogger, activeResources, countSocketWrites } from './helpers';

const fast = { initialMs: 10, maxMs: 100, jitter: 0.5 };

describe('client', () => {
  const servers: Fixture[] = [];
  const clients: Client[] = [];
  const start = async (port = 0) => {
    const fx = await startServer({}, port);
    servers.push(fx);
    return fx;
  };
  const client = (port: number, options: Partial<Parameters<typeof createClient>[0]> = {}) => {
    const c = createClient({ host: '127.0.0.1', port, backoff: fast, logger: new MemoryLogger(), ...options });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => within(c.close(), 3000, 'client close')));
    await Promise.all(servers.splice(0).map((s) => within(s.server.close(), 3000, 'server close')));
  });

  it('sends requests and resolves with typed replies', async () => {
    const { port } = await start();
    const c = client(port);
    const gp = await c.request('gp');
    assert.equal(gp.templateHash, null);
    const tx = await c.request('tx', { sender: 'abcd1234', content: 'hi', timestamp: 1 });
    assert.deepEqual(tx, { status: 'Accepted', id: HASH });
    assert.equal(c.state, 'open');
  });

  it('rejects an er reply with a ProtocolError carrying the code', async () => {
    const { port } = await start();
    const c = client(port);
    await assert.rejects(
      c.request('hb', { genesis: 'cd'.repeat(32), locator: [HASH], listen: null }),
      (err: unknown) => err instanceof ProtocolError && err.code === 'wrong-network',
    );
    await assert.rejects(
      c.request('tx', { content: 'throw' } as never),
      (err: unknown) => err instanceof ProtocolError && err.code === 'internal',
    );
    assert.equal((await c.request('gp')).index, 2, 'the connection stays usable');
  });

  it('pipelines: many requests in flight, each gets its own reply', async () => {
    const { port } = await start();
    const c = client(port);
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => c.request('pb', { from: i + 1, limit: 1 + ((i * 7) % 13) })));
    replies.forEach((reply, i) => assert.equal(reply.height, i + 1));
  });

  it('sends the requests made in one tick in one write', async () => {
    const { port } = await start();
    const c = client(port);
    await nextEvent(c, 'connect');
    const { writes } = await countSocketWrites(async () => {
      const pending = Array.from({ length: 20 }, (_, i) => c.request('tx', { sender: 'abcd1234', content: `hi ${i}`, timestamp: 1 }));
      await Promise.all(pending);
    });
    // 1 write of the 20 requests, and the server's replies (1 or a few writes)
    assert.ok(writes <= 4, `${writes} writes`);
  });

  it('times out a request, and drops its late reply without confusing the next one', async () => {
    const { port } = await start();
    const c = client(port);
    await assert.rejects(
      c.request('pb', { from: 1, limit: 150 }, { timeoutMs: 30 }),
      (err: unknown) => err instanceof ClientError && err.code === 'timeout',
    );
    const reply = await c.request('pb', { from: 2 });
    assert.equal(reply.height, 2);
  });

  it('retries until the server appears: start order does not matter', async () => {
    const port = await freePort();
    const c = client(port);
    const states: ClientState[] = [];
    c.on('state', (s) => states.push(s));
    const retried = nextEvent(c, 'retry');
    const pending = c.request('gp'); // queued while there is no server
    await retried;
    assert.notEqual(c.state, 'open');
    const connected = nextEvent(c, 'connect');
    await start(port);
    await connected;
    assert.equal((await pending).index, 2);
    assert.ok(states.includes('backoff') && states.includes('open'), states.join(','));
  });

  it('reconnects after the server restarts', async () => {
    const fx = await start();
    const c = client(fx.port);
    await c.request('gp');
    const disconnected = nextEvent(c, 'disconnect');
    await fx.server.close();
    servers.splice(servers.indexOf(fx), 1);
    await disconnected;
    const reconnected = nextEvent(c, 'connect');
    await start(fx.port);
    await reconnected;
    assert.equal((await c.request('gp')).index, 2);
  });

  it('fails requests in flight when the connection drops', async () => {
    const fx = await start();
    const c = client(fx.port);
    await c.request('gp');
    const held = c.request('gp', { wait: 60_000 });
    const closing = fx.server.close();
    // the long poll is aborted by the shutdown and answered, or the request fails: never hangs
    await within(
      held.then(
        () => 'answered',
        (err: unknown) => (err as ClientError).code,
      ),
      3000,
      'held request',
    ).then((outcome) => assert.ok(['answered', 'connection-closed'].includes(outcome), outcome));
    await closing;
    servers.splice(servers.indexOf(fx), 1);
  });

  it('fails fast while disconnected when asked to', async () => {
    const port = await freePort();
    const c = client(port, { whileDisconnected: 'fail' });
    await assert.rejects(c.request('gp'), (err: unknown) => err instanceof ClientError && err.code === 'not-connected');
  });

  it('bounds the queue of requests waiting for a connection', async () => {
    const port = await freePort();
    const c = client(port, { maxQueue: 2 });
    const waiting = [c.request('gp'), c.request('gp')].map((p) =>
      p.then(
        () => 'answered',
        (err: ClientError) => err.code,
      ),
    );
    await assert.rejects(c.request('gp'), (err: unknown) => err instanceof ClientError && err.code === 'queue-full');
    await c.close();
    assert.deepEqual(await Promise.all(waiting), ['client-closed', 'client-closed']);
  });

  it('close() stops retrying and leaves no sockets or timers', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const before = activeResources();
    const fx = await start();
    const c = client(fx.port);
    await c.request('gp');
    const port = await freePort();
    const orphan = client(port); // never connects
    await nextEvent(orphan, 'retry');
    await Promise.all([c.close(), orphan.close()]);
    assert.equal(c.state, 'closed');
    await assert.rejects(c.request('gp'), (err: unknown) => err instanceof ClientError && err.code === 'client-closed');
    await fx.server.close();
    servers.splice(0);
    const after = activeResources();
    assert.equal(after.TCPSocketWrap ?? 0, before.TCPSocketWrap ?? 0, JSON.stringify(after));
    assert.equal(after.Timeout ?? 0, before.Timeout ?? 0, JSON.stringify(after));
  });

  it('after cc the server closes and the client reconnects by itself', async () => {
    const { port } = await start();
    const c = client(port);
    await c.request('gp');
    const reconnected = nextEvent(c, 'connect');
    assert.deepEqual(await c.request('cc'), { status: 'Connection closed' });
    await reconnected;
    assert.equal((await c.request('gp')).index, 2);
  });
});

describe('one-shot request', () => {
  it('connects, asks, disconnects', async () => {
    const fx = await startServer();
    try {
      assert.deepEqual(await request('127.0.0.1', fx.port, 'nb', { block: {} as never }), { status: 'Rejected', reason: 'unknown-parent' });
      await assert.rejects(request('127.0.0.1', fx.port, 'tx', { content: 'throw' } as never), ProtocolError);
    } finally {
      await fx.server.close();
    }
  });

  it('fails at once when nothing listens', async () => {
    const port = await freePort();
    await assert.rejects(within(request('127.0.0.1', port, 'gp'), 2000), /ECONNREFUSED/);
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap', () => {
    const none = () => 0;
    const delays = Array.from({ length: 8 }, (_, i) => backoffDelay(i, { initialMs: 100, maxMs: 1000, jitter: 0.5 }, none));
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000, 1000, 1000]);
    assert.equal(backoffDelay(10_000, { initialMs: 100, maxMs: 1000 }, none), 1000);
  });

  it('jitter removes at most the given fraction', () => {
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(3, { initialMs: 100, maxMs: 10_000, jitter: 0.5 });
      assert.ok(d >= 400 && d <= 800, String(d));
    }
    assert.equal(
      backoffDelay(0, { initialMs: 100, jitter: 0.5 }, () => 1),
      50,
    );
  });
});
