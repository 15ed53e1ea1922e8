import assert from 'node:assert/strict';
import { ProtocolError, wireError, type ErrorCode, type RequestOpcode } from '@chain/protocol';
import {
  ClientError,
  ClientMachine,
  MAX_OVERDUE,
  type ClientConnector,
  type ClientLink,
  type ClientMachineOptions,
  type ClientState,
  type Interception,
  type LinkEvents,
} from '@chain/net';
import { ManualClock } from '@chain/testkit';
import { MemoryLogger } from './helpers';

/** One connection attempt of the fake connector, driven by hand. */
class FakeLink implements ClientLink<string> {
  readonly sent: { op: RequestOpcode; wire: string }[] = [];
  destroyed = false;
  closed = false;

  constructor(readonly events: LinkEvents<string>) {}

  open(): void {
    this.events.opened(this);
  }
  fail(error?: Error): void {
    this.events.failed(error);
  }
  lose(error?: Error): void {
    this.events.lost(error);
  }
  reply(op: string, payload: unknown): void {
    this.events.reply({ op, payload } as never);
  }
  er(code: ErrorCode, message: string = code): void {
    this.reply('er', { code, message });
  }
  undecodable(code: ErrorCode): void {
    this.events.undecodable(wireError(code, `bad ${code}`));
  }
  send(op: RequestOpcode, wire: string): void {
    this.sent.push({ op, wire });
  }
  destroy(): void {
    this.destroyed = true;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A connector whose attempts the test opens, fails, answers and loses. */
class FakeConnector implements ClientConnector<string> {
  readonly links: FakeLink[] = [];
  intercepting: ((op: RequestOpcode, payload: unknown) => Interception | undefined) | undefined;

  encode(op: RequestOpcode, payload: unknown): string {
    if (payload === 'unencodable') throw new RangeError(`${op} is too large`);
    return `${op}:${JSON.stringify(payload ?? null)}`;
  }
  connect(events: LinkEvents<string>): FakeLink {
    const link = new FakeLink(events);
    this.links.push(link);
    return link;
  }
  intercept(op: RequestOpcode, payload: unknown): Interception | undefined {
    return this.intercepting?.(op, payload);
  }
  get last(): FakeLink {
    const link = this.links[this.links.length - 1];
    assert.ok(link, 'no connection attempt yet');
    return link;
  }
}

/** The outcome of a request, once settled: its payload, or the code of its error. */
function outcome(p: Promise<unknown>): { value?: unknown; code?: string; error?: unknown; done: boolean } {
  const o: { value?: unknown; code?: string; error?: unknown; done: boolean } = { done: false };
  p.then(
    (value) => Object.assign(o, { value, done: true }),
    (error: unknown) => Object.assign(o, { error, code: (error as { code?: string }).code, done: true }),
  );
  return o;
}

const isClientError = (code: string) => (err: unknown) => err instanceof ClientError && err.code === code;

describe('client state machine (fake link, fake timers)', () => {
  let clock: ManualClock;
  let connector: FakeConnector;
  let logger: MemoryLogger;
  const machines: ClientMachine<string>[] = [];

  beforeEach(() => {
    clock = new ManualClock();
    connector = new FakeConnector();
    logger = new MemoryLogger();
  });
  afterEach(async () => {
    await Promise.all(machines.splice(0).map((m) => m.close()));
  });

  /** A machine on the fake connector and clock; its first attempt has started once this resolves. */
  async function machine(options: Partial<ClientMachineOptions> = {}) {
    const m = new ClientMachine<string>(
      { host: '10.0.0.1', port: 8333, timers: clock, random: () => 0, logger, backoff: { initialMs: 100, maxMs: 1000 }, ...options },
      connector,
    );
    machines.push(m);
    const states: ClientState[] = [];
    const retries: { attempt: number; delayMs: number; error: Error | undefined }[] = [];
    const ready: unknown[] = [];
    m.on('state', (s) => states.push(s));
    m.on('retry', (r) => retries.push(r));
    m.on('ready', (a) => ready.push(a));
    await clock.advance(0);
    return { m, states, retries, ready };
  }

  /** A machine whose first connection is open. */
  async function open(options: Partial<ClientMachineOptions> = {}) {
    const t = await machine(options);
    connector.last.open();
    return { ...t, link: connector.last };
  }

  it('connects at once; requests made meanwhile go out in order when it opens, and replies match them in order', async () => {
    const { m, states, ready } = await machine();
    assert.equal(connector.links.length, 1);
    assert.equal(m.state, 'connecting');
    const a = m.request('pb', { from: 1 });
    const b = m.request('pb', { from: 2 });
    assert.equal(m.pending, 2);
    let connected = 0;
    m.on('connect', () => connected++);
    connector.last.open();
    assert.deepEqual(states, ['open']);
    assert.equal(connected, 1);
    assert.deepEqual(
      connector.last.sent.map((s) => s.wire),
      ['pb:{"from":1}', 'pb:{"from":2}'],
    );
    connector.last.reply('pb', { height: 1, blocks: [] });
    connector.last.reply('pb', { height: 2, blocks: [] });
    assert.equal((await a).height, 1);
    assert.equal((await b).height, 2);
    assert.deepEqual(ready, [{ host: '10.0.0.1', port: 8333 }], 'ready once, on the first valid reply');
    assert.equal(m.pending, 0);
  });

  it('a deadline rejects with timeout; a queued request is not sent after it; a late reply is matched and dropped', async () => {
    const { m } = await machine({ requestTimeoutMs: 1000 });
    const queued = outcome(m.request('gp'));
    await clock.advance(999);
    assert.equal(queued.done, false);
    await clock.advance(1);
    assert.equal(queued.code, 'timeout');
    connector.last.open();
    assert.deepEqual(connector.last.sent, [], 'a request that timed out in the queue is not sent');

    const late = outcome(m.request('pb', { from: 1 }, { timeoutMs: 50 }));
    const next = m.request('pb', { from: 2 });
    await clock.advance(50);
    assert.equal(late.code, 'timeout');
    assert.equal(m.pending, 1);
    connector.last.reply('pb', { height: 1, blocks: [] }); // the late one's
    connector.last.reply('pb', { height: 2, blocks: [] });
    assert.equal((await next).height, 2);
    assert.equal(clock.pending, 0, 'no deadline is left once every request settled');
  });

  it(`more than ${MAX_OVERDUE} requests overdue: the connection is replaced as a protocol violation`, async () => {
    const { m, link, retries } = await open();
    const overdue = Array.from({ length: MAX_OVERDUE }, () => outcome(m.request('gp', undefined, { timeoutMs: 10 })));
    const waiting = outcome(m.request('gp', undefined, { timeoutMs: 60_000 }));
    await clock.advance(10);
    assert.ok(overdue.every((o) => o.code === 'timeout'));
    assert.equal(link.destroyed, false, `${MAX_OVERDUE} overdue are tolerated`);
    const last = outcome(m.request('gp', undefined, { timeoutMs: 10 }));
    await clock.advance(10);
    assert.equal(last.code, 'timeout');
    assert.equal(link.destroyed, true);
    assert.equal(waiting.code, 'protocol-violation', 'what was in flight fails with the violation');
    assert.match(logger.at('warn')[0]?.message ?? '', /server broke the protocol/);
    link.reply('gp', {}); // delivered after the drop: ignored
    link.lose();
    assert.ok(isClientError('protocol-violation')(retries[0]?.error), String(retries[0]?.error));
    assert.equal(m.state, 'backoff');
  });

  it('backoff: capped exponential delays, not reset by a connection opening, reset only by a valid reply', async () => {
    const { m, retries } = await machine();
    const delays = () => retries.map((r) => r.delayMs);
    for (let i = 0; i < 5; i++) {
      connector.last.fail(new Error('refused'));
      assert.equal(m.state, 'backoff');
      await clock.advance(retries[retries.length - 1]?.delayMs ?? 0);
      assert.equal(connector.links.length, i + 2, 'the next attempt starts when its delay is over');
    }
    assert.deepEqual(delays(), [100, 200, 400, 800, 1000]);
    assert.deepEqual(
      retries.map((r) => r.attempt),
      [1, 2, 3, 4, 5],
    );
    connector.last.open();
    connector.last.lose();
    assert.equal(delays()[5], 1000, 'a connection that opened and gave no valid reply counts as a failure');
    await clock.advance(1000);
    connector.last.open();
    const busy = m.request('gp');
    connector.last.er('busy');
    await assert.rejects(busy, (err: unknown) => err instanceof ProtocolError && err.code === 'busy');
    connector.last.lose();
    assert.equal(delays()[6], 1000, 'er busy answers the request but is no valid reply');
    await clock.advance(1000);
    connector.last.open();
    const rejected = m.request('tx', { content: 'x' } as never);
    connector.last.er('wrong-network');
    await assert.rejects(rejected, (err: unknown) => err instanceof ProtocolError && err.code === 'wrong-network');
    connector.last.lose();
    assert.equal(delays()[7], 100, 'an er other than busy is a valid reply: the backoff starts afresh');
  });

  it('jitter comes from the injected random source', async () => {
    const { retries } = await machine({ random: () => 1, backoff: { initialMs: 100, maxMs: 1000, jitter: 0.5 } });
    connector.last.fail();
    await clock.advance(50);
    connector.last.fail();
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [50, 100],
    );
  });

  it('er busy before any request: backs off without a violation, reporting busy', async () => {
    const { link, retries } = await open();
    link.er('busy', 'over the limit of 1 connections');
    assert.equal(link.destroyed, true);
    link.lose();
    const error = retries[0]?.error;
    assert.ok(error instanceof ProtocolError && error.code === 'busy', String(error));
    assert.match(logger.at('warn')[0]?.message ?? '', /server is busy/);
  });

  it('breaking the protocol: a frame nobody asked for, another opcode, a fatal decode error; a non-fatal one fails only its request', async () => {
    const cases: [string, (link: FakeLink) => void][] = [
      ['unasked', (link) => link.reply('gp', {})],
      ['another opcode', (link) => link.reply('gp', {})],
      ['fatal', (link) => link.undecodable('frame-too-large')],
    ];
    const { m } = await open();
    for (const [what, breakIt] of cases) {
      const link = connector.last;
      const asked = what === 'unasked' ? undefined : outcome(m.request('pb', { from: 1 }));
      breakIt(link);
      await clock.advance(0);
      assert.equal(link.destroyed, true, what);
      if (asked) assert.equal(asked.code, 'protocol-violation', what);
      link.lose();
      await clock.advance(10_000);
      connector.last.open();
    }
    const link = connector.last;
    const bad = m.request('pb', { from: 1 });
    const good = m.request('pb', { from: 2 });
    link.undecodable('malformed');
    link.reply('pb', { height: 2, blocks: [] });
    await assert.rejects(
      bad,
      (err: unknown) => err instanceof ProtocolError && err.code === 'malformed' && /invalid pb reply/.test(String(err)),
    );
    assert.equal((await good).height, 2);
    assert.equal(link.destroyed, false);
  });

  it('an HTTP answer: not-a-peer', async () => {
    const { m, link, retries } = await open();
    const asked = m.request('gp');
    link.events.notAPeer('10.0.0.1:8333 answered with HTTP');
    await assert.rejects(asked, isClientError('not-a-peer'));
    link.lose();
    assert.ok(isClientError('not-a-peer')(retries[0]?.error));
    assert.match(logger.at('warn')[0]?.message ?? '', /not a chain peer/);
  });

  it('queue-full beyond maxQueue; whileDisconnected fail rejects at once with not-connected', async () => {
    const { m } = await machine({ maxQueue: 2 });
    const waiting = [outcome(m.request('gp')), outcome(m.request('gp'))];
    await assert.rejects(m.request('gp'), isClientError('queue-full'));
    connector.last.fail();
    await assert.rejects(m.request('gp'), isClientError('queue-full'), 'in backoff too');
    assert.deepEqual(
      waiting.map((w) => w.done),
      [false, false],
    );

    const failing = new ClientMachine<string>({ host: '10.0.0.2', port: 1, timers: clock, whileDisconnected: 'fail', logger }, connector);
    machines.push(failing);
    await assert.rejects(
      failing.request('gp'),
      (err: unknown) => isClientError('not-connected')(err) && /10\.0\.0\.2:1 \(connecting\)/.test(String(err)),
    );
    await clock.advance(0);
    connector.last.open();
    const sent = failing.request('gp');
    assert.equal(connector.last.sent.length, 1);
    connector.last.lose(new Error('reset'));
    await assert.rejects(sent, isClientError('connection-closed'));
    await assert.rejects(failing.request('gp'), isClientError('not-connected'));
  });

  it('a request that cannot be encoded rejects with the encoder error and takes no place', async () => {
    const { m, link } = await open();
    await assert.rejects(m.request('tx', 'unencodable' as never), RangeError);
    assert.equal(m.pending, 0);
    assert.deepEqual(link.sent, []);
    assert.equal(clock.pending, 0);
  });

  it('an interception answers on the spot or changes the reply', async () => {
    const { m, link } = await open();
    connector.intercepting = (op) =>
      op === 'nb' ? { reply: { status: 'Accepted' } } : { transform: (r) => ({ ...(r as object), blocks: [] }) };
    assert.deepEqual(await m.request('nb', { block: {} as never }), { status: 'Accepted' });
    assert.deepEqual(link.sent, []);
    const pb = m.request('pb', { from: 1 });
    link.reply('pb', { height: 1, blocks: [{}] });
    assert.deepEqual(await pb, { height: 1, blocks: [] });
  });

  it('lost: what is in flight fails with connection-closed, disconnect reports the error, and it reconnects', async () => {
    const { m, link, states } = await open();
    const disconnects: (Error | undefined)[] = [];
    m.on('disconnect', (e) => disconnects.push(e));
    const asked = m.request('gp');
    const reset = new Error('connection reset');
    link.lose(reset);
    await assert.rejects(asked, isClientError('connection-closed'));
    assert.deepEqual(disconnects, [reset]);
    link.reply('gp', {}); // from a connection that is gone: ignored
    assert.deepEqual(states, ['open', 'backoff']);
    await clock.advance(100);
    assert.equal(connector.links.length, 2);
    assert.equal(m.state, 'connecting');
    connector.last.fail(new Error('refused'));
    assert.deepEqual(disconnects, [reset], 'an attempt that never opened is no disconnect');
  });

  it('close: pending and queued fail with client-closed, later requests too; no timer is left; it is idempotent', async () => {
    const { m, link, states } = await open();
    const inFlight = m.request('gp', { wait: 60_000 });
    const closing = m.close();
    await assert.rejects(inFlight, isClientError('client-closed'));
    assert.equal(m.state, 'closed');
    assert.deepEqual(states, ['open', 'closed']);
    assert.equal(link.closed, true);
    assert.equal(m.close(), closing, 'the same promise');
    await closing;
    await assert.rejects(m.request('gp'), isClientError('client-closed'));
    link.reply('gp', {}); // a reply after close is dropped
    link.lose();
    assert.deepEqual(states, ['open', 'closed'], 'no backoff after close');
    assert.equal(clock.pending, 0);

    const { m: waiting } = await machine();
    const queued = waiting.request('gp');
    const attempt = connector.last;
    await waiting.close();
    await assert.rejects(queued, isClientError('client-closed'));
    assert.equal(attempt.closed, true, 'an attempt still connecting is given up');
    attempt.open();
    assert.equal(waiting.state, 'closed');
    assert.deepEqual(attempt.sent, []);
  });

  it('close in backoff clears the retry: no attempt follows', async () => {
    const { m } = await machine();
    connector.last.fail();
    assert.equal(clock.pending, 1);
    await m.close();
    assert.equal(clock.pending, 0);
    await clock.advance(60_000);
    assert.equal(connector.links.length, 1);
  });

  it('checks its options, naming them', () => {
    assert.throws(() => new ClientMachine({ host: '', port: 1 }, connector), /client host/);
    assert.throws(() => new ClientMachine({ host: 'h', port: 70_000 }, connector), /client port/);
    assert.throws(() => new ClientMachine({ host: 'h', port: 1, maxQueue: 0 }, connector), /client maxQueue/);
    assert.throws(() => new ClientMachine({ host: 'h', port: 1, timers: {} as never }, connector), /client timers must be an object/);
  });
});
