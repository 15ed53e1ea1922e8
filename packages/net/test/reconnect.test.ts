import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createRequestDecoder, encodeFrame } from '@chain/protocol';
import { ClientError, createClient, request, type Client } from '@chain/net';
import { nextEvent, within } from '@chain/testkit';
import { HttpAnswerSniffer } from '../src/http-answer';
import { HASH, MemoryLogger } from './helpers';

const GP = { index: 2, previousProof: 100, previousHash: HASH, templateHash: null, difficulty: 1, pow: 'bound', pending: 0 } as const;

/**
 * A TCP server that accepts and then, by `mode`: answers garbage (an HTTP error) and closes, or
 * answers every `gp` validly and closes after the first reply. Counts connections.
 */
async function scriptedServer(): Promise<{ tcp: TcpServer; port: number; accepted: number[]; mode: 'garbage' | 'valid' }> {
  const state = { tcp: undefined as unknown as TcpServer, port: 0, accepted: [] as number[], mode: 'garbage' as 'garbage' | 'valid' };
  const sockets = new Set<Socket>();
  state.tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    state.accepted.push(Date.now());
    if (state.mode === 'garbage') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const decoder = createRequestDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (decoder.push(chunk).some((e) => e.type === 'message')) socket.end(encodeFrame('gp', GP));
    });
  });
  const closeAll = state.tcp.close.bind(state.tcp);
  state.tcp.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return closeAll(cb);
  }) as typeof state.tcp.close;
  await new Promise<void>((resolve) => state.tcp.listen(0, '127.0.0.1', resolve));
  state.port = (state.tcp.address() as { port: number }).port;
  return state;
}

describe('reconnecting to a server that is not a peer', () => {
  const clients: Client[] = [];
  const servers: { close(cb?: () => void): unknown }[] = [];

  /** A scripted server and a client to it with a 20 ms initial backoff (closed after the test). */
  async function clientOfScripted(options: { random: () => number; jitter?: number; logger?: MemoryLogger }) {
    const srv = await scriptedServer();
    servers.push(srv.tcp);
    const backoff = { initialMs: 20, maxMs: 5000, ...(options.jitter === undefined ? {} : { jitter: options.jitter }) };
    const c = createClient({
      host: '127.0.0.1',
      port: srv.port,
      backoff,
      random: options.random,
      logger: options.logger ?? new MemoryLogger(),
    });
    clients.push(c);
    return { srv, c };
  }
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => within(c.close(), 3000, 'client close')));
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  it('a server that accepts and answers garbage is retried with growing delays, as if it refused', async () => {
    const delays: number[] = [];
    const { srv, c } = await clientOfScripted({ random: () => 0 });
    c.on('retry', ({ delayMs }) => delays.push(delayMs));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 700));
    const inWindow = srv.accepted.filter((t) => t - started <= 700).length;
    // Attempts at about 0, 20, 60, 140, 300 and 620 ms: six. Resetting on connect would make it ~35.
    assert.ok(inWindow >= 4 && inWindow <= 7, `${inWindow} connections in 700 ms`);
    assert.deepEqual(delays.slice(0, 5), [20, 40, 80, 160, 320]);
  });

  it('jitter applies to every delay, from the injected random source', async () => {
    const delays: number[] = [];
    const { c } = await clientOfScripted({ random: () => 1, jitter: 0.5 });
    c.on('retry', ({ delayMs }) => delays.push(delayMs));
    while (delays.length < 4) await nextEvent(c, 'retry');
    assert.deepEqual(delays.slice(0, 4), [10, 20, 40, 80]);
  });

  it('a valid reply resets the backoff', async () => {
    const retries: { attempt: number; delayMs: number }[] = [];
    const { srv, c } = await clientOfScripted({ random: () => 0 });
    c.on('retry', ({ attempt, delayMs }) => retries.push({ attempt, delayMs }));
    while (retries.length < 3) await nextEvent(c, 'retry');
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [20, 40, 80],
    );
    srv.mode = 'valid';
    const ready = nextEvent(c, 'ready', 3000);
    assert.equal((await c.request('gp')).index, 2);
    await ready;
    const [after] = await nextEvent<[{ attempt: number; delayMs: number }]>(c, 'retry');
    assert.deepEqual(
      { attempt: after.attempt, delayMs: after.delayMs },
      { attempt: 1, delayMs: 20 },
      'the server closed after a valid reply: the backoff starts afresh',
    );
  });

  it('one warning for a failing target, then debug lines, never more than one line per attempt', async () => {
    const srv = await scriptedServer();
    servers.push(srv.tcp);
    const logger = new MemoryLogger();
    const c = createClient({ host: '127.0.0.1', port: srv.port, backoff: { initialMs: 10, maxMs: 40 }, random: () => 0, logger });
    clients.push(c);
    let attempts = 0;
    c.on('retry', () => attempts++);
    while (attempts < 6) await nextEvent(c, 'retry');
    await c.close();
    assert.equal(logger.at('warn').length, 1, JSON.stringify(logger.entries));
    assert.match(logger.at('warn')[0]?.message ?? '', /not a chain peer/);
    assert.ok(logger.entries.length <= srv.accepted.length, `${logger.entries.length} lines for ${srv.accepted.length} attempts`);
  });

  it('rejects bad backoff settings, naming them', () => {
    assert.throws(() => createClient({ host: '127.0.0.1', port: 1, backoff: { initialMs: 0 } }), /backoff initialMs/);
    assert.throws(() => createClient({ host: '127.0.0.1', port: 1, backoff: { jitter: 2 } }), /backoff jitter/);
    assert.throws(() => createClient({ host: '127.0.0.1', port: 1, backoff: { initialMs: 100, maxMs: 50 } }), /backoff maxMs/);
    assert.throws(() => createClient({ host: '127.0.0.1', port: 0 }), /client port/);
  });
});

