/**
 * The behaviour of a client connection, whatever carries its bytes: pipelined requests with
 * deadlines, replies matched in order, `er` as a ProtocolError and local failures as ClientErrors,
 * and a connection that retries with capped exponential backoff until the server is there and
 * reconnects whenever it goes away. The backoff grows with every attempt that ends without a
 * valid reply, whether the server refused the connection or accepted it and broke the protocol;
 * only a valid reply resets it. Bytes move through an injected {@link ClientConnector}, time
 * through injected {@link Timers}, so the same machine runs on TCP and on a virtual clock.
 */
import { EventEmitter } from 'node:events';
import {
  ProtocolError,
  type ReplyMessage,
  type WireError,
  type ReplyPayloads,
  type RequestOpcode,
  type RequestPayloads,
} from '@chain/protocol';
import type { Address } from './address';
import { backoffDelay } from './backoff';
import type { ClientEvents, ClientState } from './client-events';
import type { ClientConnector, ClientLink, LinkAttempt, LinkEvents } from './client-link';
import { checkClientOptions, type ClientMachineOptions, type RequestOptions } from './client-options';
import { ClientError } from './errors';
import { FailureLog } from './failure-log';
import { stderrLogger } from './logger';
import { systemTimers, type TimerHandle, type Timers } from './timers';

/** Unanswered timed-out requests after which a connection is considered stuck and replaced. */
export const MAX_OVERDUE = 16;

/** Requests waiting for a connection, unless told otherwise. */
const DEFAULT_MAX_QUEUE = 1024;
/** Deadline of a request, unless told otherwise (ms). */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

interface Pending<W> {
  readonly op: RequestOpcode;
  readonly wire: W;
  readonly resolve: (payload: unknown) => void;
  readonly reject: (error: Error) => void;
  timer: TimerHandle;
  settled: boolean;
}

/** A client of one server; `W` is the wire form of a request on its connector's links. */
export class ClientMachine<W> extends EventEmitter<ClientEvents> {
  readonly #o: ClientMachineOptions;
  readonly #connector: ClientConnector<W>;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #log: FailureLog;
  #state: ClientState = 'connecting';
  /** The current connection attempt (until it fails or its connection is lost). */
  #attempt: LinkAttempt | undefined;
  /** Events from attempts before this one are ignored. */
  #generation = 0;
  #link: ClientLink<W> | undefined;
  /** The link was told to drop; what it still delivers is ignored. */
  #dropping = false;
  /** A valid reply has arrived on the current connection. */
  #answered = false;
  /** Why this side dropped the current connection (a violation, busy), reported with the retry. */
  #lastError: Error | undefined;
  readonly #queue: Pending<W>[] = [];
  readonly #inFlight: Pending<W>[] = [];
  /** Attempts since the last valid reply: the backoff exponent. */
  #attempts = 0;
  #retryTimer: TimerHandle;
  #closed: Promise<void> | undefined;

