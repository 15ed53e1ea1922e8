import { EventEmitter } from 'node:events';
import {
  ProtocolError,
  DEFAULT_MAX_FRAME,
  isFatalErrorCode,
  isRequestOpcode,
  validateReply,
  validateRequest,
  type RequestOpcode,
} from '@chain/protocol';
import {
  IdleSweep,
  pickEvictable,
  silentLogger,
  type Address,
  type HandledOpcode,
  type Handler,
  type Logger,
  type RequestContext,
  type TransportServer,
  type TransportServerEvents,
  type TransportServerOptions,
} from '@chain/net';
import type { ConnectionInfo } from '@chain/net';
import { frameBytes } from '../size';
import type { Conn, Frame, OwedReply } from './conn';
import type { FabricPort, ServerEnd } from './port';
import { eventTimers } from './timers';
import { Context } from './context';

type AnyHandler = (payload: unknown, context: RequestContext) => unknown;

/**
 * A server on a simulated host, with the behaviour of @chain/net's TCP server that a peer can
 * observe: handlers per opcode, replies in request order (requests run concurrently), `cc`,
 * `er` for unknown opcodes, oversized frames and handler failures, the connection limit with the
 * longest-idle connection giving way (docs/spec.md §7.4), idle connections closed, and a close that answers
 * what was received first. Not modelled: partial frames and write-buffer limits (frames arrive
 * whole), and at most `maxInFlight` requests at once.
 */
