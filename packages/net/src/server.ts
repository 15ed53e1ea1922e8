/**
 * The TCP server of the chain protocol: accepts connections up to a limit (the
 * longest-idle one giving way to a newcomer when all are taken), hands each to a
 * Connection, closes idle ones, and shuts down without leaving sockets or timers.
 */
import { EventEmitter } from 'node:events';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS, DEFAULT_MAX_FRAME, encodeError, type PayloadLimits } from '@chain/protocol';
import { boundAddress, remoteOf, type Address } from './address';
import { Connection } from './connection';
import type { CloseReason, ConnectionSettings } from './connection-settings';
import { checkFrameObserver, type FrameObserver } from './frame-observer';
import type { HandledOpcode, Handler, HandlerTable } from './handlers';
import { stderrLogger, type Logger } from './logger';
import { IdleSweep, pickEvictable } from './slots';

/** Most simultaneous inbound connections unless told otherwise (docs/spec.md §7.4). */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** A connection with no complete request for this long is closed, unless told otherwise (ms). */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** A frame must complete this long after its first byte, unless told otherwise (ms). */
export const DEFAULT_PARTIAL_FRAME_TIMEOUT_MS = 30_000;

/** Server settings; every field has a default. */
export interface ServerOptions {
  /** Largest accepted frame `L`. Default 16 MiB. */
  readonly maxFrame?: number;
  /**
   * Most simultaneous inbound connections. When all are taken, the longest-idle connection that
   * `canEvict` allows gives way to a newcomer (`er busy`, then closed); only when none can does
   * the newcomer get `er busy`. Default 256.
   */
  readonly maxConnections?: number;
  /**
   * A connection that has sent no complete request for this long (counted from its last request
   * or the answer to it, or from the accept) is closed; one with a request in flight (a long poll)
   * is never idle. 0 disables. Default 60 000 ms.
   */
  readonly idleTimeoutMs?: number;
  /** Whether a connection may give way to a newcomer when every slot is taken. Default: every one may. */
  readonly canEvict?: (connectionId: number) => boolean;
  /** A frame must complete this long after its first byte. Default 30 000 ms. */
  readonly partialFrameTimeoutMs?: number;
  /** Bytes of unsent replies after which a connection is dropped. Default 2 × maxFrame. */
  readonly maxWriteBuffer?: number;
  /** Requests of one connection being handled at once; reading pauses beyond. Default 32. */
  readonly maxInFlight?: number;
  /** How long a closing connection may take to flush before it is destroyed. Default 2000 ms. */
  readonly closeGraceMs?: number;
  /** Check every handler reply against the protocol before sending it. Default true. */
  readonly validateReplies?: boolean;
  /** Payload bounds. */
  readonly limits?: Partial<PayloadLimits>;
  /** Where handler failures and dropped connections are reported. Default: stderr. */
  readonly logger?: Logger;
  /** Hears of every whole frame the connections read and write (traffic metrics). Default: none. */
  readonly frames?: FrameObserver;
}

/** A connection as shown to status displays. */
export interface ConnectionInfo {
  readonly id: number;
  readonly remote: Address;
}

/** Events of a Server. */
export interface ServerEvents {
  listening: [address: Address];
  connection: [info: ConnectionInfo];
  disconnect: [info: ConnectionInfo & { readonly reason: CloseReason }];
  busy: [remote: Address];
  /** A connection gave its slot to a newcomer (`er busy`, then closed). */
  evict: [info: ConnectionInfo & { readonly idleMs: number; readonly newcomer: Address }];
  close: [];
}

export class Server extends EventEmitter<ServerEvents> {
  private readonly settings: ConnectionSettings;
  private readonly handlers: HandlerTable = {};
  private readonly maxConnections: number;
  private readonly canEvict: (connectionId: number) => boolean;
  private readonly sweep: IdleSweep<Connection>;
  private readonly live = new Map<number, Connection>();
  /** Connections that gave their slot away and are still closing. */
  private readonly leaving = new Map<number, Connection>();
  private readonly rejected = new Map<Socket, NodeJS.Timeout>();
  private tcp: TcpServer | undefined;
  private bound: Address | undefined;
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(options: ServerOptions = {}) {
    super();
    const maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
    this.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (!Number.isSafeInteger(idleTimeoutMs) || idleTimeoutMs < 0) {
      throw new RangeError(`idleTimeoutMs must be a non-negative integer (0 disables), got ${String(idleTimeoutMs)}`);
    }
    if (options.canEvict !== undefined && typeof options.canEvict !== 'function') throw new TypeError('canEvict must be a function');
    this.canEvict = options.canEvict ?? (() => true);
    this.settings = {
      maxFrame,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      partialFrameTimeoutMs: options.partialFrameTimeoutMs ?? DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
      maxWriteBuffer: options.maxWriteBuffer ?? 2 * maxFrame,
      maxInFlight: options.maxInFlight ?? 32,
      closeGraceMs: options.closeGraceMs ?? 2000,
      validateReplies: options.validateReplies ?? true,
      logger: options.logger ?? stderrLogger,
      handlers: this.handlers,
      now: () => performance.now(),
      frames: options.frames === undefined ? undefined : checkFrameObserver(options.frames, 'server frames'),
    };
    this.sweep = new IdleSweep(
      idleTimeoutMs,
      this.settings.now,
      () => this.live.values(),
      (connection, idleMs) => {
        this.settings.logger.debug({ connectionId: connection.id, remote: connection.remote, idleMs }, 'closing an idle connection');
        connection.shutdown('idle');
      },
    );
  }

