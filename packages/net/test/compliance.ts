/**
 * The behaviour every Transport of @chain/net must have, as a mocha suite any transport runs:
 *
 *   transportCompliance('tcp', () => tcpTransport, { limits: true });
 *
 * It speaks only through the Transport interface (servers, clients, their events), so the same
 * assertions hold for TCP and for an in-memory transport on a virtual clock. `limits: true` adds
 * connection slots (busy, eviction), the idle timeout and the frame limit, for transports that
 * have them. `timers` is the clock its waits run on: a transport on a virtual clock passes that
 * clock's timers (and keeps it running), so that every deadline of the suite is virtual too.
 */
import assert from 'node:assert/strict';
import {
  ClientError,
  ProtocolError,
  systemTimers,
  type Timers,
  type Transport,
  type TransportClient,
  type TransportClientOptions,
  type TransportServer,
  type TransportServerOptions,
} from '@chain/net';
import { silentLogger } from '@chain/net';
import type { GpReply, PbReply } from '@chain/protocol';

export interface ComplianceOptions {
  /** The transport enforces maxConnections, canEvict, idleTimeoutMs and maxFrame. Default false. */
  readonly limits?: boolean;
  /** Where servers listen. Default 127.0.0.1. */
  readonly host?: string;
  /** Deadline of each wait (ms). Default 5000. */
  readonly waitMs?: number;
  /** The clock of those deadlines; the transport's own, if it runs on a virtual one. Default: the global timers. */
  readonly timers?: Timers;
}

type Emitter = { on(event: never, listener: never): unknown; off(event: never, listener: never): unknown };

const HASH = 'ab'.repeat(32);
const GP: GpReply = { index: 2, previousProof: 100, previousHash: HASH, templateHash: null, difficulty: 1, pow: 'bound', pending: 0 };
/** Backoff of clients in these tests: quick to come back, unless a test needs them to stay away. */
const QUICK = { initialMs: 20, maxMs: 100 };
const SLOW = { initialMs: 60_000, maxMs: 60_000 };

/** Resolve with the arguments of the next `name` event that `accept` accepts, or fail after `ms` on `timers`. */
function nextEvent<T extends unknown[]>(
  timers: Timers,
  emitter: Emitter,
  name: string,
  ms: number,
  accept: (...args: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const target = emitter as unknown as { on(e: string, l: (...a: T) => void): unknown; off(e: string, l: (...a: T) => void): unknown };
    const timer = timers.setTimeout(() => {
      target.off(name, listener);
      reject(new Error(`no ${name} event within ${ms} ms`));
    }, ms);
    const listener = (...args: T) => {
      if (!accept(...args)) return;
      timers.clearTimeout(timer);
      target.off(name, listener);
      resolve(args);
    };
    target.on(name, listener);
  });
}

