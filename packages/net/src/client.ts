/**
 * A client connection to one server: pipelined requests with timeouts, and a
 * connection that retries with capped exponential backoff until the server is
 * there and reconnects whenever it goes away. The backoff grows with every
 * attempt that ends without a valid reply, whether the server refused the
 * connection or accepted it and broke the protocol; only a valid reply resets it.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import {
  DEFAULT_MAX_FRAME,
  ProtocolError,
  createReplyDecoder,
  encodeFrame,
  type MessageDecoder,
  type ReplyMessage,
  type ReplyPayloads,
  type RequestOpcode,
  type RequestPayloads,
} from '@chain/protocol';
import type { Address } from './address';
import { backoffDelay } from './backoff';
import { checkClientOptions, type ClientOptions, type RequestOptions } from './client-options';
import { ClientError } from './errors';
import { HttpAnswerSniffer, httpAnswerMessage } from './http-answer';
import { stderrLogger, type Logger } from './logger';

export type { ClientOptions, RequestOptions } from './client-options';

/** Connection state, reported by the `state` event. */
export type ClientState = 'connecting' | 'open' | 'backoff' | 'closed';

/** Events of a Client. */
export interface ClientEvents {
  state: [state: ClientState];
  connect: [address: Address];
  disconnect: [error: Error | undefined];
  retry: [info: { readonly attempt: number; readonly delayMs: number; readonly error: Error | undefined }];
  /** The first valid reply on a connection: the server is a working peer, the backoff is reset. */
  ready: [address: Address];
}

/** Unanswered timed-out requests after which a connection is considered stuck and replaced. */
const MAX_OVERDUE = 16;

