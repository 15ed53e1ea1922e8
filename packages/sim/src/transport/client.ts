import { DEFAULT_MAX_FRAME, isOpcode, validateReply, wireError, type ReplyMessage, type RequestOpcode } from '@chain/protocol';
import {
  ClientMachine,
  silentLogger,
  type ClientConnector,
  type ClientLink,
  type Interception,
  type LinkEvents,
  type TransportClient,
  type TransportClientOptions,
} from '@chain/net';
import { frameBytes } from '../size';
import type { Conn, Frame } from './conn';
import type { ClientEnd, FabricPort } from './port';
import { eventTimers } from './timers';

/** A request as it crosses the simulated wire. */
type SimRequest = Extract<Frame, { readonly kind: 'q' }>;

/**
 * A client connection on a simulated host: @chain/net's client state machine (the behaviour of
 * its TCP client that a peer can observe) on a link of the fabric, with the scheduler's events as
 * its timers and the simulation's generator as its jitter.
 */
export class MemClient extends ClientMachine<SimRequest> implements TransportClient {
  constructor(fabric: FabricPort, node: number, options: TransportClientOptions) {
    const connector = new FabricConnector(fabric, node, options);
    super(
      { ...options, logger: options.logger ?? silentLogger, timers: eventTimers(fabric.scheduler), random: () => fabric.rng.next() },
      connector,
    );
    connector.owner = this;
  }
}

/** Opens connections of one client across the fabric. */
class FabricConnector implements ClientConnector<SimRequest> {
  /** The client the node's own software sees (its outbound filter tells clients apart). */
  owner: TransportClient | undefined;
  readonly #fabric: FabricPort;
  readonly #node: number;
  readonly #o: TransportClientOptions;

  constructor(fabric: FabricPort, node: number, options: TransportClientOptions) {
    this.#fabric = fabric;
    this.#node = node;
    this.#o = options;
  }

  intercept(op: RequestOpcode, payload: unknown): Interception | undefined {
    return this.#fabric.intercept(this.#node, this.owner as TransportClient, op, payload, this.#o.host);
  }

  encode(op: RequestOpcode, payload: unknown): SimRequest {
    let sent: unknown = payload ?? undefined;
    let bytes: number;
    if (this.#fabric.wire === 'json' && sent !== undefined) {
      const text = JSON.stringify(sent);
      bytes = 6 + Buffer.byteLength(text);
      sent = JSON.parse(text);
    } else bytes = frameBytes(sent);
    const maxFrame = this.#o.maxFrame ?? DEFAULT_MAX_FRAME;
    if (bytes - 4 > maxFrame) throw new RangeError(`${op} frame of ${bytes - 4} bytes exceeds maxFrame ${maxFrame}`);
    return { kind: 'q', op, payload: sent, bytes };
  }

  connect(events: LinkEvents<SimRequest>): FabricLink {
    return new FabricLink(this.#fabric, this.#node, this.#o, events);
  }
}

/** One simulated TCP connection of a client, from the dial to its end. */
class FabricLink implements ClientLink<SimRequest>, ClientEnd {
  readonly #fabric: FabricPort;
  readonly #maxFrame: number;
  readonly #events: LinkEvents<SimRequest>;
  #conn: Conn | null = null;
  #cancelConnect: (() => void) | null;

  constructor(fabric: FabricPort, node: number, o: TransportClientOptions, events: LinkEvents<SimRequest>) {
    this.#fabric = fabric;
    this.#maxFrame = o.maxFrame ?? DEFAULT_MAX_FRAME;
    this.#events = events;
    this.#cancelConnect = fabric.connect(
      this,
      node,
      o.host,
      o.port,
      (conn) => {
        this.#cancelConnect = null;
        this.#conn = conn;
        events.opened(this);
      },
      (err) => {
        this.#cancelConnect = null;
        events.failed(err);
      },
    );
  }

  send(_op: RequestOpcode, request: SimRequest): void {
    if (this.#conn !== null) this.#fabric.send(this.#conn, true, request);
  }

  /** Like destroying the socket: a FIN to the server, and the connection is gone at once. */
  destroy(): void {
    const conn = this.#conn;
    if (conn === null) return;
    this.#fin(conn);
    this.#gone(conn, undefined);
  }

  close(): Promise<void> {
    this.#cancelConnect?.();
    this.#cancelConnect = null;
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) this.#fin(conn);
    return Promise.resolve();
  }

  // ---- called by the fabric ----

  /** A frame from the server. */
  receive(conn: Conn, frame: Frame): void {
    if (conn !== this.#conn) return;
    if (frame.kind === 'fin') return this.#gone(conn, undefined);
    if (frame.bytes - 4 > this.#maxFrame) {
      return this.#events.undecodable(wireError('frame-too-large', `frame of ${frame.bytes - 4} bytes exceeds maxFrame`));
    }
    // A reply frame has the op and payload of a reply message.
    if (this.#fabric.wire !== 'json') return this.#events.reply(frame as unknown as ReplyMessage);
    // As over TCP: the reply is checked against the schema of its opcode.
    if (!isOpcode(frame.op)) return this.#events.undecodable(wireError('unknown-opcode', `unknown opcode ${frame.op}`));
    const checked = validateReply(frame.op, JSON.parse(JSON.stringify(frame.payload ?? null)));
    if (checked.ok) this.#events.reply(checked.message);
    else this.#events.undecodable(checked.error);
  }

  /** The connection was cut under both ends (a partition). */
  lost(conn: Conn, error: Error): void {
    if (conn === this.#conn) this.#gone(conn, error);
  }

  #fin(conn: Conn): void {
    if (!conn.clientOpen) return;
    conn.clientOpen = false;
    this.#fabric.send(conn, true, { kind: 'fin', bytes: 0 });
    this.#fabric.release(conn);
  }

  #gone(conn: Conn, error: Error | undefined): void {
    conn.clientOpen = false;
    this.#fabric.release(conn);
    this.#conn = null;
    this.#events.lost(error);
  }
}
