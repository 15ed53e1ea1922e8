/**
 * What the client state machine needs from whatever carries its bytes: a way to open one
 * connection at a time, send a request on it, hear what it delivered and drop it. TCP (the
 * socket link of this package), a simulator's virtual network and a test's direct calls each
 * implement it; pipelining, deadlines, backoff and the meaning of replies stay in the machine.
 */
import type { ReplyMessage, RequestOpcode, WireError } from '@chain/protocol';

/** What a connector may do with a request before it is sent: answer it on the spot, or change its reply. */
export type Interception = { readonly reply: unknown } | { readonly transform: (reply: unknown) => unknown };

/** Opens the connections of one client, one at a time, to its server. */
export interface ClientConnector<W> {
  /** The wire form of a request, made once when it is asked; throw to reject it (too large, not serialisable). */
  encode(op: RequestOpcode, payload: unknown): W;
  /** Start one connection attempt; it reports to `events`: `opened` or `failed`, then replies and `lost`. */
  connect(events: LinkEvents<W>): LinkAttempt;
  /**
   * Software on the client's own host that sees a request first (a simulated attacker's filter):
   * undefined sends it as it is. Called after the closed check, before `encode`.
   */
  intercept?(op: RequestOpcode, payload: unknown): Interception | undefined;
}

/** One connection attempt, from the dial to the end of the connection. */
export interface LinkAttempt {
  /** The client is closing: give up connecting, or end the connection once what was sent is out; resolves once it is gone. */
  close(): Promise<void>;
}

/** An open connection (closed like the attempt that opened it). */
export interface ClientLink<W> extends LinkAttempt {
  /** Send a request (replies come back in the order of these calls). */
  send(op: RequestOpcode, wire: W): void;
  /** Drop the connection at once (the server broke the protocol, or is busy); `lost` follows, at once or later. */
  destroy(): void;
}

/** What a connection attempt reports; the machine ignores anything from an attempt it gave up. */
export interface LinkEvents<W> {
  /** The connection is open: requests may be sent on `link`. */
  opened(link: ClientLink<W>): void;
  /** The attempt ended before the connection opened (refused, unreachable, timed out). */
  failed(error: Error | undefined): void;
  /** A reply frame, decoded (not kept beyond the call). */
  reply(message: ReplyMessage): void;
  /** A reply frame that could not be decoded, and why; a fatal error ends the stream. */
  undecodable(error: WireError): void;
  /** The other end is no chain peer at all (a web server answered). */
  notAPeer(message: string): void;
  /** The open connection ended (closed by the server, reset, or dropped by `destroy`). */
  lost(error: Error | undefined): void;
}