interface Pending {
  readonly op: RequestOpcode;
  readonly frame: Buffer;
  readonly resolve: (payload: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

export class Client extends EventEmitter<ClientEvents> {
  private current: ClientState = 'connecting';
  private socket: Socket | undefined;
  /** The socket whose writes are held until the end of the current tick, if any. */
  private corked: Socket | undefined;
  private decoder: MessageDecoder<ReplyMessage> | undefined;
  private sniffer = new HttpAnswerSniffer();
  /** A valid reply has arrived on the current connection. */
  private answered = false;
  /** The failure last logged at warn since the last valid reply; repeats are logged at debug. */
  private warned: string | undefined;
  private readonly queue: Pending[] = [];
  private readonly inFlight: Pending[] = [];
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;
  private closed: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: ClientOptions) {
    super();
    checkClientOptions(options);
    this.logger = options.logger ?? stderrLogger;
    queueMicrotask(() => this.connect());
  }

  /** The current connection state. */
  get state(): ClientState {
    return this.current;
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.inFlight.filter((p) => !p.settled).length + this.queue.length;
  }

  /**
   * Send a request and resolve with its reply payload. An `er` reply rejects
   * with a ProtocolError carrying the SPEC's code; client-side failures
   * (timeout, lost connection) reject with a ClientError.
   */
  request<K extends RequestOpcode>(op: K, payload?: RequestPayloads[K], options: RequestOptions = {}): Promise<ReplyPayloads[K]> {
    return new Promise<ReplyPayloads[K]>((resolve, reject) => {
      if (this.closed !== undefined) return reject(new ClientError('client-closed', 'the client is closed'));
      let frame: Buffer;
      try {
        frame = encodeFrame(op, payload, this.options.maxFrame ?? DEFAULT_MAX_FRAME);
      } catch (err) {
        return reject(err as Error);
      }
      const entry: Pending = { op, frame, resolve: resolve as (p: unknown) => void, reject, timer: undefined, settled: false };
      if (this.current === 'open') {
        this.send(entry);
      } else if ((this.options.whileDisconnected ?? 'queue') === 'fail') {
        return reject(new ClientError('not-connected', `not connected to ${this.target()} (${this.current})`));
      } else if (this.queue.length >= (this.options.maxQueue ?? 1024)) {
        return reject(new ClientError('queue-full', `more than ${this.options.maxQueue ?? 1024} requests waiting`));
      } else {
        this.queue.push(entry);
      }
      const ms = options.timeoutMs ?? this.options.requestTimeoutMs ?? 10_000;
      entry.timer = setTimeout(() => {
        const queued = this.queue.indexOf(entry);
        if (queued >= 0) this.queue.splice(queued, 1);
        // An in-flight entry stays in place so its late reply is matched and dropped.
        this.settle(entry, new ClientError('timeout', `${op} got no reply within ${ms} ms`));
        if (this.inFlight.filter((p) => p.settled).length > MAX_OVERDUE) {
          this.violation(`more than ${MAX_OVERDUE} requests went unanswered past their deadline`);
        }
      }, ms);
    });
  }

  /** Stop reconnecting, fail pending requests, close the connection. */
  close(): Promise<void> {
    if (this.closed !== undefined) return this.closed;
    clearTimeout(this.retryTimer);
    clearTimeout(this.connectTimer);
    const error = new ClientError('client-closed', 'the client was closed');
    for (const entry of this.queue.splice(0)) this.settle(entry, error);
    for (const entry of this.inFlight.splice(0)) this.settle(entry, error);
    const socket = this.socket;
    this.decoder = undefined; // replies still on their way are dropped
    this.closed = new Promise<void>((resolve) => {
      if (socket === undefined || socket.destroyed) return resolve();
      const force = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      socket.end();
    });
    this.setState('closed');
    return this.closed;
  }

  private target(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  private setState(state: ClientState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state);
  }

  private connect(): void {
    if (this.closed !== undefined) return;
    this.setState('connecting');
    const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
    this.socket = socket;
    this.decoder = createReplyDecoder({ maxFrame: this.options.maxFrame, limits: this.options.limits });
    this.sniffer = new HttpAnswerSniffer();
    this.answered = false;
    this.connectTimer = setTimeout(() => {
      socket.destroy(new Error(`connection to ${this.target()} timed out`));
    }, this.options.connectTimeoutMs ?? 5000);
    socket.once('connect', () => {
      // Not a reset of the backoff: a server that accepts and then breaks the protocol is
      // retried as slowly as one that refuses. Only a valid reply resets it (onData).
      clearTimeout(this.connectTimer);
      this.lastError = undefined;
      this.setState('open');
      this.emit('connect', { host: this.options.host, port: this.options.port });
      for (const entry of this.queue.splice(0)) this.send(entry);
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.lastError = err;
    });
    socket.on('close', () => this.onClose(socket));
  }

  private send(entry: Pending): void {
    this.inFlight.push(entry);
    const socket = this.socket;
    if (socket === undefined) return;
    // Requests made in the same tick (gossip of a batch of transactions, pipelined calls) go out
    // in one write, not one system call and one TCP segment each.
    if (this.corked !== socket) {
      this.corked = socket;
      socket.cork();
      process.nextTick(() => {
        if (this.corked === socket) this.corked = undefined;
        socket.uncork();
      });
    }
    socket.write(entry.frame);
  }

  private settle(entry: Pending, error: Error | undefined, payload?: unknown): void {
    if (entry.settled) return;
    entry.settled = true;
    clearTimeout(entry.timer);
    if (error === undefined) entry.resolve(payload);
    else entry.reject(error);
  }

  /** The server broke the protocol (or is no chain peer): fail what is in flight, drop the connection. */
  private violation(message: string, code: 'protocol-violation' | 'not-a-peer' = 'protocol-violation'): void {
    const error = new ClientError(code, message);
    this.note(code === 'not-a-peer' ? 'not a chain peer' : 'server broke the protocol', message);
    this.lastError = error;
    for (const entry of this.inFlight.splice(0)) this.settle(entry, error);
    this.socket?.destroy();
  }

  /** One log line per failed attempt at most: at warn the first time, at debug while it repeats. */
  private note(what: string, message: string): void {
    const fields = { server: this.target(), attempt: this.attempt + 1, message };
    if (this.warned === message) {
      this.logger.debug(fields, `${what} (again; retrying with backoff)`);
    } else {
      this.warned = message;
      this.logger.warn(fields, `${what}; retrying with backoff`);
    }
  }

  /** A valid reply: the server is a working peer, so the next outage starts the backoff afresh. */
  private onValidReply(): void {
    this.attempt = 0;
    this.warned = undefined;
    if (this.answered) return;
    this.answered = true;
    this.emit('ready', { host: this.options.host, port: this.options.port });
  }

  private onData(chunk: Buffer): void {
    if (this.decoder === undefined) return;
    const bytes = this.sniffer.push(chunk);
    if (bytes === 'http') return this.violation(httpAnswerMessage(this.target()), 'not-a-peer');
    for (const event of this.decoder.push(bytes)) {
      if (event.type === 'error' && event.error.fatal) {
        this.violation(`undecodable reply stream: ${event.error.message}`);
        return;
      }
      const entry = this.inFlight.shift();
      if (entry === undefined) {
        if (event.type === 'message' && event.message.op === 'er' && event.message.payload.code === 'busy') {
          // A full server turns a newcomer away before any request: back off, no violation.
          this.note('server is busy', event.message.payload.message);
          this.lastError = new ProtocolError('busy', event.message.payload.message);
          this.socket?.destroy();
          return;
        }
        this.violation('a frame arrived that answers no request');
        return;
      }
      if (event.type === 'error') {
        this.settle(entry, new ProtocolError(event.error.code, `invalid ${entry.op} reply: ${event.error.message}`));
      } else if (event.message.op === 'er') {
        const { code, message } = event.message.payload;
        // `busy` says "go away": it answers the request but does not make the server a working peer.
        if (code !== 'busy') this.onValidReply();
        this.settle(entry, new ProtocolError(code, message));
      } else if (event.message.op !== entry.op) {
        this.settle(entry, new ClientError('protocol-violation', `${entry.op} answered with ${event.message.op}`));
        this.violation(`${entry.op} answered with ${event.message.op}`);
        return;
      } else {
        this.onValidReply();
        this.settle(entry, undefined, event.message.payload);
      }
    }
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    clearTimeout(this.connectTimer);
    this.socket = undefined;
    this.decoder = undefined;
    const wasOpen = this.current === 'open';
    const lost = new ClientError('connection-closed', `connection to ${this.target()} closed before the reply`);
    for (const entry of this.inFlight.splice(0)) this.settle(entry, lost);
    if (this.closed !== undefined) return;
    const error = this.lastError;
    this.lastError = undefined;
    if (wasOpen) this.emit('disconnect', error);
    const delayMs = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt++;
    this.setState('backoff');
    this.emit('retry', { attempt: this.attempt, delayMs, error });
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }
}

/** Create a client; it starts connecting at once and keeps reconnecting until closed. */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
