import type { Address, Transport, TransportClient, TransportClientOptions, TransportServerOptions } from '@chain/net';
import type { Links } from '../links';
import type { Random } from '../random';
import type { Scheduler } from '../scheduler';
import type { Trace } from '../trace';
import type { OwnedEvent } from '../heap';
import { Conn, type Frame } from './conn';
import { MemServer } from './server';
import { MemClient } from './client';
import { checkValidationCost, transactionsToCheck } from './validation';
import type { ClientEnd, FabricPort, InboundFilter, OutboundFilter, ServerEnd, WireMode } from './port';

export type { ClientEnd, FabricPort, InboundFilter, OutboundFilter, ServerEnd, WireMode } from './port';

export interface FabricOptions {
  readonly scheduler: Scheduler;
  readonly links: Links;
  readonly trace: Trace;
  /** Backoff jitter of every client. */
  readonly rng: Random;
  readonly wire?: WireMode;
  /** A connection attempt to an unreachable host fails after this long (ms). Default 5000, like the TCP client. */
  readonly connectTimeoutMs?: number;
  /** Virtual µs a receiving host spends checking each transaction a frame makes it check; 0 (the default) is free. */
  readonly validationUsPerTx?: number;
}

/** A frame on its way, queued as its own event: where it goes, and whether its host has checked what it carries. */
class Delivery implements OwnedEvent {
  time = 0;
  seq = 0;
  run: ((arg: never) => void) | null = null;
  readonly arg: Delivery = this;
  readonly lane = null;
  checked = false;
  readonly conn: Conn;
  readonly up: boolean;
  readonly frame: Frame;
  readonly from: number;
  readonly to: number;

  constructor(conn: Conn, up: boolean, frame: Frame, from: number, to: number) {
    this.conn = conn;
    this.up = up;
    this.frame = frame;
    this.from = from;
    this.to = to;
  }
}

/** The ends a connection reports to when it is cut (a partition). */
export interface ConnEnds {
  readonly client: ClientEnd;
  readonly server: ServerEnd;
}

/**
 * The simulated internet: who listens where, connections between simulated hosts, and frames
 * carried over them with the latency, bandwidth and loss of the links, in virtual time. Each
 * simulated peer gets a {@link Transport} bound to its host.
 */
export class Fabric implements FabricPort {
  readonly scheduler: Scheduler;
  readonly links: Links;
  readonly trace: Trace;
  readonly rng: Random;
  readonly wire: WireMode;
  readonly connectTimeoutMs: number;
  /** µs of virtual time a host spends on each transaction it checks (0: checking is free). */
  readonly validationUsPerTx: number;
  /** Until when each host is busy checking (virtual ms), when checking costs time. */
  readonly #busy: number[] | null;
  readonly #listeners = new Map<string, { server: ServerEnd; node: number }>();
  readonly #hosts = new Map<string, number>();
  readonly #nodeHosts: string[] = [];
  readonly #ephemeral: number[] = [];
  readonly #open = new Map<Conn, ConnEnds>();
  readonly #filters = new Map<number, OutboundFilter>();
  readonly #inbound = new Map<number, InboundFilter>();