describe('an HTTP server where a peer was expected', () => {
  let http: HttpServer;
  let port: number;
  const clients: Client[] = [];
  beforeEach(async () => {
    http = createHttpServer((_req, res) => res.end('<html>explorer</html>'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as { port: number }).port;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => within(c.close(), 3000, 'client close')));
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  const isNotAPeer = (err: unknown) =>
    err instanceof ClientError &&
    err.code === 'not-a-peer' &&
    err.message.includes(`127.0.0.1:${port} answered with HTTP`) &&
    /explorer/.test(err.message) &&
    /chain-peer --http/.test(err.message) &&
    !/frame-too-large|1213486160/.test(err.message);

  it('one-shot request() says the address is an HTTP server, not a chain peer', async () => {
    await assert.rejects(within(request('127.0.0.1', port, 'gp'), 3000), isNotAPeer);
  });

  it('Client fails the request in flight with not-a-peer and backs off', async () => {
    const logger = new MemoryLogger();
    const c = createClient({ host: '127.0.0.1', port, backoff: { initialMs: 50, maxMs: 1000 }, logger });
    clients.push(c);
    await assert.rejects(within(c.request('gp'), 3000), isNotAPeer);
    const [retry] = await nextEvent<[{ error: Error | undefined }]>(c, 'retry');
    assert.ok(isNotAPeer(retry.error), String(retry.error));
    assert.equal(logger.at('warn')[0]?.fields?.server, `127.0.0.1:${port}`);
  });

  it('the sniffer holds back at most the first bytes, across chunks, and passes a frame stream through', () => {
    const sniffer = new HttpAnswerSniffer();
    assert.equal((sniffer.push(Buffer.from('HT')) as Buffer).length, 0);
    assert.equal(sniffer.push(Buffer.from('TP/1.1 400')), 'http');
    const frames = new HttpAnswerSniffer();
    const frame = encodeFrame('gp', GP);
    const head = frames.push(frame.subarray(0, 2)) as Buffer;
    const rest = frames.push(frame.subarray(2)) as Buffer;
    assert.deepEqual(Buffer.concat([head, rest]), frame);
    const h = new HttpAnswerSniffer();
    assert.deepEqual(h.push(Buffer.from('HTX')), Buffer.from('HTX'), 'not HTTP/: everything goes through');
  });
});
