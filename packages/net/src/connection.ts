/**
 * One inbound connection: decodes requests, runs handlers, writes replies in
 * request order, and enforces the per-connection limits.
 */
import type { Socket } from 'node:net';
import {
  ProtocolError,
  createRequestDecoder,
  encodeError,
  encodeFrame,
  isFatalErrorCode,
  validateReply,
  type MessageDecoder,
  type MessageEvent,
  type RequestMessage,
} from '@chain/protocol';
import { remoteOf, type Address } from './address';
import type { CloseReason, ConnectionSettings } from './connection-settings';
import { FrameTally, opcodeOf } from './frame-observer';
import type { Handler, RequestContext } from './handlers';

export type { CloseReason, ConnectionSettings } from './connection-settings';

const EMPTY = Buffer.alloc(0);

interface Slot {
  frame?: Buffer;
  closeAfter?: CloseReason;
}

export class Connection {
  readonly remote: Address;
  private readonly decoder: MessageDecoder<RequestMessage>;
  private readonly tally: FrameTally | undefined;
  private readonly abort = new AbortController();
  private readonly slots: Slot[] = [];
  private backlog: MessageEvent<RequestMessage>[] = [];
  private accepting = true;
  private endWhenIdle = false;
  private ended = false;
  private writeBlocked = false;
  private corked = false;
  private reason: CloseReason = 'peer-closed';
  private partialTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  /** When the last complete request arrived or the last one in flight was answered (or the accept). */
  private lastActive: number;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly settings: ConnectionSettings,
    onClose: (connection: Connection, reason: CloseReason) => void,
  ) {
    this.remote = remoteOf(socket);
    this.lastActive = settings.now();
    this.decoder = createRequestDecoder({ maxFrame: settings.maxFrame, limits: settings.limits });
    this.tally = settings.frames && new FrameTally(settings.frames);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onPeerEnd());
    socket.on('drain', () => {
      this.writeBlocked = false;
      this.pump(); // requests left waiting while the socket was full
    });
    socket.on('error', (err) => {
      this.reason = this.ended ? this.reason : 'socket-error';
      settings.logger.debug({ connectionId: id, error: err.message }, 'socket error');
    });
    socket.on('close', () => {
      this.clearTimers();
      this.abort.abort();
      this.backlog = [];
      this.slots.length = 0;
      onClose(this, this.reason);
    });
  }

  /** True once nothing more will be written to this connection. */
  private get closed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  /** Bytes waiting in the socket's write buffer. */
  get writeBuffered(): number {
    return this.socket.writableLength;
  }

  /** True while a request of this connection is being handled or its reply waits to be sent. */
  get busy(): boolean {
    return this.slots.length > 0 || this.backlog.length > 0;
  }

  /** True once the connection is on its way out (closing, half-closed by the peer, or gone). */
  get leaving(): boolean {
    return !this.accepting || this.endWhenIdle || this.closed;
  }

  /** How long this connection has been idle (0 while busy). */
  idleFor(now = this.settings.now()): number {
    return this.busy ? 0 : Math.max(0, now - this.lastActive);
  }

  /** Give the slot to a newcomer: answer `er busy` with `message`, then close. */
  evict(message: string): void {
    if (this.socket.destroyed) return;
    this.abort.abort();
    this.fatal(encodeError('busy', message), 'evicted');
  }

  /** Stop taking requests, finish the ones in flight, then close (`idle`: nothing is in flight). */
  shutdown(reason: 'shutdown' | 'idle' = 'shutdown'): void {
    if (this.socket.destroyed || this.ended) return; // already ending, its grace timer running
    this.reason = reason;
    this.stopInput();
    this.abort.abort();
    this.endWhenIdle = true;
    this.startGrace();
    this.flush();
  }

  /** Close now, dropping anything unsent. */
  destroy(reason: CloseReason): void {
    if (this.socket.destroyed) return;
    this.reason = reason;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.accepting) return; // closing: read and discard, so the peer's FIN is seen
    this.tally?.push(chunk);
    const events = this.decoder.push(chunk);
    for (const event of events) this.backlog.push(event);
    if (events.length > 0) this.lastActive = this.settings.now();
    if (this.decoder.partial) {
      if (events.length > 0 || this.partialTimer === undefined) this.startPartialTimer();
    } else if (this.partialTimer !== undefined) {
      clearTimeout(this.partialTimer);
      this.partialTimer = undefined;
    }
    this.pump();
  }

  private onPeerEnd(): void {
    // The peer will send nothing more; answer what it already sent, then close.
    this.accepting = false;
    this.endWhenIdle = true;
    this.clearPartialTimer();
    this.pump();
    this.flush();
  }

  private startPartialTimer(): void {
    this.clearPartialTimer();
    const ms = this.settings.partialFrameTimeoutMs;
    this.partialTimer = setTimeout(() => {
      this.partialTimer = undefined;
      this.settings.logger.warn({ connectionId: this.id, remote: this.remote, ms }, 'partial frame timed out');
      this.fatal(encodeError('bad-frame', `incomplete frame: no complete frame within ${ms} ms`), 'partial-frame-timeout');
    }, ms);
  }

  private clearPartialTimer(): void {
    if (this.partialTimer !== undefined) clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
  }

  private clearTimers(): void {
    this.clearPartialTimer();
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private startGrace(): void {
    if (this.graceTimer !== undefined) return;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      this.socket.destroy();
    }, this.settings.closeGraceMs);
  }

  /** No more requests from this connection; keep reading only to see the close. */
  private stopInput(): void {
    this.accepting = false;
    this.backlog = [];
    this.clearPartialTimer();
    this.socket.resume();
  }

  /** Queue a final frame after the pending replies, then close. */
  private fatal(frame: Buffer, reason: CloseReason): void {
    this.stopInput();
    this.slots.push({ frame, closeAfter: reason });
    this.startGrace();
    this.flush();
  }

  /** Dispatch backlog requests while the in-flight limit allows. */
  private pump(): void {
    // Errors are answered at once, so a backlog of them can fill every slot with no handler
    // left to call pump again: after flushing them, go on with the rest.
    do this.dispatch();
    while (this.backlog.length > 0 && this.slots.length < this.settings.maxInFlight && !this.closed && !this.writeBlocked);
  }

  private dispatch(): void {
    while (this.backlog.length > 0 && this.slots.length < this.settings.maxInFlight && !this.socket.destroyed) {
      const event = this.backlog.shift() as MessageEvent<RequestMessage>;
      if (event.type === 'error') {
        const { code, message, fatal } = event.error;
        if (fatal) {
          this.settings.logger.warn({ connectionId: this.id, code, message }, 'closing connection after a fatal frame error');
          this.fatal(encodeError(code, message), code === 'frame-too-large' ? 'frame-too-large' : 'bad-frame');
          return;
        }
        this.slots.push({ frame: encodeError(code, message) });
      } else if (event.message.op === 'cc') {
        this.fatal(encodeFrame('cc', { status: 'Connection closed' }), 'cc');
        return;
      } else {
        this.run(event.message);
      }
    }
    this.flush();
  }

  private run(message: RequestMessage): void {
    const slot: Slot = {};
    this.slots.push(slot);
    const op = message.op as Exclude<RequestMessage['op'], 'cc'>;
    const handler = this.settings.handlers[op] as Handler<typeof op> | undefined;
    if (handler === undefined) {
      slot.frame = encodeError('unknown-opcode', `this server does not handle ${op}`);
      return;
    }
    const context: RequestContext = { connectionId: this.id, remote: this.remote, op, signal: this.abort.signal };
    new Promise((resolve) => resolve(handler(message.payload as never, context)))
      .then((reply) => (this.closed ? EMPTY : this.encodeReply(op, reply)))
      .catch((err: unknown) => this.encodeFailure(op, err, slot))
      .then((frame) => {
        if (slot.frame === undefined) slot.frame = frame;
        this.flush();
        this.pump();
      });
  }

  private encodeReply(op: string, reply: unknown): Buffer {
    if (this.settings.validateReplies) {
      const check = validateReply(op as 'tx', reply, this.settings.limits);
      if (!check.ok) throw new Error(`handler returned an invalid reply: ${check.error.message}`);
    }
    return encodeFrame(op, reply, this.settings.maxFrame);
  }

  private encodeFailure(op: string, err: unknown, slot: Slot): Buffer {
    if (err instanceof ProtocolError) {
      if (isFatalErrorCode(err.code)) slot.closeAfter = err.code === 'frame-too-large' ? 'frame-too-large' : 'bad-frame';
      return encodeError(err.code, err.message.slice(0, 1024));
    }
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.settings.logger.error({ op, connectionId: this.id, remote: this.remote, error }, 'request handler failed');
    return encodeError('internal', `internal error while handling ${op}`);
  }

  /** Write every finished reply at the head of the queue, in order. */
  private flush(): void {
    while (!this.socket.destroyed && !this.ended) {
      const head = this.slots[0];
      if (head === undefined || head.frame === undefined) break;
      this.slots.shift();
      if (this.slots.length === 0) this.lastActive = this.settings.now(); // idle from the last answer
      this.corkUntilTick();
      if (!this.socket.write(head.frame)) this.writeBlocked = true;
      if (head.frame.length > 0) this.settings.frames?.frame('out', opcodeOf(head.frame), head.frame.length);
      if (head.closeAfter !== undefined) {
        this.reason = head.closeAfter;
        this.endSocket();
        return;
      }
      if (this.socket.writableLength > this.settings.maxWriteBuffer) {
        this.settings.logger.warn(
          { connectionId: this.id, remote: this.remote, buffered: this.socket.writableLength },
          'write buffer over its cap: the peer is not reading',
        );
        this.destroy('write-buffer-overflow');
        return;
      }
    }
    if (this.endWhenIdle && this.slots.length === 0 && this.backlog.length === 0) this.endSocket();
    else this.maybeResume();
  }

  /**
   * Hold writes until the current tick's callbacks and promise reactions are done, so that the
   * replies finished together (a group commit answers many requests at once) go out in one
   * write instead of one system call and one TCP segment each.
   */
  private corkUntilTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }

  private endSocket(): void {
    if (this.ended || this.socket.destroyed) return;
    this.ended = true;
    this.accepting = false;
    this.slots.length = 0;
    this.abort.abort();
    this.socket.end();
    this.socket.resume();
    this.startGrace();
  }

  private maybeResume(): void {
    const busy = this.backlog.length > 0 || this.slots.length >= this.settings.maxInFlight || this.writeBlocked;
    if (!this.accepting || this.socket.destroyed) return;
    if (busy) {
      // We stopped reading, so an incomplete frame is not the peer's fault.
      this.socket.pause();
      this.clearPartialTimer();
    } else if (this.socket.isPaused()) {
      this.socket.resume();
      if (this.decoder.partial && this.partialTimer === undefined) this.startPartialTimer();
    }
  }
}
