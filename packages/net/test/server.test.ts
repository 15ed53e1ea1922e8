import assert from 'node:assert/strict';
import { encodeFrame } from '@chain/protocol';
import { createServer, type CloseReason } from '@chain/net';
import { nextEvent, within } from '@chain/testkit';
import { startServer, type Fixture } from './fixture';
import { HASH, MemoryLogger, RawPeer, activeResources, countSocketWrites } from './helpers';

describe('server', () => {
  let fx: Fixture | undefined;
  const peers: RawPeer[] = [];
  const open = async (options?: { read?: boolean }) => {
    const peer = await RawPeer.open((fx as Fixture).port, options);
    peers.push(peer);
    return peer;
  };
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    if (fx !== undefined) await within(fx.server.close(), 3000, 'server close');
    fx = undefined;
  });

  it('listens on port 0 and reports the bound address', async () => {
    fx = await startServer();
    assert.ok(fx.port > 0);
    assert.deepEqual(fx.server.address, { host: '127.0.0.1', port: fx.port });
  });

  it('writes the replies that finish together in one write', async () => {
    fx = await startServer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fx.server.handle('gp', async () => {
      await gate;
      return { index: 2, previousProof: 100, previousHash: HASH, templateHash: null, difficulty: 1, pow: 'bound', pending: 0 };
    });
    const peer = await open();
    peer.write(Buffer.concat(Array.from({ length: 20 }, () => encodeFrame('gp', {}))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { writes } = await countSocketWrites(async () => {
      release();
      await peer.frame(19);
    });
    assert.equal(writes, 1, `the 20 replies left in ${writes} writes`);
  });

  it('reports connections opening and closing', async () => {
    fx = await startServer();
    const opened = nextEvent<[{ id: number }]>(fx.server, 'connection');
    const peer = await open();
    const [info] = await opened;
    assert.deepEqual(
      fx.server.connections.map((c) => c.id),
      [info.id],
    );
    const closed = nextEvent<[{ id: number; reason: CloseReason }]>(fx.server, 'disconnect');
    peer.socket.end();
    const [gone] = await closed;
    assert.equal(gone.id, info.id);
    assert.equal(gone.reason, 'peer-closed');
    assert.equal(fx.server.connections.length, 0);
  });

  it('disconnect(id) closes one connection and leaves the others', async () => {
    fx = await startServer();
    const opened = nextEvent<[{ id: number }]>(fx.server, 'connection');
    const victim = await open();
    const [info] = await opened;
    const other = await open();
    const gone = nextEvent<[{ id: number }]>(fx.server, 'disconnect');
    assert.equal(fx.server.disconnect(info.id), true);
    await within(victim.closed, 3000, 'victim closed');
    assert.equal((await gone)[0].id, info.id);
    assert.equal(fx.server.disconnect(info.id), false);
    other.socket.write(encodeFrame('gp'));
    await nextEvent(other, 'frame');
    assert.equal(fx.server.connections.length, 1);
  });

  it('answers pipelined requests in request order although handlers finish out of order', async () => {
    fx = await startServer({ maxInFlight: 64 });
    const peer = await open();
    // request i takes (40 - i) ms: the last one finishes first
    const frames = Array.from({ length: 40 }, (_, i) => encodeFrame('pb', { from: i + 1, limit: 40 - i }));
    peer.write(Buffer.concat(frames));
    for (let i = 0; i < 40; i++) assert.deepEqual(await peer.frame(i), { op: 'pb', payload: { height: i + 1, blocks: [] } });
  });

  it('handles at most maxInFlight requests of a connection at once', async () => {
    const logger = new MemoryLogger();
    const server = createServer({ logger, maxInFlight: 3 });
    let running = 0;
    let peak = 0;
    server.handle('pb', async (request) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return { height: request?.from ?? 1, blocks: [] };
    });
    const { port } = await server.listen(0);
    fx = { server, port, logger };
    const peer = await open();
    peer.write(Buffer.concat(Array.from({ length: 30 }, (_, i) => encodeFrame('pb', { from: i + 1 }))));
    for (let i = 0; i < 30; i++) assert.deepEqual(await peer.frame(i), { op: 'pb', payload: { height: i + 1, blocks: [] } });
    assert.equal(peak, 3);
  });

  it('answers cc itself, then closes; later requests are ignored', async () => {
    fx = await startServer();
    const peer = await open();
    const closed = nextEvent<[{ reason: CloseReason }]>(fx.server, 'disconnect');
    peer.write(Buffer.concat([encodeFrame('gp'), encodeFrame('cc'), encodeFrame('gp')]));
    assert.equal((await peer.frame(0)).op, 'gp');
    assert.deepEqual(await peer.frame(1), { op: 'cc', payload: { status: 'Connection closed' } });
    await peer.waitClosed();
    assert.equal(peer.received.length, 2);
    assert.equal((await closed)[0].reason, 'cc');
  });

  it('answers an opcode without a handler with unknown-opcode', async () => {
    const server = createServer({ logger: new MemoryLogger() });
    const { port } = await server.listen(0);
    fx = { server, port, logger: new MemoryLogger() };
    const peer = await open();
    peer.write(encodeFrame('up', { proof: 1, templateHash: HASH }));
    const reply = await peer.frame(0);
    assert.ok(reply.op === 'er' && reply.payload.code === 'unknown-opcode');
  });

  it('still answers what a peer sent before half-closing', async () => {
    fx = await startServer();
    const peer = await open();
    peer.write(Buffer.concat([encodeFrame('pb', { from: 5, limit: 30 }), encodeFrame('gp')]));
    peer.socket.end();
    assert.equal((await peer.frame(0)).op, 'pb');
    assert.equal((await peer.frame(1)).op, 'gp');
    await peer.waitClosed();
  });

  it('drops a client that never reads once its write buffer passes the cap, and keeps serving others', async function () {
    this.timeout(15000);
    const logger = new MemoryLogger();
    const big = 'x'.repeat(1000);
    const server = createServer({ logger, maxWriteBuffer: 1024 * 1024, maxInFlight: 1000 });
    // each reply is about 1 MB
    server.handle('pb', () => ({ height: 1, blocks: Array.from({ length: 1000 }, () => ({ data: big })) as never }));
    server.handle('gp', () => ({
      index: 2,
      previousProof: 1,
      previousHash: HASH,
      templateHash: null,
      difficulty: 1,
      pow: 'seed',
      pending: 0,
    }));
    const { port } = await server.listen(0);
    fx = { server, port, logger };
    const reader = await open();
    const sleeper = await open({ read: false });
    const dropped = nextEvent<[{ reason: CloseReason }]>(server, 'disconnect', 10000);
    sleeper.write(Buffer.concat(Array.from({ length: 200 }, () => encodeFrame('pb'))));
    const [info] = await dropped;
    assert.equal(info.reason, 'write-buffer-overflow');
    assert.ok(logger.at('warn').some((e) => /not reading/.test(e.message)));
    reader.write(encodeFrame('gp'));
    assert.equal((await reader.frame(0)).op, 'gp');
  });

  it('closes cleanly: in-flight long polls end, sockets and timers are gone', async () => {
    await new Promise((resolve) => setImmediate(resolve)); // let mocha arm its own test timer first
    const before = activeResources();
    fx = await startServer({ partialFrameTimeoutMs: 30_000 });
    let entered!: () => void;
    const polling = new Promise<void>((resolve) => (entered = resolve));
    fx.server.handle('gp', async (_request, context) => {
      entered();
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
      return { index: 2, previousProof: 1, previousHash: HASH, templateHash: null, difficulty: 1, pow: 'seed', pending: 0 };
    });
    const a = await open();
    const b = await open();
    // a long poll held until shutdown aborts it, then a partial frame with its deadline timer
    a.write(Buffer.concat([encodeFrame('gp', { wait: 60_000 }), Buffer.from([0, 0, 0])]));
    await within(polling, 3000, 'long poll');
    const started = Date.now();
    await within(fx.server.close(), 2000, 'server close');
    assert.ok(Date.now() - started < 1000);
    assert.equal((await a.frame(0)).op, 'gp', 'the long poll was answered before closing');
    await a.waitClosed();
    await b.waitClosed();
    assert.equal(b.received.length, 0);
    peers.splice(0);
    fx = undefined;
    const after = activeResources();
    assert.equal(after.TCPSocketWrap ?? 0, before.TCPSocketWrap ?? 0, JSON.stringify(after));
    assert.equal(after.TCPServerWrap ?? 0, before.TCPServerWrap ?? 0, JSON.stringify(after));
    assert.equal(after.Timeout ?? 0, before.Timeout ?? 0, JSON.stringify(after));
  });

  it('refuses handlers for cc and er', () => {
    const server = createServer();
    assert.throws(() => server.handle('cc' as never, () => ({}) as never), TypeError);
  });
});