  constructor(o: FabricOptions) {
    this.scheduler = o.scheduler;
    this.links = o.links;
    this.trace = o.trace;
    this.rng = o.rng;
    this.wire = o.wire ?? 'object';
    this.connectTimeoutMs = o.connectTimeoutMs ?? 5000;
    this.validationUsPerTx = checkValidationCost(o.validationUsPerTx ?? 0);
    this.#busy = this.validationUsPerTx > 0 ? [] : null;
    for (const p of o.links.partitions) {
      this.scheduler.at(this.scheduler.time + p.startMs, () => this.#cut());
    }
  }

  /** Give node `node` the IPv4 address `host`. */
  addHost(node: number, host: string): void {
    if (this.#hosts.has(host)) throw new Error(`host ${host} is taken`);
    this.#hosts.set(host, node);
    this.#nodeHosts[node] = host;
    this.#ephemeral[node] = 40000;
  }

  hostOf(node: number): string {
    const h = this.#nodeHosts[node];
    if (h === undefined) throw new Error(`node ${node} has no host`);
    return h;
  }

  nodeOf(host: string): number | undefined {
    return this.#hosts.get(host);
  }

  /** The transport of a node: its servers listen on its host, its clients connect from it. */
  transport(node: number): Transport {
    this.hostOf(node);
    return {
      name: 'sim',
      createServer: (options?: TransportServerOptions) => new MemServer(this, node, options ?? {}),
      createClient: (options: TransportClientOptions) => new MemClient(this, node, options),
    };
  }

  /** Filter the requests of every client of `node` (see {@link OutboundFilter}); null removes it. */
  filter(node: number, filter: OutboundFilter | null): void {
    if (filter === null) this.#filters.delete(node);
    else this.#filters.set(node, filter);
  }

  /** What `node`'s outbound filter says of a request to `host`. */
  intercept(node: number, client: TransportClient, op: string, payload: unknown, host: string): ReturnType<OutboundFilter> {
    const f = this.#filters.get(node);
    return f === undefined ? undefined : f(client, op, payload, this.#hosts.get(host));
  }

  /** Filter the requests `node`'s servers receive (see {@link InboundFilter}); null removes it. */
  filterInbound(node: number, filter: InboundFilter | null): void {
    if (filter === null) this.#inbound.delete(node);
    else this.#inbound.set(node, filter);
  }

  /** What `node`'s inbound filter says of a request from `from`. */
  screen(node: number, from: number, op: string, payload: unknown): ReturnType<InboundFilter> {
    const f = this.#inbound.get(node);
    return f === undefined ? undefined : f(from, op, payload);
  }

  /** Open connections. */
  get connections(): number {
    return this.#open.size;
  }

  listen(server: ServerEnd, node: number, host: string, port: number): Address {
    const own = this.hostOf(node);
    if (host !== own && host !== '0.0.0.0') throw new Error(`node ${node} cannot listen on ${host}: its address is ${own}`);
    let p = port;
    if (p === 0) for (p = 8333; this.#listeners.has(`${own}:${p}`); p++);
    const key = `${own}:${p}`;
    if (this.#listeners.has(key))
      throw Object.assign(new Error(`listen EADDRINUSE: address already in use ${key}`), { code: 'EADDRINUSE' });
    this.#listeners.set(key, { server, node });
    return { host: own, port: p };
  }

  unlisten(address: Address): void {
    this.#listeners.delete(`${address.host}:${address.port}`);
  }

  /**
   * Open a connection from `client` on `node` to `host:port`: `opened` when the handshake is
   * back, `failed` when refused (one round trip) or unreachable (after the connect timeout).
   */
  connect(
    client: ClientEnd,
    node: number,
    host: string,
    port: number,
    opened: (conn: Conn) => void,
    failed: (err: Error) => void,
  ): () => void {
    const s = this.scheduler;
    const target = this.#hosts.get(host);
    let done = false;
    const timeout = s.after(this.connectTimeoutMs, () => {
      if (done) return;
      done = true;
      failed(new Error(`connection to ${host}:${port} timed out`));
    });
    const give = (f: () => void) => {
      if (done) return;
      done = true;
      s.cancel(timeout);
      f();
    };
    // An address nobody has: the attempt times out.
    if (target !== undefined)
      s.at(s.time + this.links.latency(node, target), () => {
        if (done || this.links.separated(node, target, s.time)) return;
        const listener = this.#listeners.get(`${host}:${port}`);
        const back = s.time + this.links.latency(target, node);
        if (listener === undefined) {
          s.at(back, () => give(() => failed(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port}`), { code: 'ECONNREFUSED' }))));
          return;
        }
        const port0 = (this.#ephemeral[node] = ((this.#ephemeral[node] as number) + 1) % 65536 || 40000);
        const conn = new Conn(node, target, { host: this.hostOf(node), port: port0 });
        conn.lastUp = s.time;
        conn.lastDown = back;
        this.#open.set(conn, { client, server: listener.server });
        this.trace.message(s.time, node, target, 'c', 'syn', 0);
        // Scheduled before the server can send anything: a frame sent at once (`er busy`) arrives after the handshake.
        s.at(back, () => {
          if (done) {
            // The client gave up (closed or timed out) meanwhile: end the connection.
            conn.clientOpen = false;
            this.send(conn, true, { kind: 'fin', bytes: 0 });
            return;
          }
          give(() => opened(conn));
        });
        listener.server.accept(conn);
      });
    return () => {
      if (done) return;
      done = true;
      s.cancel(timeout);
    };
  }

  /** Carry a frame one way; `up` is client to server. Delivered in order, unless the receiving end closed. */
  send(conn: Conn, up: boolean, frame: Frame): void {
    const s = this.scheduler;
    const from = up ? conn.clientNode : conn.serverNode;
    const to = up ? conn.serverNode : conn.clientNode;
    let at = this.links.transfer(from, to, frame.bytes, s.time);
    if (up) at = conn.lastUp = Math.max(at, conn.lastUp);
    else at = conn.lastDown = Math.max(at, conn.lastDown);
    s.schedule(at, new Delivery(conn, up, frame, from, to), this.#arrive);
  }

  /** A frame reached its host: handled now, or once its host is free and has checked what it carries. */
  readonly #arrive = (d: Delivery): void => {
    const { conn, up } = d;
    const ends = this.#open.get(conn);
    if (ends === undefined) return;
    if (up ? !conn.serverOpen : !conn.clientOpen) return;
    const s = this.scheduler;
    if (this.#busy !== null && this.#hold(d, s.time)) return;
    const frame = d.frame;
    this.trace.message(s.time, d.from, d.to, frame.kind, frame.kind === 'fin' ? 'fin' : frame.op, frame.bytes);
    if (up) ends.server.receive(conn, frame);
    else ends.client.receive(conn, frame);
    if (!conn.serverOpen && !conn.clientOpen) this.#open.delete(conn);
  };

  /** Whether a frame waits: its host is busy checking, or starts checking what this frame carries. */
  #hold(d: Delivery, now: number): boolean {
    const busy = this.#busy as number[];
    const until = busy[d.to] ?? 0;
    if (until > now) {
      // Behind what the host is checking: frames are taken in the order they arrived.
      this.scheduler.schedule(until, d, this.#arrive);
      return true;
    }
    if (d.checked) return false;
    d.checked = true;
    const ms = (transactionsToCheck(d.frame) * this.validationUsPerTx) / 1000;
    if (ms <= 0) return false;
    busy[d.to] = now + ms;
    this.scheduler.schedule(now + ms, d, this.#arrive);
    return true;
  }

  /** Forget a connection both ends are done with. */
  release(conn: Conn): void {
    if (!conn.serverOpen && !conn.clientOpen) this.#open.delete(conn);
  }

  /** A partition starts: every connection across it is cut at once, both ends told. */
  #cut(): void {
    const now = this.scheduler.time;
    const cut: [Conn, ConnEnds][] = [];
    for (const [conn, ends] of this.#open) if (this.links.separated(conn.clientNode, conn.serverNode, now)) cut.push([conn, ends]);
    this.trace.note(now, `partition cuts ${cut.length} connections`);
    for (const [conn, ends] of cut) {
      this.#open.delete(conn);
      if (conn.serverOpen) ends.server.lost(conn);
      if (conn.clientOpen) ends.client.lost(conn, new Error('connection reset: the network is partitioned'));
      conn.serverOpen = false;
      conn.clientOpen = false;
    }
  }
}
