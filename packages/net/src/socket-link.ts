/**
 * The TCP link of a client: one socket per connection attempt, requests framed by
 * @chain/protocol's encoder, replies cut and checked by its decoder, an HTTP answer recognised
 * for what it is, and the requests of one tick sent in one write.
 */
import { connect, type Socket } from 'node:net';
import { DEFAULT_MAX_FRAME, createReplyDecoder, encodeFrame, type MessageDecoder, type ReplyMessage } from '@chain/protocol';
import type { ClientConnector, ClientLink, LinkAttempt, LinkEvents } from './client-link';
import type { ClientOptions } from './client-options';
import { FrameTally, type FrameObserver } from './frame-observer';
import { HttpAnswerSniffer, httpAnswerMessage } from './http-answer';
import { systemTimers, type TimerHandle, type Timers } from './timers';

/** Deadline of one connection attempt, unless told otherwise (ms). */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** How long a closing client waits for its socket to end before destroying it (ms). */
const CLOSE_GRACE_MS = 1000;

/** Opens TCP connections to `host:port` for a client. */
export class SocketConnector implements ClientConnector<Buffer> {
  readonly #o: ClientOptions;

  constructor(options: ClientOptions) {
    this.#o = options;
  }

  encode(op: string, payload: unknown): Buffer {
    return encodeFrame(op, payload, this.#o.maxFrame ?? DEFAULT_MAX_FRAME);
  }

  connect(events: LinkEvents<Buffer>): LinkAttempt {
    return new SocketLink(this.#o, this.#o.timers ?? systemTimers, events);
  }
}

class SocketLink implements ClientLink<Buffer> {
  readonly #socket: Socket;
  readonly #events: LinkEvents<Buffer>;
  readonly #timers: Timers;
  readonly #target: string;
  readonly #decoder: MessageDecoder<ReplyMessage>;
  readonly #sniffer = new HttpAnswerSniffer();
  readonly #frames: FrameObserver | undefined;
  readonly #tally: FrameTally | undefined;
  readonly #connectTimer: TimerHandle;
  #open = false;
  #closing = false;
  /** Writes are held until the end of the current tick. */
  #corked = false;
  #error: Error | undefined;

  constructor(o: ClientOptions, timers: Timers, events: LinkEvents<Buffer>) {
    this.#events = events;
    this.#timers = timers;
    this.#target = `${o.host}:${o.port}`;
    this.#decoder = createReplyDecoder({ maxFrame: o.maxFrame, limits: o.limits });
    this.#frames = o.frames;
    this.#tally = o.frames && new FrameTally(o.frames);
    const socket = connect({ host: o.host, port: o.port, noDelay: true });
    this.#socket = socket;
    this.#connectTimer = timers.setTimeout(() => {
      socket.destroy(new Error(`connection to ${this.#target} timed out`));
    }, o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      timers.clearTimeout(this.#connectTimer);
      this.#open = true;
      events.opened(this);
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => {
      this.#error = err;
    });
    socket.on('close', () => {
      timers.clearTimeout(this.#connectTimer);
      if (this.#open) events.lost(this.#error);
      else events.failed(this.#error);
    });
  }

  send(op: string, frame: Buffer): void {
    const socket = this.#socket;
    // Requests made in the same tick (gossip of a batch of transactions, pipelined calls) go out
    // in one write, not one system call and one TCP segment each.
    if (!this.#corked) {
      this.#corked = true;
      socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        socket.uncork();
      });
    }
    socket.write(frame);
    this.#frames?.frame('out', op, frame.length);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  close(): Promise<void> {
    this.#closing = true; // replies still on their way are dropped
    this.#timers.clearTimeout(this.#connectTimer);
    const socket = this.#socket;
    return new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      const force = this.#timers.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        this.#timers.clearTimeout(force);
        resolve();
      });
      socket.end();
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    const bytes = this.#sniffer.push(chunk);
    if (bytes === 'http') return this.#events.notAPeer(httpAnswerMessage(this.#target));
    this.#tally?.push(bytes);
    for (const event of this.#decoder.push(bytes)) {
      // The client dropped the connection over an earlier frame: the rest of the chunk is not read.
      if (this.#socket.destroyed) return;
      if (event.type === 'message') this.#events.reply(event.message);
      else this.#events.undecodable(event.error);
    }
  }
}