/** A promise and its resolver. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

function isClientError(code: string): (err: unknown) => boolean {
  return (err) => err instanceof ClientError && err.code === code;
}

function isProtocolError(code: string): (err: unknown) => boolean {
  return (err) => err instanceof ProtocolError && err.code === code;
}

/** Register the compliance suite of one transport. */
export function transportCompliance(
  name: string,
  makeTransport: () => Transport | Promise<Transport>,
  options: ComplianceOptions = {},
): void {
  const host = options.host ?? '127.0.0.1';
  const ms = options.waitMs ?? 5000;
  const timers = options.timers ?? systemTimers;
  const next = <T extends unknown[]>(emitter: Emitter, name: string, accept?: (...args: T) => boolean): Promise<T> =>
    nextEvent<T>(timers, emitter, name, ms, accept);

  describe(`transport compliance: ${name}`, function () {
    this.timeout(4 * ms);
    let transport: Transport;
    let servers: TransportServer[] = [];
    let clients: TransportClient[] = [];

    beforeEach(async () => {
      transport = await makeTransport();
    });
    afterEach(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all(servers.map((s) => s.close()));
      clients = [];
      servers = [];
    });

    const server = (o: TransportServerOptions = {}): TransportServer => {
      const s = transport.createServer({ logger: silentLogger, ...o });
      servers.push(s);
      // Every test's server answers pb with the `from` it was asked.
      s.handle('pb', (req): PbReply => ({ height: req?.from ?? 0, blocks: [] }));
      return s;
    };
    const client = (port: number, o: Partial<TransportClientOptions> = {}): TransportClient => {
      const c = transport.createClient({ host, port, logger: silentLogger, backoff: QUICK, ...o });
      clients.push(c);
      return c;
    };
    /** A server listening, a client connected to it, and the server's id of that connection. */
    const pair = async (so: TransportServerOptions = {}, co: Partial<TransportClientOptions> = {}) => {
      const s = server(so);
      const { port } = await s.listen(0, host);
      const seen = next<[{ id: number }]>(s as Emitter, 'connection');
      const c = client(port, co);
      const [{ id }] = await seen;
      if (c.state !== 'open') await next(c as Emitter, 'state', (state) => state === 'open');
      assert.equal((await c.request('pb', { from: 1 })).height, 1);
      return { s, c, port, id };
    };

    describe('requests and replies', () => {
      it('listens on port 0, and a client gets the reply to its request; the first reply makes it ready', async () => {
        const s = server();
        const address = await s.listen(0, host);
        assert.ok(Number.isInteger(address.port) && address.port > 0, `port ${address.port}`);
        const c = client(address.port);
        const ready = next(c as Emitter, 'ready');
        // Made before the connection is open: sent once it is.
        assert.deepEqual(await c.request('pb', { from: 7 }), { height: 7, blocks: [] });
        await ready;
        assert.equal(c.state, 'open');
      });

      it('payloads are copies: neither side ever holds an object of the other', async () => {
        const { s, c } = await pair();
        const sent = { known: HASH, wait: 0 };
        let received: unknown;
        const reply = { ...GP };
        s.handle('gp', (req) => {
          received = req;
          return reply;
        });
        const got = await c.request('gp', sent);
        assert.deepEqual(received, sent);
        assert.notEqual(received, sent);
        assert.deepEqual(got, reply);
        assert.notEqual(got, reply);
      });

      it('answers pipelined requests in request order, each with its own reply, though handlers finish out of order', async () => {
        const { s, c } = await pair();
        const n = 10;
        const waiting: { from: number; release: () => void }[] = [];
        const all = gate();
        s.handle('pb', async (req) => {
          const g = gate();
          waiting.push({ from: req?.from ?? 0, release: () => g.open() });
          if (waiting.length === n) all.open();
          await g.promise;
          return { height: req?.from ?? 0, blocks: [] };
        });
        const order: number[] = [];
        const replies = Array.from({ length: n }, (_, i) => c.request('pb', { from: i + 1 }).then((r) => (order.push(i + 1), r.height)));
        await all.promise;
        for (const w of [...waiting].reverse()) w.release(); // the last asked finishes first
        assert.deepEqual(
          await Promise.all(replies),
          Array.from({ length: n }, (_, i) => i + 1),
        );
        assert.deepEqual(
          order,
          Array.from({ length: n }, (_, i) => i + 1),
          'replies arrive in request order',
        );
      });

      it('er: a ProtocolError thrown by a handler is answered with its code, anything else with internal; the connection stays', async () => {
        const { s, c, id } = await pair();
        s.handle('tx', () => {
          throw new ProtocolError('wrong-network', 'another network');
        });
        s.handle('nb', () => {
          throw new Error('a bug');
        });
        const tx = c.request('tx', { content: 'x' } as never);
        const nb = c.request('nb', { block: { index: 2 } } as never);
        const pb = c.request('pb', { from: 3 });
        await assert.rejects(tx, (err) => isProtocolError('wrong-network')(err) && /another network/.test((err as Error).message));
        await assert.rejects(nb, isProtocolError('internal'));
        assert.equal((await pb).height, 3, 'a request after the er replies is answered');
        await assert.rejects(c.request('gp', {}), isProtocolError('unknown-opcode'), 'an opcode without a handler');
        assert.deepEqual(
          s.connections.map((x) => x.id),
          [id],
        );
        assert.equal(c.state, 'open');
      });

      it('a client started before its server retries until the server listens', async () => {
        const probe = server();
        const { port } = await probe.listen(0, host);
        await probe.close();
        const c = client(port);
        await next(c as Emitter, 'retry');
        const reply = c.request('pb', { from: 5 }); // queued while disconnected
        await server().listen(port, host);
        assert.equal((await reply).height, 5);
      });
    });

    describe('closing', () => {
      it('client.close(): pending and later requests fail with client-closed at once; the server finishes what it received, then the connection ends', async () => {
        const { s, c, id } = await pair();
        const entered = gate<AbortSignal>();
        const release = gate();
        s.handle('gp', async (_req, rc) => {
          entered.open(rc.signal);
          await release.promise;
          return GP;
        });
        const pending = c.request('gp', { wait: 60_000 });
        const signal = await entered.promise;
        const gone = next<[{ id: number }]>(s as Emitter, 'disconnect');
        const states: string[] = [];
        c.on('state', (state) => states.push(state));
        const closing = c.close();
        await assert.rejects(pending, isClientError('client-closed'));
        assert.equal(c.state, 'closed');
        assert.deepEqual(states, ['closed']);
        await assert.rejects(c.request('pb', { from: 1 }), isClientError('client-closed'));
        release.open();
        await closing;
        await c.close(); // idempotent
        assert.equal((await gone)[0].id, id);
        assert.ok(signal.aborted, 'a handler is told through its signal that its connection is gone');
        assert.deepEqual(s.connections, []);
      });

      it('server.close(): what was received is answered, then the connections close; the client backs off and fails fast when asked to', async () => {
        const { s, c } = await pair({}, { whileDisconnected: 'fail' });
        const entered = gate();
        const release = gate();
        s.handle('pb', async (req) => {
          entered.open();
          await release.promise;
          return { height: req?.from ?? 0, blocks: [] };
        });
        const inFlight = c.request('pb', { from: 9 });
        await entered.promise;
        const backoff = next(c as Emitter, 'state', (state) => state === 'backoff');
        const retry = next(c as Emitter, 'retry');
        const closed = s.close();
        release.open();
        assert.equal((await inFlight).height, 9, 'a request received before close is answered');
        await closed;
        await s.close(); // idempotent
        await backoff;
        await retry;
        assert.deepEqual(s.connections, []);
        await assert.rejects(c.request('pb', { from: 1 }), isClientError('not-connected'));
      });

      it('disconnect(id) closes that connection only; its client reconnects by itself', async () => {
        const { s, c: a, id: aId, port } = await pair();
        const seen = next<[{ id: number }]>(s as Emitter, 'connection');
        const b = client(port);
        const [{ id: bId }] = await seen;
        assert.equal((await b.request('pb', { from: 2 })).height, 2);
        const gone = next<[{ id: number }]>(s as Emitter, 'disconnect');
        const retry = next(a as Emitter, 'retry');
        const back = next<[{ id: number }]>(s as Emitter, 'connection');
        assert.equal(s.disconnect(aId), true);
        assert.equal((await gone)[0].id, aId);
        await retry;
        const [{ id: again }] = await back;
        assert.notEqual(again, aId, 'a new connection has a new id');
        assert.equal((await a.request('pb', { from: 4 })).height, 4);
        assert.equal((await b.request('pb', { from: 6 })).height, 6);
        assert.deepEqual(
          s.connections.map((x) => x.id).sort((x, y) => x - y),
          [bId, again].sort((x, y) => x - y),
        );
        assert.equal(s.disconnect(aId), false, 'an id no longer connected');
      });
    });

    if (!options.limits) return;

    describe('limits', () => {
      it('every slot taken: the longest-idle connection gives way to a newcomer, which is served', async () => {
        const { s, c: a, port } = await pair({ maxConnections: 2, idleTimeoutMs: 0 }, { backoff: SLOW });
        const seen = next<[{ id: number }]>(s as Emitter, 'connection');
        const b = client(port, { backoff: SLOW });
        const [{ id: bId }] = await seen;
        await b.request('pb', { from: 1 });
        await a.request('pb', { from: 1 }); // a was active last: b has been idle longest
        const evicted = next<[{ id: number; newcomer: { port: number } }]>(s as Emitter, 'evict');
        const bLeft = next(b as Emitter, 'retry');
        const newcomer = client(port, { backoff: SLOW });
        assert.equal((await newcomer.request('pb', { from: 8 })).height, 8);
        assert.equal((await evicted)[0].id, bId);
        await bLeft;
        assert.equal((await a.request('pb', { from: 3 })).height, 3);
        assert.equal(s.connections.length, 2);
      });

      it('canEvict keeps a connection: when none may give way, the newcomer is answered er busy', async () => {
        const { s, c: a, port } = await pair({ maxConnections: 1, idleTimeoutMs: 0, canEvict: () => false }, { backoff: SLOW });
        let evictions = 0;
        s.on('evict', () => evictions++);
        const late = client(port, { backoff: SLOW });
        await assert.rejects(late.request('pb', { from: 1 }), isProtocolError('busy'));
        assert.equal(evictions, 0);
        assert.equal((await a.request('pb', { from: 2 })).height, 2);
        assert.equal(s.connections.length, 1);
      });

      it('an idle connection is closed after idleTimeoutMs', async () => {
        const s = server({ idleTimeoutMs: 100 });
        const { port } = await s.listen(0, host);
        const opened = next<[{ id: number }]>(s as Emitter, 'connection');
        client(port, { backoff: SLOW });
        const [{ id }] = await opened;
        const [gone] = await next<[{ id: number; reason: string }]>(s as Emitter, 'disconnect');
        assert.equal(gone.id, id);
        assert.equal(gone.reason, 'idle');
      });

      it('a request larger than the server maxFrame is refused with er frame-too-large; others are still served', async () => {
        const { c: big, port } = await pair({ maxFrame: 2048 }, { backoff: SLOW });
        await assert.rejects(big.request('tx', { content: 'x'.repeat(4096) } as never), isProtocolError('frame-too-large'));
        const other = client(port);
        assert.equal((await other.request('pb', { from: 2 })).height, 2);
      });
    });
  });
}
