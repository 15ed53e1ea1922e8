/**
 * A small in-memory Transport: servers in a Map by `host:port`, requests as direct handler calls,
 * every payload deep-copied through JSON both ways, replies of a connection in request order.
 * No limits (slots, idle timeout, frame size); backoff and request timers from `timers`.
 */
import { EventEmitter } from 'node:events';
import {
  ClientError,
  ProtocolError,
  backoffDelay,
  type Address,
  type ClientState,
  type ConnectionInfo,
  type HandledOpcode,
  type Handler,
  type Transport,
  type TransportClient,
  type TransportClientOptions,
  type TransportServer,
} from '@chain/net';
import type { ReplyPayloads, RequestOpcode, RequestPayloads } from '@chain/protocol';
import { systemTimers, type Timers } from '@chain/peer';

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
type AnyHandler = (payload: unknown, context: unknown) => unknown;

/** One request as the network saw it. */
export interface Sent {
  readonly op: RequestOpcode;
  readonly to: string;
}

/** A set of servers that reach each other; `transport` is what a peer is given. */
export class MemoryNetwork {
  readonly servers = new Map<string, MemoryServer>();
  /** Every request sent, in order. */
  readonly sent: Sent[] = [];
  readonly timers: Timers;
  #nextPort = 40_000;
  #nextId = 1;

  constructor(timers: Timers = systemTimers) {
    this.timers = timers;
  }

  readonly transport: Transport = {
    name: 'memory',
    createServer: () => new MemoryServer(this),
    createClient: (options) => new MemoryClient(this, options),
  };

  port(): number {
    return this.#nextPort++;
  }

  id(): number {
    return this.#nextId++;
  }
}

/** The server's side of one connection. */
class Link {
  readonly abort = new AbortController();
  #tail: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #ending = false;
  #closed = false;
  #reason: 'shutdown' | 'peer-closed' = 'shutdown';

  constructor(
    readonly server: MemoryServer,
    readonly client: MemoryClient,
    readonly info: ConnectionInfo,
  ) {}

  get open(): boolean {
    return !this.#ending;
  }

