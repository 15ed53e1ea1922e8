import { EventEmitter } from 'node:events';
import {
  DEFAULT_MAX_FRAME,
  ProtocolError,
  validateReply,
  type ReplyPayloads,
  type RequestOpcode,
  type RequestPayloads,
} from '@chain/protocol';
import {
  ClientError,
  backoffDelay,
  silentLogger,
  type Address,
  type ClientState,
  type Logger,
  type RequestOptions,
  type TransportClient,
  type TransportClientEvents,
  type TransportClientOptions,
} from '@chain/net';
import { frameBytes } from '../size';
import type { Conn, Frame } from './conn';
import type { ClientEnd, FabricPort } from './port';
import type { QueuedEvent } from '../heap';

/** Unanswered timed-out requests after which a connection is considered stuck and replaced (as in @chain/net). */
const MAX_OVERDUE = 16;

interface Pending {
  readonly op: string;
  readonly payload: unknown;
  readonly bytes: number;
  readonly resolve: (payload: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: QueuedEvent | null;
  settled: boolean;
}

/**
 * A client connection on a simulated host, with the behaviour of @chain/net's TCP client that a
 * peer can observe: states `connecting`, `open`, `backoff`, `closed`; pipelined requests with
 * deadlines; `er` as a ProtocolError and local failures as ClientErrors; reconnection with the
 * capped exponential backoff (jitter from the simulation's generator), reset only by a valid reply.
 */
export class MemClient extends EventEmitter<TransportClientEvents> implements TransportClient, ClientEnd {
  readonly #fabric: FabricPort;
  readonly #node: number;
  readonly #o: TransportClientOptions;
  readonly #log: Logger;
  #state: ClientState = 'connecting';
  #conn: Conn | null = null;
  #cancelConnect: (() => void) | null = null;
  readonly #queue: Pending[] = [];
  readonly #inFlight: Pending[] = [];
  #attempt = 0;
  #answered = false;
  #lastError: Error | undefined;
  #retry: QueuedEvent | null = null;
  #closed: Promise<void> | undefined;

