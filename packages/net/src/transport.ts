/**
 * What a peer needs from the network, as an interface: a server that answers requests per
 * opcode and client connections that send them. `tcpTransport` (the Server and Client of this
 * package) is the real one; an in-memory transport with a virtual clock runs the same peer in a
 * deterministic simulation. Every transport should pass the compliance suite in
 * `packages/net/test/compliance.ts`.
 */
import type { ReplyPayloads, RequestOpcode, RequestPayloads } from '@chain/protocol';
import type { Address } from './address';
import type { BackoffOptions } from './backoff';
import { Client, type ClientState, type RequestOptions } from './client';
import type { CloseReason } from './connection-settings';
import { checkFrameObserver, type FrameObserver } from './frame-observer';
import type { HandledOpcode, Handler } from './handlers';
import type { Logger } from './logger';
import { Server, type ConnectionInfo } from './server';

/** Server settings a transport honours (where it has such a limit at all). */
export interface TransportServerOptions {
  /** Largest request frame accepted. */
  readonly maxFrame?: number;
  /** Most simultaneous inbound connections; when all are taken the longest-idle one that `canEvict` allows gives way. */
  readonly maxConnections?: number;
  /** A connection with no complete request for this long is closed; 0 never. */
  readonly idleTimeoutMs?: number;
  /** Whether a connection may give way to a newcomer when every slot is taken. */
  readonly canEvict?: (connectionId: number) => boolean;
  /** A frame must complete this long after its first byte. */
  readonly partialFrameTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The intersection of the members of the union `U`: for functions, one overload each. */
type Overloads<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** `on` or `off` with one overload per event of `E`, so that Node's EventEmitter typed with `E` fits as it is. */
type PerEvent<E> = Overloads<{ [K in keyof E]: (event: K, listener: (...args: E[K] & unknown[]) => void) => unknown }[keyof E]>;

/** Events of a transport server. */
export interface TransportServerEvents {
  connection: [info: ConnectionInfo];
  disconnect: [info: ConnectionInfo & { readonly reason: CloseReason }];
  /** A connection gave its slot to a newcomer. */
  evict: [info: ConnectionInfo & { readonly idleMs: number; readonly newcomer: Address }];
}

/** The serving side: handlers per opcode (`cc` is answered by the transport), connections, limits. */
export interface TransportServer {
  on: PerEvent<TransportServerEvents>;
  off: PerEvent<TransportServerEvents>;
  /** Register the handler of an opcode, replacing any previous one. */
  handle<K extends HandledOpcode>(op: K, handler: Handler<K>): unknown;
  /** Start listening; port 0 picks a free one. Resolves with the bound address. */
  listen(port: number, host: string): Promise<Address>;
  /** Stop accepting, answer what was received, close every connection. Idempotent. */
  close(): Promise<void>;
  /** Close one connection after answering what it sent; false when unknown. */
  disconnect(connectionId: number): boolean;
  /** Open connections. */
  readonly connections: readonly ConnectionInfo[];
}

/** Client settings a transport honours. */
export interface TransportClientOptions {
  readonly host: string;
  readonly port: number;
  /** Largest frame sent or accepted. */
  readonly maxFrame?: number;
  /** Default deadline of a request, from the call to the reply. */
  readonly requestTimeoutMs?: number;
  /** A request while not connected: wait for the connection (`queue`) or reject at once with `not-connected` (`fail`). */
  readonly whileDisconnected?: 'queue' | 'fail';
  /** Delays between connection attempts. */
  readonly backoff?: BackoffOptions;
  readonly logger?: Logger;
}

/** Events of a transport client connection. */
export interface TransportClientEvents {
  /** `connecting`, `open` (requests may be sent), `backoff` (waiting to try again), `closed` (for good). */
  state: [state: ClientState];
  /** An attempt ended (refused, lost, or broken by the server); the next comes after `delayMs`. */
  retry: [info: { readonly attempt: number; readonly delayMs: number; readonly error: Error | undefined }];
  /** The first valid reply on a connection. */
  ready: [address: Address];
}

/**
 * One client connection to a server, reconnecting until closed. A reply resolves; `er` rejects
 * with a ProtocolError carrying its code; a failure of this side (timeout, lost connection,
 * closed client) rejects with a ClientError.
 */
export interface TransportClient {
  on: PerEvent<TransportClientEvents>;
  off: PerEvent<TransportClientEvents>;
  request<K extends RequestOpcode>(op: K, payload?: RequestPayloads[K], options?: RequestOptions): Promise<ReplyPayloads[K]>;
  /** Stop reconnecting, fail what is pending (`client-closed`), close the connection. Idempotent. */
  close(): Promise<void>;
  readonly state: ClientState;
}

/** A way for peers to reach each other. */
export interface Transport {
  /** For logs and test titles. */
  readonly name: string;
  createServer(options?: TransportServerOptions): TransportServer;
  createClient(options: TransportClientOptions): TransportClient;
}

/** TCP: the Server and Client of this package (docs/spec.md §5 framing on sockets). */
export const tcpTransport: Transport = Object.freeze({
  name: 'tcp',
  createServer: (options?: TransportServerOptions): TransportServer => new Server(options),
  createClient: (options: TransportClientOptions): TransportClient => new Client(options),
});

/** TCP as {@link tcpTransport}, with every frame its servers and clients read and write reported to `frames` (traffic metrics). */
export function observedTcpTransport(frames: FrameObserver): Transport {
  const observer = checkFrameObserver(frames);
  return Object.freeze({
    name: 'tcp',
    createServer: (options?: TransportServerOptions): TransportServer => new Server({ ...options, frames: observer }),
    createClient: (options: TransportClientOptions): TransportClient => new Client({ ...options, frames: observer }),
  });
}

/** Check that `value` is a Transport; the error names `what`. */
export function checkTransport(value: unknown, what = 'transport'): Transport {
  const t = value as Partial<Transport> | null;
  if (typeof t !== 'object' || t === null || typeof t.createServer !== 'function' || typeof t.createClient !== 'function') {
    throw new TypeError(
      `${what} must be an object with createServer and createClient functions (a Transport), got ${t === null ? 'null' : typeof t}`,
    );
  }
  return t as Transport;
}
