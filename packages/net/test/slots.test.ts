import assert from 'node:assert/strict';
import { encodeFrame } from '@chain/protocol';
import type { CloseReason, ServerOptions } from '@chain/net';
import { nextEvent, within } from '@chain/testkit';
import { startServer, type Fixture } from './fixture';
import { RawPeer, activeResources } from './helpers';

type Disconnect = { id: number; reason: CloseReason };

describe('slots go to those who use them', () => {
  let fx: Fixture | undefined;
  const peers: RawPeer[] = [];
  const start = async (options: ServerOptions) => {
    fx = await startServer(options);
    return fx;
  };
  const open = async () => {
    const peer = await RawPeer.open((fx as Fixture).port);
    peers.push(peer);
    return peer;
  };
  /** Open a connection and wait until the server has registered it; returns its id. */
  const openWithId = async () => {
    const server = (fx as Fixture).server;
    const seen = nextEvent<[{ id: number }]>(server, 'connection');
    const peer = await open();
    const [{ id }] = await seen;
    return { peer, id };
  };
  /** Ask gp and wait for the reply: the connection was just active. */
  const touch = async (peer: RawPeer) => {
    const n = peer.received.length;
    peer.write(encodeFrame('gp'));
    assert.equal((await peer.frame(n)).op, 'gp');
  };
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    if (fx !== undefined) await within(fx.server.close(), 3000, 'server close');
    fx = undefined;
  });

  describe('idle timeout', () => {
    it('closes a connection that sends nothing, after idleTimeoutMs from the accept', async () => {
      const { server } = await start({ idleTimeoutMs: 150 });
      const started = Date.now();
      const closed = nextEvent<[Disconnect]>(server, 'disconnect', 3000);
      const peer = await open();
      const [info] = await closed;
      const elapsed = Date.now() - started;
      assert.equal(info.reason, 'idle');
      assert.ok(elapsed >= 140 && elapsed < 1000, `closed after ${elapsed} ms`);
      await peer.waitClosed();
      assert.equal(peer.received.length, 0, 'an idle connection is closed without a frame');
    });

    it('counts from the last request: a connection that keeps asking stays open', async () => {
      const { server } = await start({ idleTimeoutMs: 150 });
      const reasons: CloseReason[] = [];
      server.on('disconnect', (info) => reasons.push(info.reason));
      const busy = await open();
      const quiet = await open();
      const started = Date.now();
      while (Date.now() - started < 500) {
        await touch(busy);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      await quiet.waitClosed(1000);
      assert.deepEqual(reasons, ['idle'], 'only the quiet one was closed');
      await touch(busy);
      assert.equal(server.connections.length, 1);
    });

    it('a connection in a gp long poll is not idle; it is idle again once answered', async () => {
      const { server } = await start({ idleTimeoutMs: 100 });
      const peer = await open();
      const started = Date.now();
      peer.write(encodeFrame('gp', { wait: 400 }));
      assert.equal((await peer.frame(0, 2000)).op, 'gp', 'the long poll is answered, not cut off');
      const answeredAfter = Date.now() - started;
      assert.ok(answeredAfter >= 390, `answered after ${answeredAfter} ms`);
      const [info] = await nextEvent<[Disconnect]>(server, 'disconnect', 2000);
      assert.equal(info.reason, 'idle');
      const closedAfter = Date.now() - started;
      assert.ok(closedAfter >= answeredAfter + 90, `closed ${closedAfter - answeredAfter} ms after the answer`);
    });

    it('0 disables it', async () => {
      const { server } = await start({ idleTimeoutMs: 0 });
      const peer = await open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(server.connections.length, 1);
      await touch(peer);
    });

    it('refuses a negative or fractional idleTimeoutMs, naming it', async () => {
      await assert.rejects(start({ idleTimeoutMs: -1 }), /idleTimeoutMs must be a non-negative integer/);
      await assert.rejects(start({ idleTimeoutMs: 1.5 }), /idleTimeoutMs/);
    });

    it('one sweep timer for the server, gone after close()', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const before = activeResources();
      const { server } = await start({ idleTimeoutMs: 10_000, partialFrameTimeoutMs: 30_000 });
      for (let i = 0; i < 20; i++) await open();
      const during = activeResources();
      assert.equal((during.Timeout ?? 0) - (before.Timeout ?? 0), 1, JSON.stringify(during));
      await within(server.close(), 3000, 'server close');
      fx = undefined;
      for (const peer of peers.splice(0)) await peer.waitClosed();
      const after = activeResources();
      assert.equal(after.Timeout ?? 0, before.Timeout ?? 0, JSON.stringify(after));
      assert.equal(after.TCPSocketWrap ?? 0, before.TCPSocketWrap ?? 0, JSON.stringify(after));
    });
  });

  describe('eviction when every slot is taken', () => {
    it('the longest-idle connection gets er busy and is closed; the newcomer is served', async () => {
      const { server, logger } = await start({ maxConnections: 3, idleTimeoutMs: 0 });
      const a = await openWithId();
      const b = await openWithId();
      const c = await openWithId();
      await touch(a.peer); // a was active last of all; b has been idle longest
      await touch(c.peer);
      const evicted = nextEvent<[{ id: number; idleMs: number; newcomer: { port: number } }]>(server, 'evict');
      const newcomer = await open();
      const [info] = await evicted;
      assert.equal(info.id, b.id);
      assert.equal(info.newcomer.port, newcomer.socket.localPort);
      const reply = await b.peer.frame(0);
      assert.ok(reply.op === 'er' && reply.payload.code === 'busy', JSON.stringify(reply));
      assert.match(reply.op === 'er' ? reply.payload.message : '', /idle longest/);
      await b.peer.waitClosed();
      await touch(newcomer);
      await touch(a.peer);
      await touch(c.peer);
      assert.equal(server.connections.length, 3);
      const warnings = logger.at('warn').filter((e) => /gives way/.test(e.message));
      assert.equal(warnings.length, 1, 'one warning per eviction');
      assert.equal(warnings[0]?.fields?.connectionId, b.id);
    });

    it('canEvict protects a connection: the next longest-idle one gives way', async () => {
      let protectedId = -1;
      const { server } = await start({ maxConnections: 3, idleTimeoutMs: 0, canEvict: (id) => id !== protectedId });
      const a = await openWithId();
      const b = await openWithId();
      const c = await openWithId();
      protectedId = a.id; // a has been idle longest, but may not give way
      const evicted = nextEvent<[{ id: number }]>(server, 'evict');
      const newcomer = await open();
      assert.equal((await evicted)[0].id, b.id);
      await b.peer.waitClosed();
      await touch(newcomer);
      await touch(a.peer);
      await touch(c.peer);
    });

    it('a connection with a request in flight does not give way', async () => {
      const { server } = await start({ maxConnections: 2, idleTimeoutMs: 0 });
      const a = await openWithId();
      const b = await openWithId();
      a.peer.write(encodeFrame('gp', { wait: 600 })); // a long poll: busy, although idle longest
      await new Promise((resolve) => setTimeout(resolve, 50));
      const evicted = nextEvent<[{ id: number }]>(server, 'evict');
      const newcomer = await open();
      assert.equal((await evicted)[0].id, b.id);
      await touch(newcomer);
      assert.equal((await a.peer.frame(0, 3000)).op, 'gp', 'the long poll is still answered');
    });

    it('when none can give way, the newcomer gets er busy as before', async () => {
      const { server, logger } = await start({ maxConnections: 2, idleTimeoutMs: 0, canEvict: () => false });
      const a = await open();
      const b = await open();
      let evictions = 0;
      server.on('evict', () => evictions++);
      const busy = nextEvent(server, 'busy');
      const late = await open();
      await busy;
      const reply = await late.frame(0);
      assert.ok(reply.op === 'er' && reply.payload.code === 'busy', JSON.stringify(reply));
      assert.match(reply.op === 'er' ? reply.payload.message : '', /over the limit of 2 connections/);
      await late.waitClosed();
      assert.equal(evictions, 0);
      await touch(a);
      await touch(b);
      assert.ok(logger.at('warn').some((e) => /no connection can give way/.test(e.message)));
    });

    it('a canEvict that throws keeps the connection and is logged', async () => {
      const { logger } = await start({
        maxConnections: 1,
        idleTimeoutMs: 0,
        canEvict: () => {
          throw new Error('table gone');
        },
      });
      const a = await open();
      const late = await open();
      const reply = await late.frame(0);
      assert.ok(reply.op === 'er' && reply.payload.code === 'busy');
      await touch(a);
      assert.ok(logger.at('error').some((e) => /canEvict threw/.test(e.message) && e.fields?.error === 'table gone'));
    });

    it('a flood of newcomers never grows the table past maxConnections, and all are closed on close()', async function () {
      this.timeout(10_000);
      const { server } = await start({ maxConnections: 8, idleTimeoutMs: 0, closeGraceMs: 200 });
      let most = 0;
      server.on('connection', () => (most = Math.max(most, server.connections.length)));
      const all = await Promise.all(Array.from({ length: 60 }, () => open()));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(most <= 8, `${most} connections at once`);
      assert.equal(server.connections.length, 8);
      await within(server.close(), 3000, 'server close');
      fx = undefined;
      await Promise.all(all.map((p) => p.waitClosed()));
    });
  });
});