  constructor(fabric: FabricPort, node: number, options: TransportClientOptions) {
    super();
    if (typeof options?.host !== 'string' || options.host === '')
      throw new TypeError(`client host must be a non-empty string, got ${String(options?.host)}`);
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
      throw new RangeError(`client port must be an integer from 1 to 65535, got ${String(options.port)}`);
    this.#fabric = fabric;
    this.#node = node;
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    queueMicrotask(() => this.#connect());
  }

  get state(): ClientState {
    return this.#state;
  }

  request<K extends RequestOpcode>(op: K, payload?: RequestPayloads[K], options: RequestOptions = {}): Promise<ReplyPayloads[K]> {
    return new Promise<ReplyPayloads[K]>((resolveReply, reject) => {
      let resolve = resolveReply;
      if (this.#closed !== undefined) return reject(new ClientError('client-closed', 'the client is closed'));
      const filtered = this.#fabric.intercept(this.#node, this, op, payload, this.#o.host);
      if (filtered !== undefined && 'reply' in filtered) return resolve(filtered.reply as ReplyPayloads[K]);
      if (filtered !== undefined)
        resolve = ((r: ReplyPayloads[K]) => resolveReply(filtered.transform(r) as ReplyPayloads[K])) as typeof resolve;
      let sent: unknown = payload ?? undefined;
      let bytes: number;
      try {
        if (this.#fabric.wire === 'json' && sent !== undefined) {
          const text = JSON.stringify(sent);
          bytes = 6 + Buffer.byteLength(text);
          sent = JSON.parse(text);
        } else bytes = frameBytes(sent);
      } catch (err) {
        return reject(err as Error);
      }
      const maxFrame = this.#o.maxFrame ?? DEFAULT_MAX_FRAME;
      if (bytes - 4 > maxFrame) return reject(new RangeError(`${op} frame of ${bytes - 4} bytes exceeds maxFrame ${maxFrame}`));
      const entry: Pending = { op, payload: sent, bytes, resolve: resolve as (p: unknown) => void, reject, timer: null, settled: false };
      if (this.#state === 'open') this.#send(entry);
      else if ((this.#o.whileDisconnected ?? 'queue') === 'fail')
        return reject(new ClientError('not-connected', `not connected to ${this.#target()} (${this.#state})`));
      else if (this.#queue.length >= 1024) return reject(new ClientError('queue-full', 'more than 1024 requests waiting'));
      else this.#queue.push(entry);
      const ms = options.timeoutMs ?? this.#o.requestTimeoutMs ?? 10_000;
      entry.timer = this.#fabric.scheduler.after(ms, () => {
        entry.timer = null;
        const queued = this.#queue.indexOf(entry);
        if (queued >= 0) this.#queue.splice(queued, 1);
        // An in-flight entry stays so that its late reply is matched and dropped.
        this.#settle(entry, new ClientError('timeout', `${op} got no reply within ${ms} ms`));
        if (this.#inFlight.filter((p) => p.settled).length > MAX_OVERDUE)
          this.#violation(`more than ${MAX_OVERDUE} requests went unanswered past their deadline`);
      });
    });
  }

  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    if (this.#retry) this.#fabric.scheduler.cancel(this.#retry);
    this.#cancelConnect?.();
    const error = new ClientError('client-closed', 'the client was closed');
    for (const e of this.#queue.splice(0)) this.#settle(e, error);
    for (const e of this.#inFlight.splice(0)) this.#settle(e, error);
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null && conn.clientOpen) {
      conn.clientOpen = false;
      this.#fabric.send(conn, true, { kind: 'fin', bytes: 0 });
      this.#fabric.release(conn);
    }
    this.#closed = Promise.resolve();
    this.#setState('closed');
    return this.#closed;
  }

  // ---- called by the fabric ----

  /** A frame from the server. */
  receive(conn: Conn, frame: Frame): void {
    if (conn !== this.#conn) return;
    if (frame.kind === 'fin') return this.#lost(conn, this.#lastError);
    const entry = this.#inFlight.shift();
    if (entry === undefined) {
      if (frame.op === 'er' && (frame.payload as { code?: string }).code === 'busy') {
        // A full server turns a newcomer away before any request: back off, no violation.
        this.#lastError = new ProtocolError('busy', String((frame.payload as { message?: unknown }).message));
        return this.#drop(conn);
      }
      return this.#violation('a frame arrived that answers no request');
    }
    if ((this.#o.maxFrame ?? DEFAULT_MAX_FRAME) < frame.bytes - 4) {
      this.#inFlight.unshift(entry);
      return this.#violation(`undecodable reply stream: frame of ${frame.bytes - 4} bytes exceeds maxFrame`);
    }
    let payload = frame.payload;
    if (frame.op === 'er') {
      const { code, message } = payload as { code: string; message: string };
      if (code !== 'busy') this.#validReply();
      return this.#settle(entry, new ProtocolError(code as never, message));
    }
    if (frame.op !== entry.op) {
      this.#settle(entry, new ClientError('protocol-violation', `${entry.op} answered with ${frame.op}`));
      return this.#violation(`${entry.op} answered with ${frame.op}`);
    }
    if (this.#fabric.wire === 'json') {
      const checked = validateReply(frame.op as RequestOpcode, JSON.parse(JSON.stringify(payload ?? null)));
      if (!checked.ok)
        return this.#settle(entry, new ProtocolError(checked.error.code, `invalid ${entry.op} reply: ${checked.error.message}`));
      payload = checked.message.payload;
    }
    this.#validReply();
    this.#settle(entry, undefined, payload);
  }

  /** The connection was cut under both ends (a partition). */
  lost(conn: Conn, error: Error): void {
    if (conn !== this.#conn) return;
    this.#lost(conn, error);
  }

  // ---- inside ----

  #target(): string {
    return `${this.#o.host}:${this.#o.port}`;
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }

  #connect(): void {
    if (this.#closed !== undefined) return;
    this.#retry = null;
    this.#setState('connecting');
    this.#answered = false;
    this.#cancelConnect = this.#fabric.connect(
      this,
      this.#node,
      this.#o.host,
      this.#o.port,
      (conn) => {
        this.#cancelConnect = null;
        this.#conn = conn;
        this.#lastError = undefined;
        this.#setState('open');
        for (const e of this.#queue.splice(0)) this.#send(e);
      },
      (err) => {
        this.#cancelConnect = null;
        this.#lastError = err;
        this.#backoff();
      },
    );
  }

  #send(entry: Pending): void {
    const conn = this.#conn;
    this.#inFlight.push(entry);
    if (conn === null) return;
    this.#fabric.send(conn, true, { kind: 'q', op: entry.op, payload: entry.payload, bytes: entry.bytes });
  }

  #settle(entry: Pending, error: Error | undefined, payload?: unknown): void {
    if (entry.settled) return;
    entry.settled = true;
    if (entry.timer) this.#fabric.scheduler.cancel(entry.timer);
    entry.timer = null;
    if (error === undefined) entry.resolve(payload);
    else entry.reject(error);
  }

  #validReply(): void {
    this.#attempt = 0;
    if (this.#answered) return;
    this.#answered = true;
    this.emit('ready', { host: this.#o.host, port: this.#o.port } satisfies Address);
  }

  /** The server broke the protocol: fail what is in flight, drop the connection. */
  #violation(message: string): void {
    const error = new ClientError('protocol-violation', message);
    this.#log.warn({ server: this.#target(), message }, 'server broke the protocol; retrying with backoff');
    this.#lastError = error;
    for (const e of this.#inFlight.splice(0)) this.#settle(e, error);
    if (this.#conn) this.#drop(this.#conn);
  }

  /** This side ends the connection (like destroying the socket) and goes to backoff. */
  #drop(conn: Conn): void {
    if (conn.clientOpen) {
      conn.clientOpen = false;
      this.#fabric.send(conn, true, { kind: 'fin', bytes: 0 });
      this.#fabric.release(conn);
    }
    this.#lost(conn, this.#lastError);
  }

  #lost(conn: Conn, error: Error | undefined): void {
    if (conn !== this.#conn) return;
    conn.clientOpen = false;
    this.#fabric.release(conn);
    this.#conn = null;
    const lost = new ClientError('connection-closed', `connection to ${this.#target()} closed before the reply`);
    for (const e of this.#inFlight.splice(0)) this.#settle(e, lost);
    if (this.#closed !== undefined) return;
    this.#lastError = error;
    this.#backoff();
  }

  #backoff(): void {
    const error = this.#lastError;
    this.#lastError = undefined;
    const delayMs = backoffDelay(this.#attempt, this.#o.backoff, () => this.#fabric.rng.next());
    this.#attempt++;
    this.#setState('backoff');
    this.emit('retry', { attempt: this.#attempt, delayMs, error });
    this.#retry = this.#fabric.scheduler.after(delayMs, () => this.#connect());
  }
}