  constructor(options: ClientMachineOptions, connector: ClientConnector<W>) {
    super();
    checkClientOptions(options);
    this.#o = options;
    this.#connector = connector;
    this.#timers = options.timers ?? systemTimers;
    this.#random = options.random ?? Math.random;
    this.#log = new FailureLog(options.logger ?? stderrLogger, `${options.host}:${options.port}`);
    queueMicrotask(() => this.#connect());
  }

  /** The current connection state. */
  get state(): ClientState {
    return this.#state;
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    let n = this.#queue.length;
    for (const entry of this.#inFlight) if (!entry.settled) n++;
    return n;
  }

  /**
   * Send a request and resolve with its reply payload. An `er` reply rejects
   * with a ProtocolError carrying the specification's code; client-side failures
   * (timeout, lost connection) reject with a ClientError.
   */
  request<K extends RequestOpcode>(op: K, payload?: RequestPayloads[K], options: RequestOptions = {}): Promise<ReplyPayloads[K]> {
    return new Promise<ReplyPayloads[K]>((resolve, reject) => {
      if (this.#closed !== undefined) return reject(new ClientError('client-closed', 'the client is closed'));
      let answer = resolve as (payload: unknown) => void;
      const intercepted = this.#connector.intercept?.(op, payload);
      if (intercepted !== undefined) {
        if ('reply' in intercepted) return answer(intercepted.reply);
        const { transform } = intercepted;
        answer = (reply) => resolve(transform(reply) as ReplyPayloads[K]);
      }
      let wire: W;
      try {
        wire = this.#connector.encode(op, payload);
      } catch (err) {
        return reject(err as Error);
      }
      const entry: Pending<W> = { op, wire, resolve: answer, reject, timer: undefined, settled: false };
      const maxQueue = this.#o.maxQueue ?? DEFAULT_MAX_QUEUE;
      if (this.#state === 'open') {
        this.#send(entry);
      } else if ((this.#o.whileDisconnected ?? 'queue') === 'fail') {
        return reject(new ClientError('not-connected', `not connected to ${this.#target()} (${this.#state})`));
      } else if (this.#queue.length >= maxQueue) {
        return reject(new ClientError('queue-full', `more than ${maxQueue} requests waiting`));
      } else {
        this.#queue.push(entry);
      }
      const ms = options.timeoutMs ?? this.#o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      // A link may answer at once; a settled request needs no deadline.
      if (!entry.settled) entry.timer = this.#timers.setTimeout(() => this.#expire(entry, ms), ms);
    });
  }

  /** Stop reconnecting, fail pending requests, close the connection. */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    if (this.#retryTimer !== undefined) this.#timers.clearTimeout(this.#retryTimer);
    const error = new ClientError('client-closed', 'the client was closed');
    for (const entry of this.#queue.splice(0)) this.#settle(entry, error);
    for (const entry of this.#inFlight.splice(0)) this.#settle(entry, error);
    const attempt = this.#link ?? this.#attempt;
    this.#attempt = undefined;
    this.#link = undefined;
    this.#closed = Promise.resolve(); // set first: whatever the attempt reports while it closes is dropped
    if (attempt !== undefined) this.#closed = attempt.close();
    this.#setState('closed');
    return this.#closed;
  }

  #target(): string {
    return `${this.#o.host}:${this.#o.port}`;
  }

  #address(): Address {
    return { host: this.#o.host, port: this.#o.port };
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }

  #connect(): void {
    if (this.#closed !== undefined) return;
    this.#retryTimer = undefined;
    this.#setState('connecting');
    this.#answered = false;
    this.#dropping = false;
    const generation = ++this.#generation;
    let over = false;
    // Whatever an attempt reports after the client closed or moved on to another is dropped.
    const current = (): boolean => generation === this.#generation && this.#closed === undefined;
    const events: LinkEvents<W> = {
      opened: (link) => {
        if (current()) this.#opened(link);
      },
      failed: (error) => {
        if (!current()) return;
        over = true;
        this.#ended(error, false);
      },
      reply: (message) => {
        if (current() && !this.#dropping) this.#reply(message);
      },
      undecodable: (error) => {
        if (current() && !this.#dropping) this.#undecodable(error);
      },
      notAPeer: (message) => {
        if (current() && !this.#dropping) this.#violation(message, 'not-a-peer');
      },
      lost: (error) => {
        if (!current()) return;
        over = true;
        this.#ended(error, true);
      },
    };
    const attempt = this.#connector.connect(events);
    // A connector may report at once; an attempt that already ended is not kept.
    if (!over && current()) this.#attempt = attempt;
  }

  #opened(link: ClientLink<W>): void {
    // Not a reset of the backoff: a server that accepts and then breaks the protocol is
    // retried as slowly as one that refuses. Only a valid reply resets it.
    this.#link = link;
    this.#lastError = undefined;
    this.#setState('open');
    this.emit('connect', this.#address());
    for (const entry of this.#queue.splice(0)) this.#send(entry);
  }

  #send(entry: Pending<W>): void {
    this.#inFlight.push(entry);
    this.#link?.send(entry.op, entry.wire);
  }

  #expire(entry: Pending<W>, ms: number): void {
    const queued = this.#queue.indexOf(entry);
    if (queued >= 0) this.#queue.splice(queued, 1);
    // An in-flight entry stays in place so its late reply is matched and dropped.
    this.#settle(entry, new ClientError('timeout', `${entry.op} got no reply within ${ms} ms`));
    let overdue = 0;
    for (const e of this.#inFlight) if (e.settled) overdue++;
    if (overdue > MAX_OVERDUE) this.#violation(`more than ${MAX_OVERDUE} requests went unanswered past their deadline`);
  }

  #settle(entry: Pending<W>, error: Error | undefined, payload?: unknown): void {
    if (entry.settled) return;
    entry.settled = true;
    if (entry.timer !== undefined) this.#timers.clearTimeout(entry.timer);
    if (error === undefined) entry.resolve(payload);
    else entry.reject(error);
  }

  /** This side ends the connection; the link reports `lost` when it is gone. */
  #drop(): void {
    if (this.#link === undefined || this.#dropping) return;
    this.#dropping = true;
    this.#link.destroy();
  }

  /** The server broke the protocol (or is no chain peer): fail what is in flight, drop the connection. */
  #violation(message: string, code: 'protocol-violation' | 'not-a-peer' = 'protocol-violation'): void {
    const error = new ClientError(code, message);
    this.#log.note(code === 'not-a-peer' ? 'not a chain peer' : 'server broke the protocol', message, this.#attempts + 1);
    this.#lastError = error;
    for (const entry of this.#inFlight.splice(0)) this.#settle(entry, error);
    this.#drop();
  }

  /** A valid reply: the server is a working peer, so the next outage starts the backoff afresh. */
  #validReply(): void {
    this.#attempts = 0;
    this.#log.reset();
    if (this.#answered) return;
    this.#answered = true;
    this.emit('ready', this.#address());
  }

  #undecodable(error: WireError): void {
    if (error.fatal) return this.#violation(`undecodable reply stream: ${error.message}`);
    const entry = this.#inFlight.shift();
    if (entry === undefined) return this.#violation('a frame arrived that answers no request');
    this.#settle(entry, new ProtocolError(error.code, `invalid ${entry.op} reply: ${error.message}`));
  }

  #reply(message: ReplyMessage): void {
    const entry = this.#inFlight.shift();
    if (entry === undefined) {
      if (message.op === 'er' && message.payload.code === 'busy') {
        // A full server turns a newcomer away before any request: back off, no violation.
        this.#log.note('server is busy', message.payload.message, this.#attempts + 1);
        this.#lastError = new ProtocolError('busy', message.payload.message);
        return this.#drop();
      }
      return this.#violation('a frame arrived that answers no request');
    }
    if (message.op === 'er') {
      const { code, message: text } = message.payload;
      // `busy` says "go away": it answers the request but does not make the server a working peer.
      if (code !== 'busy') this.#validReply();
      return this.#settle(entry, new ProtocolError(code, text));
    }
    if (message.op !== entry.op) {
      this.#settle(entry, new ClientError('protocol-violation', `${entry.op} answered with ${message.op}`));
      return this.#violation(`${entry.op} answered with ${message.op}`);
    }
    this.#validReply();
    this.#settle(entry, undefined, message.payload);
  }

  /** The attempt ended: before it opened (`wasOpen` false) or after. Fail what was in flight, back off. */
  #ended(linkError: Error | undefined, wasOpen: boolean): void {
    this.#attempt = undefined;
    this.#link = undefined;
    const lost = new ClientError('connection-closed', `connection to ${this.#target()} closed before the reply`);
    for (const entry of this.#inFlight.splice(0)) this.#settle(entry, lost);
    // This side's reason for dropping it, if any, says more than the link's.
    const error = this.#lastError ?? linkError;
    this.#lastError = undefined;
    if (wasOpen) this.emit('disconnect', error);
    const delayMs = backoffDelay(this.#attempts, this.#o.backoff, this.#random);
    this.#attempts++;
    this.#setState('backoff');
    this.emit('retry', { attempt: this.#attempts, delayMs, error });
    this.#retryTimer = this.#timers.setTimeout(() => this.#connect(), delayMs);
  }
}