  /** A request; its reply is delivered after every earlier one of this connection. */
  serve(op: RequestOpcode, payload: unknown): Promise<unknown> {
    if (this.#ending) return Promise.reject(new ClientError('connection-closed', 'connection closed before the reply'));
    this.#inFlight++;
    const result = this.server.dispatch(this, op, copy(payload)).finally(() => {
      this.#inFlight--;
      if (this.#ending) queueMicrotask(() => this.#finish());
    });
    const delivered = this.#tail.then(() => result);
    this.#tail = delivered.catch(() => undefined);
    return delivered;
  }

  /** Stop taking requests, answer the ones received, then close (`shutdown`: tell the handlers now). */
  end(reason: 'shutdown' | 'peer-closed'): void {
    if (this.#ending) return;
    if (reason === 'shutdown') this.abort.abort();
    this.#reason = reason;
    this.#ending = true;
    queueMicrotask(() => this.#finish());
  }

  #finish(): void {
    if (this.#closed || this.#inFlight > 0) return;
    this.#closed = true;
    this.abort.abort();
    void this.#tail.then(() => {
      this.server.closed(this, this.#reason);
      this.client.lost(this);
    });
  }
}

class MemoryServer extends EventEmitter implements TransportServer {
  readonly #net: MemoryNetwork;
  readonly #handlers = new Map<string, AnyHandler>();
  readonly #live = new Map<number, Link>();
  #key: string | undefined;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(net: MemoryNetwork) {
    super();
    this.#net = net;
  }

  handle<K extends HandledOpcode>(op: K, handler: Handler<K>): this {
    this.#handlers.set(op, handler as unknown as AnyHandler);
    return this;
  }

  get connections(): ConnectionInfo[] {
    return [...this.#live.values()].map((l) => l.info);
  }

  async listen(port: number, host: string): Promise<Address> {
    const bound = { host, port: port === 0 ? this.#net.port() : port };
    const key = `${bound.host}:${bound.port}`;
    if (this.#net.servers.has(key)) throw Object.assign(new Error(`${key} is in use`), { code: 'EADDRINUSE' });
    this.#net.servers.set(key, this);
    this.#key = key;
    return bound;
  }

  accept(client: MemoryClient, remote: Address): Link | undefined {
    if (this.#closing) return undefined;
    const link = new Link(this, client, { id: this.#net.id(), remote });
    this.#live.set(link.info.id, link);
    this.emit('connection', link.info);
    return link;
  }

  async dispatch(link: Link, op: RequestOpcode, payload: unknown): Promise<unknown> {
    const handler = this.#handlers.get(op);
    if (!handler) throw new ProtocolError('unknown-opcode', `no handler for ${op}`);
    const context = { connectionId: link.info.id, remote: link.info.remote, op, signal: link.abort.signal };
    try {
      return copy(await handler(payload, context));
    } catch (err) {
      if (err instanceof ProtocolError) throw new ProtocolError(err.code, err.message);
      throw new ProtocolError('internal', 'the handler failed');
    }
  }

  disconnect(connectionId: number): boolean {
    const link = this.#live.get(connectionId);
    if (!link?.open) return false;
    link.end('shutdown');
    return true;
  }

  closed(link: Link, reason: string): void {
    if (!this.#live.delete(link.info.id)) return;
    this.emit('disconnect', { ...link.info, reason });
    if (this.#live.size === 0) this.#drained?.();
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#key !== undefined) this.#net.servers.delete(this.#key);
      this.#drained = resolve;
      if (this.#live.size === 0) resolve();
      for (const link of this.#live.values()) link.end('shutdown');
    });
    return this.#closing;
  }
}

interface Pending {
  readonly op: RequestOpcode;
  readonly payload: unknown;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (err: Error) => void;
  timer: unknown;
}

class MemoryClient extends EventEmitter implements TransportClient {
  readonly #net: MemoryNetwork;
  readonly #o: TransportClientOptions;
  readonly #local: Address;
  #state: ClientState = 'connecting';
  #link: Link | undefined;
  #answered = false;
  #attempt = 0;
  #retry: unknown;
  #closed = false;
  readonly #queue: Pending[] = [];
  readonly #pending = new Set<Pending>();

  constructor(net: MemoryNetwork, options: TransportClientOptions) {
    super();
    this.#net = net;
    this.#o = options;
    this.#local = { host: '127.0.0.1', port: net.port() };
    queueMicrotask(() => this.#connect());
  }

  get state(): ClientState {
    return this.#state;
  }

  request<K extends RequestOpcode>(op: K, payload?: RequestPayloads[K], options: { timeoutMs?: number } = {}): Promise<ReplyPayloads[K]> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new ClientError('client-closed', 'the client is closed'));
      const entry: Pending = { op, payload: copy(payload), resolve: resolve as (r: unknown) => void, reject, timer: undefined };
      if (this.#state !== 'open' && this.#o.whileDisconnected === 'fail')
        return reject(new ClientError('not-connected', `not connected (${this.#state})`));
      this.#pending.add(entry);
      const ms = options.timeoutMs ?? this.#o.requestTimeoutMs ?? 10_000;
      entry.timer = this.#net.timers.setTimeout(
        () => this.#settle(entry, new ClientError('timeout', `${op} got no reply within ${ms} ms`)),
        ms,
      );
      if (this.#state === 'open') this.#send(entry);
      else this.#queue.push(entry);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#net.timers.clearTimeout(this.#retry);
    for (const entry of [...this.#pending]) this.#settle(entry, new ClientError('client-closed', 'the client was closed'));
    this.#queue.length = 0;
    const link = this.#link;
    this.#link = undefined;
    link?.end('peer-closed');
    this.#setState('closed');
  }

  /** The server ended the connection. */
  lost(link: Link): void {
    if (this.#link !== link) return;
    this.#link = undefined;
    this.#backoff(undefined);
  }

  #connect(): void {
    if (this.#closed) return;
    this.#setState('connecting');
    const server = this.#net.servers.get(`${this.#o.host}:${this.#o.port}`);
    const link = server?.accept(this, this.#local);
    if (!link) return this.#backoff(new Error(`connect ECONNREFUSED ${this.#o.host}:${this.#o.port}`));
    this.#link = link;
    this.#answered = false;
    this.#setState('open');
    for (const entry of this.#queue.splice(0)) this.#send(entry);
  }

  #backoff(error: Error | undefined): void {
    if (this.#closed) return;
    const delayMs = backoffDelay(this.#attempt, this.#o.backoff);
    this.#attempt++;
    this.#setState('backoff');
    this.emit('retry', { attempt: this.#attempt, delayMs, error });
    this.#retry = this.#net.timers.setTimeout(() => this.#connect(), delayMs);
  }

  #send(entry: Pending): void {
    const link = this.#link as Link;
    this.#net.sent.push({ op: entry.op, to: `${this.#o.host}:${this.#o.port}` });
    link.serve(entry.op, entry.payload).then(
      (reply) => {
        if (this.#link === link && !this.#answered) {
          this.#answered = true;
          this.#attempt = 0;
          this.emit('ready', { host: this.#o.host, port: this.#o.port });
        }
        this.#settle(entry, undefined, reply);
      },
      (err: Error) => this.#settle(entry, err),
    );
  }

  #settle(entry: Pending, error: Error | undefined, reply?: unknown): void {
    if (!this.#pending.delete(entry)) return;
    this.#net.timers.clearTimeout(entry.timer);
    const queued = this.#queue.indexOf(entry);
    if (queued >= 0) this.#queue.splice(queued, 1);
    if (error) entry.reject(error);
    else entry.resolve(reply);
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
