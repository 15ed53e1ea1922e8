import type { Address, TransportClient } from '@chain/net';
import type { Random } from '../random';
import type { Scheduler } from '../scheduler';
import type { Conn, Frame } from './conn';

/** How payloads cross the simulated wire. */
export type WireMode =
  /** The object itself (fast; payloads are never changed after they are sent, so this is safe). */
  | 'object'
  /** Through JSON text and the protocol's payload checks, as over TCP (slower; a check that sharing changes nothing). */
  | 'json';

/** The server end of connections, as the fabric sees it. */
export interface ServerEnd {
  /** A connection arrives (its handshake reached this host). */
  accept(conn: Conn): void;
  /** A frame from a client. */
  receive(conn: Conn, frame: Frame): void;
  /** The connection was cut under both ends (a partition). */
  lost(conn: Conn): void;
}

/** The client end of a connection, as the fabric sees it. */
export interface ClientEnd {
  /** A frame from the server. */
  receive(conn: Conn, frame: Frame): void;
  /** The connection was cut under both ends (a partition). */
  lost(conn: Conn, error: Error): void;
}

/**
 * What a node's own software does with a request one of its clients (`client`, as
 * `createClient` returned it) makes to `target` (a node):
 * undefined sends it; `reply` answers it on the spot and sends nothing (an attacker that does not
 * relay what it would rather others did not hear); `transform` sends it and changes the reply.
 */
export type OutboundFilter = (
  client: TransportClient,
  op: string,
  payload: unknown,
  target: number | undefined,
) => { readonly reply: unknown } | { readonly transform: (reply: unknown) => unknown } | undefined;

/** What a node's server does with a request from node `from` before its handler: undefined hands it on; `reply` answers it instead. */
export type InboundFilter = (from: number, op: string, payload: unknown) => { readonly reply: unknown } | undefined;

/** What simulated servers and clients need of the network they run on. */
export interface FabricPort {
  readonly scheduler: Scheduler;
  /** Backoff jitter of every client. */
  readonly rng: Random;
  readonly wire: WireMode;
  listen(server: ServerEnd, node: number, host: string, port: number): Address;
  unlisten(address: Address): void;
  connect(
    client: ClientEnd,
    node: number,
    host: string,
    port: number,
    opened: (conn: Conn) => void,
    failed: (err: Error) => void,
  ): () => void;
  /** Carry a frame one way; `up` is client to server. */
  send(conn: Conn, up: boolean, frame: Frame): void;
  /** Forget a connection both ends are done with. */
  release(conn: Conn): void;
  intercept(node: number, client: TransportClient, op: string, payload: unknown, host: string): ReturnType<OutboundFilter>;
  screen(node: number, from: number, op: string, payload: unknown): ReturnType<InboundFilter>;
}
