import { CodedError } from '@chain/protocol';

/** Why a client request failed without an `er` reply from the server. */
export const CLIENT_ERROR_CODES = [
  'timeout',
  'connection-closed',
  'not-connected',
  'client-closed',
  'queue-full',
  'protocol-violation',
  'not-a-peer',
] as const;

/** One of the client-side failure codes. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * A request that failed on the client side: no reply arrived in time, the
 * connection dropped, the server broke the protocol, or the address is not a
 * chain peer at all (`not-a-peer`: it answered with HTTP). An `er` reply is a
 * ProtocolError from @chain/protocol instead.
 */
export class ClientError extends CodedError<ClientErrorCode> {
  override readonly name = 'ClientError';
}