export class MemServer extends EventEmitter<TransportServerEvents> implements TransportServer, ServerEnd {
  readonly #fabric: FabricPort;
  readonly #node: number;
  readonly #handlers = new Map<string, AnyHandler>();
  readonly #live = new Map<number, Conn>();
  /** Connections that gave their slot away and are closing. */
  readonly #leaving = new Map<number, Conn>();
  readonly #maxFrame: number;
  readonly #maxConnections: number;
  readonly #canEvict: (id: number) => boolean;
  readonly #sweep: IdleSweep<Conn>;
  readonly #log: Logger;
  #address: Address | undefined;
  #nextId = 1;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(fabric: FabricPort, node: number, o: TransportServerOptions) {
    super();
    this.#fabric = fabric;
    this.#node = node;
    this.#maxFrame = o.maxFrame ?? DEFAULT_MAX_FRAME;
    this.#maxConnections = o.maxConnections ?? 256;
    const idleTimeoutMs = o.idleTimeoutMs ?? 60_000;
    if (!Number.isSafeInteger(idleTimeoutMs) || idleTimeoutMs < 0)
      throw new RangeError(`idleTimeoutMs must be a non-negative integer (0 disables), got ${String(o.idleTimeoutMs)}`);
    this.#canEvict = o.canEvict ?? (() => true);
    this.#log = o.logger ?? silentLogger;
    const scheduler = fabric.scheduler;
    this.#sweep = new IdleSweep(
      idleTimeoutMs,
      () => scheduler.time,
      () => this.#live.values(),
      (conn) => this.#shut(conn, 'idle'),
      eventTimers(scheduler),
    );
  }

  handle<K extends HandledOpcode>(op: K, handler: Handler<K>): this {
    if ((op as string) === 'cc' || (op as string) === 'er') throw new TypeError(`${op} cannot have a handler`);
    this.#handlers.set(op, handler as unknown as AnyHandler);
    return this;
  }

  get address(): Address | undefined {
    return this.#address;
  }

  get connections(): ConnectionInfo[] {
    return [...this.#live.values()].map((c) => ({ id: c.id, remote: c.remote }));
  }

  listen(port: number, host: string): Promise<Address> {
    if (this.#address !== undefined) return Promise.reject(new Error('server is already listening'));
    try {
      this.#address = this.#fabric.listen(this, this.#node, host, port);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return Promise.resolve(this.#address);
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#address) this.#fabric.unlisten(this.#address);
      this.#sweep.stop();
      this.#drained = resolve;
      for (const conn of [...this.#live.values(), ...this.#leaving.values()]) this.#shut(conn, 'shutdown');
      this.#checkDrained();
    });
    return this.#closing;
  }

  disconnect(connectionId: number): boolean {
    const conn = this.#live.get(connectionId);
    if (conn === undefined || conn.closing !== null) return false;
    this.#shut(conn, 'shutdown');
    return true;
  }

  // ---- called by the fabric ----

  /** A connection arrives (its handshake reached this host). */
  accept(conn: Conn): void {
    if (this.#closing !== undefined || this.#address === undefined) {
      conn.serverOpen = false;
      this.#fabric.send(conn, false, { kind: 'fin', bytes: 0 });
      return;
    }
    const now = this.#fabric.scheduler.time;
    conn.lastActive = now;
    if (this.#live.size >= this.#maxConnections && !this.#makeRoom(conn.remote)) {
      // Over the limit and nobody can give way: `er busy`, then close.
      this.#log.warn(
        { remote: conn.remote, maxConnections: this.#maxConnections },
        'connection limit reached and no connection can give way',
      );
      this.#sendErrorAndClose(conn, 'busy', `over the limit of ${this.#maxConnections} connections`);
      return;
    }
    conn.id = this.#nextId++;
    this.#live.set(conn.id, conn);
    this.#sweep.arm();
    this.emit('connection', { id: conn.id, remote: conn.remote });
  }

  /** A frame from a client. */
  receive(conn: Conn, frame: Frame): void {
    if (frame.kind === 'fin') {
      // The client closed its end: whatever is owed is not wanted.
      this.#ended(conn, 'peer-closed');
      return;
    }
    if (frame.kind !== 'q' || conn.closing !== null || !this.#live.has(conn.id)) return;
    conn.lastActive = this.#fabric.scheduler.time;
    const seq = conn.requests++;
    const op = frame.op;
    if (frame.bytes - 4 > this.#maxFrame)
      return this.#owe(conn, seq, errorReply('frame-too-large', `frame of ${frame.bytes - 4} bytes exceeds maxFrame ${this.#maxFrame}`));
    if (op === 'cc')
      return this.#owe(conn, seq, {
        kind: 'r',
        op: 'cc',
        payload: { status: 'Connection closed' },
        bytes: frameBytes({ status: 'Connection closed' }),
        closeAfter: 'cc',
      });
    if (!isRequestOpcode(op))
      return this.#owe(conn, seq, errorReply('unknown-opcode', op === 'er' ? 'er is never a request' : `unknown opcode ${op}`));
    let payload = frame.payload;
    if (this.#fabric.wire === 'json') {
      const checked = validateRequest(op, payload);
      if (!checked.ok) return this.#owe(conn, seq, errorReply(checked.error.code, checked.error.message));
      payload = checked.message.payload;
    }
    const screened = this.#fabric.screen(this.#node, conn.clientNode, op, payload);
    if (screened !== undefined) return this.#owe(conn, seq, this.#success(op, screened.reply));
    const handler = this.#handlers.get(op);
    if (handler === undefined) return this.#owe(conn, seq, errorReply('unknown-opcode', `no handler for ${op}`));
    const context = new Context(conn, op as RequestOpcode);
    let result: unknown;
    try {
      result = handler(payload, context);
    } catch (err) {
      return this.#owe(conn, seq, this.#failure(op, err));
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => this.#owe(conn, seq, this.#success(op, value)),
        (err: unknown) => this.#owe(conn, seq, this.#failure(op, err)),
      );
    } else this.#owe(conn, seq, this.#success(op, result));
  }

  /** The connection was cut under both ends (a partition). */
  lost(conn: Conn): void {
    this.#ended(conn, 'socket-error');
  }

  // ---- inside ----

  #success(op: string, value: unknown): OwedReply {
    if (this.#fabric.wire === 'json') {
      const checked = validateReply(op as RequestOpcode, JSON.parse(JSON.stringify(value ?? null)));
      if (!checked.ok) {
        this.#log.error({ op, error: checked.error.message }, 'handler reply breaks the protocol');
        return errorReply('internal', `the ${op} handler produced an invalid reply`);
      }
    }
    return { kind: 'r', op, payload: value, bytes: frameBytes(value ?? undefined), closeAfter: undefined };
  }

  #failure(op: string, err: unknown): OwedReply {
    if (err instanceof ProtocolError) return errorReply(err.code, err.message);
    this.#log.error({ op, error: (err as Error)?.message }, 'handler failed');
    return errorReply('internal', `${op} failed on the server`);
  }

  /** Hold a reply until those before it are sent; send what is due, in order. */
  #owe(conn: Conn, seq: number, reply: OwedReply): void {
    if (!conn.serverOpen) return;
    if (seq !== conn.nextReply) {
      conn.owed.set(seq, reply);
      return;
    }
    // Due now (the common case): sent without a stop in the map, then whatever waited for it.
    let next: OwedReply | undefined = reply;
    while (next !== undefined) {
      conn.nextReply++;
      conn.lastActive = this.#fabric.scheduler.time;
      this.#fabric.send(conn, false, next);
      if (next.closeAfter !== undefined) {
        this.#shut(conn, next.closeAfter);
        return;
      }
      if (conn.owed.size === 0) break;
      next = conn.owed.get(conn.nextReply);
      if (next !== undefined) conn.owed.delete(conn.nextReply);
    }
    if (conn.closing !== null && !conn.busy) this.#finish(conn);
  }

  /** Close after answering what was received. */
  #shut(conn: Conn, reason: string): void {
    if (conn.closing !== null) return;
    conn.closing = reason;
    conn.abort(); // long polls answer now
    if (!conn.busy) this.#finish(conn);
  }

  #finish(conn: Conn): void {
    if (!conn.serverOpen) return;
    this.#fabric.send(conn, false, { kind: 'fin', bytes: 0 });
    this.#ended(conn, conn.closing ?? 'shutdown');
  }

  #ended(conn: Conn, reason: string): void {
    if (!conn.serverOpen) return;
    conn.serverOpen = false;
    conn.owed.clear();
    conn.abort();
    this.#fabric.release(conn);
    if (this.#live.get(conn.id) === conn || this.#leaving.get(conn.id) === conn) {
      this.#live.delete(conn.id);
      this.#leaving.delete(conn.id);
      this.emit('disconnect', { id: conn.id, remote: conn.remote, reason: reason as never });
    }
    this.#checkDrained();
  }

  #sendErrorAndClose(conn: Conn, code: 'busy', message: string): void {
    this.#fabric.send(conn, false, errorReply(code, message));
    this.#fabric.send(conn, false, { kind: 'fin', bytes: 0 });
    conn.serverOpen = false;
    this.#fabric.release(conn);
  }

  /** Every slot is taken: the longest-idle connection that may give way does. False when none can. */
  #makeRoom(newcomer: Address): boolean {
    const pick = pickEvictable(this.#live.values(), this.#canEvict, this.#fabric.scheduler.time, this.#log);
    if (pick === undefined) return false;
    const best = pick.connection;
    const idleMs = Math.round(pick.idleMs);
    this.#live.delete(best.id);
    this.#leaving.set(best.id, best);
    this.emit('evict', { id: best.id, remote: best.remote, idleMs, newcomer });
    const e = errorReply(
      'busy',
      `all ${this.#maxConnections} connection slots are taken and this one was idle longest (${idleMs} ms): it gives way to a newcomer`,
    );
    best.closing = 'evicted';
    best.abort();
    this.#fabric.send(best, false, e);
    this.#finish(best);
    return true;
  }

  #checkDrained(): void {
    if (this.#drained !== undefined && this.#live.size === 0 && this.#leaving.size === 0) {
      const done = this.#drained;
      this.#drained = undefined;
      done();
    }
  }
}

function errorReply(code: string, message: string): OwedReply {
  const payload = { code, message };
  return { kind: 'r', op: 'er', payload, bytes: frameBytes(payload), closeAfter: isFatalErrorCode(code as never) ? code : undefined };
}