  /** Register the handler of an opcode (replacing any previous one). `cc` is built in. */
  handle<K extends HandledOpcode>(op: K, handler: Handler<K>): this {
    if ((op as string) === 'cc' || (op as string) === 'er') throw new TypeError(`${op} cannot have a handler`);
    (this.handlers as Record<string, unknown>)[op] = handler;
    return this;
  }

  /** The bound address once listening. */
  get address(): Address | undefined {
    return this.bound;
  }

  /** Open connections. */
  get connections(): ConnectionInfo[] {
    return [...this.live.values()].map((c) => ({ id: c.id, remote: c.remote }));
  }

  /**
   * Close one connection (e.g. a peer that misbehaved): requests already
   * received are answered, then the connection closes. False when unknown.
   */
  disconnect(connectionId: number): boolean {
    const connection = this.live.get(connectionId);
    if (connection === undefined) return false;
    connection.shutdown();
    return true;
  }

  /** Start listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port = 0, host = '127.0.0.1'): Promise<Address> {
    if (this.tcp !== undefined) return Promise.reject(new Error('server is already listening'));
    const tcp = createTcpServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
    this.tcp = tcp;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        this.tcp = undefined;
        reject(err);
      };
      tcp.once('error', onError);
      tcp.listen(port, host, () => {
        tcp.off('error', onError);
        tcp.on('error', (err) => this.settings.logger.error({ error: err.message }, 'server error'));
        this.bound = boundAddress(tcp.address());
        this.emit('listening', this.bound);
        resolve(this.bound);
      });
    });
  }

  /**
   * Stop accepting, let in-flight requests finish (up to `closeGraceMs`), close
   * every connection and resolve when no socket or timer of this server is left.
   */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const tcp = this.tcp;
    this.closing = new Promise<void>((resolve) => {
      this.sweep.stop();
      for (const socket of this.rejected.keys()) socket.destroy();
      for (const connection of this.live.values()) connection.shutdown();
      // Evicted connections in `leaving` are already ending; their grace timers bound them.
      // Resolve once the listener is closed and every socket has emitted 'close'
      // (its handle released, its timers cleared).
      let pending = 2;
      const done = () => {
        if (--pending === 0) resolve();
      };
      this.drained = done;
      this.checkDrained();
      if (tcp === undefined) done();
      else tcp.close(() => done());
    }).then(() => {
      this.tcp = undefined;
      this.emit('close');
    });
    return this.closing;
  }

  private checkDrained(): void {
    if (this.drained !== undefined && this.live.size === 0 && this.leaving.size === 0 && this.rejected.size === 0) {
      const done = this.drained;
      this.drained = undefined;
      done();
    }
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    if (this.live.size >= this.maxConnections && !this.makeRoom(remoteOf(socket))) {
      this.reject(socket);
      return;
    }
    const id = this.nextId++;
    const connection = new Connection(id, socket, this.settings, (c, reason) => {
      this.live.delete(c.id);
      this.leaving.delete(c.id);
      this.emit('disconnect', { id: c.id, remote: c.remote, reason });
      this.checkDrained();
    });
    this.live.set(id, connection);
    this.sweep.arm();
    this.emit('connection', { id, remote: connection.remote });
  }

  /** Every slot is taken: the longest-idle connection that may give way does. False when none can. */
  private makeRoom(newcomer: Address): boolean {
    const pick = pickEvictable(this.live.values(), this.canEvict, this.settings.now(), this.settings.logger);
    if (pick === undefined) return false;
    const { connection, idleMs } = pick;
    const idle = Math.round(idleMs);
    this.settings.logger.warn(
      { connectionId: connection.id, remote: connection.remote, idleMs: idle, newcomer, maxConnections: this.maxConnections },
      'all connection slots taken: the longest-idle connection gives way to a newcomer',
    );
    this.live.delete(connection.id);
    this.leaving.set(connection.id, connection);
    connection.evict(
      `all ${this.maxConnections} connection slots are taken and this one was idle longest (${idle} ms): it gives way to a newcomer`,
    );
    this.emit('evict', { id: connection.id, remote: connection.remote, idleMs: idle, newcomer });
    return true;
  }

  /** Over the limit: `er busy`, then close. */
  private reject(socket: Socket): void {
    const remote = remoteOf(socket);
    this.settings.logger.warn({ remote, maxConnections: this.maxConnections }, 'connection limit reached and no connection can give way');
    socket.on('error', () => {});
    const timer = setTimeout(() => socket.destroy(), this.settings.closeGraceMs);
    this.rejected.set(socket, timer);
    socket.on('close', () => {
      clearTimeout(timer);
      this.rejected.delete(socket);
      this.checkDrained();
    });
    socket.end(encodeError('busy', `over the limit of ${this.maxConnections} connections`));
    socket.resume();
    this.emit('busy', remote);
  }
}

/** Create a server; register handlers with `handle`, then `listen`. */
export function createServer(options?: ServerOptions): Server {
  return new Server(options);
}
