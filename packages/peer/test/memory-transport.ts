/**
 * A small in-memory Transport: servers in a Map by `host:port`, requests as direct handler calls,
 * every payload deep-copied through JSON both ways, replies of a connection in request order.
 * No limits (slots, idle timeout, frame size). Clients are @chain/net's client state machine on
 * a direct link, with backoff and request timers from `timers`.
 */
import { EventEmitter } from 'node:events';
import {
  ClientError,
  ClientMachine,
  ProtocolError,
  silentLogger,
  systemTimers,
  type Address,
  type ClientConnector,
  type ClientLink,
  type ConnectionInfo,
  type HandledOpcode,
  type Handler,
  type LinkAttempt,
  type LinkEvents,
  type Timers,
  type Transport,
  type TransportClientOptions,
  type TransportServer,
} from '@chain/net';
import type { ReplyMessage, RequestOpcode } from '@chain/protocol';

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
  /** Backoff jitter of every client. */
  readonly random: () => number;
  #nextPort = 40_000;
  #nextId = 1;

  constructor(timers: Timers = systemTimers, random: () => number = Math.random) {
    this.timers = timers;
    this.random = random;
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
    readonly info: ConnectionInfo,
    /** Tells the client's side that the connection ended. */
    readonly lost: () => void,
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
      this.lost();
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

  accept(remote: Address, lost: () => void): Link | undefined {
    if (this.#closing) return undefined;
    const link = new Link(this, { id: this.#net.id(), remote }, lost);
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

/** Connections of one client: a server's Link found in the network's Map, opened at once or refused. */
class DirectConnector implements ClientConnector<unknown> {
  readonly #net: MemoryNetwork;
  readonly #o: TransportClientOptions;
  readonly #local: Address;

  constructor(net: MemoryNetwork, options: TransportClientOptions) {
    this.#net = net;
    this.#o = options;
    this.#local = { host: '127.0.0.1', port: net.port() };
  }

  encode(_op: RequestOpcode, payload: unknown): unknown {
    return copy(payload);
  }

  connect(events: LinkEvents<unknown>): LinkAttempt {
    const target = `${this.#o.host}:${this.#o.port}`;
    const server = this.#net.servers.get(target);
    const direct = new DirectLink(this.#net, target, events);
    if (!direct.attach(server?.accept(this.#local, () => direct.lost()))) {
      events.failed(new Error(`connect ECONNREFUSED ${target}`));
      return direct;
    }
    events.opened(direct);
    return direct;
  }
}

/** The client's side of one connection: requests as calls of the server's Link, replies in order. */
class DirectLink implements ClientLink<unknown> {
  #link: Link | undefined;
  #gone = false;

  constructor(
    readonly net: MemoryNetwork,
    readonly target: string,
    readonly events: LinkEvents<unknown>,
  ) {}

  attach(link: Link | undefined): boolean {
    this.#link = link;
    return link !== undefined;
  }

  send(op: RequestOpcode, payload: unknown): void {
    const link = this.#link;
    if (link === undefined || this.#gone) return;
    this.net.sent.push({ op, to: this.target });
    link.serve(op, payload).then(
      (reply) => this.#reply({ op, payload: reply }),
      (err: Error) => {
        // A request sent while the server ends the connection fails with the connection (`lost`).
        if (err instanceof ProtocolError) this.#reply({ op: 'er', payload: { code: err.code, message: err.message } });
      },
    );
  }

  destroy(): void {
    this.#end();
    this.lost();
  }

  close(): Promise<void> {
    this.#end();
    return Promise.resolve();
  }

  /** The connection ended. */
  lost(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.events.lost(undefined);
  }

  #reply(message: { op: string; payload: unknown }): void {
    if (!this.#gone) this.events.reply(message as ReplyMessage);
  }

  #end(): void {
    this.#link?.end('peer-closed');
  }
}

/** @chain/net's client state machine on a direct link. */
class MemoryClient extends ClientMachine<unknown> {
  constructor(net: MemoryNetwork, options: TransportClientOptions) {
    super(
      { ...options, logger: options.logger ?? silentLogger, timers: net.timers, random: net.random },
      new DirectConnector(net, options),
    );
  }
}
