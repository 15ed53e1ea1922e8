import type { ReplyPayloads, RequestOpcode, RequestPayloads } from '@chain/protocol';
import type { Address } from './address';

/** What a handler knows about the request it serves. */
export interface RequestContext {
  /** Server-unique id of the connection. */
  readonly connectionId: number;
  /** The peer at the other end. */
  readonly remote: Address;
  /** The request's opcode. */
  readonly op: RequestOpcode;
  /** Aborted when the connection closes or the server shuts down (end long polls early). */
  readonly signal: AbortSignal;
}

/**
 * Answers one request. Return the reply payload; throw a ProtocolError to
 * answer `er` with its code; any other throw answers `er internal` and is logged.
 */
export type Handler<K extends RequestOpcode> = (
  payload: RequestPayloads[K],
  context: RequestContext,
) => ReplyPayloads[K] | Promise<ReplyPayloads[K]>;

/** Opcodes a handler may be registered for (`cc` is answered by the server). */
export type HandledOpcode = Exclude<RequestOpcode, 'cc'>;

/** The handler table of a server. */
export type HandlerTable = { [K in HandledOpcode]?: Handler<K> };
