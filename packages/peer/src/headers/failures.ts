import { ClientError } from '@chain/net';
import { ProtocolError } from '@chain/protocol';

const LOCAL_OR_LOST: ReadonlySet<string> = new Set(['connection-closed', 'not-connected', 'client-closed', 'queue-full']);

/** A request that failed because of the other side: an `er` reply, an invalid one, or none in time. */
export function breaksProtocol(err: unknown): boolean {
  if (err instanceof ProtocolError) return true;
  // Not the connection going away (counted when the attempt ends) nor this peer closing it.
  return err instanceof ClientError && !LOCAL_OR_LOST.has(err.code);
}
