/** What a client reports, whatever carries its bytes. */
import type { Address } from './address';

/** Connection state, reported by the `state` event. */
export type ClientState = 'connecting' | 'open' | 'backoff' | 'closed';

/** Events of a client. */
export interface ClientEvents {
  state: [state: ClientState];
  /** The connection opened (TCP connected); not a reset of the backoff. */
  connect: [address: Address];
  /** An open connection ended. */
  disconnect: [error: Error | undefined];
  retry: [info: { readonly attempt: number; readonly delayMs: number; readonly error: Error | undefined }];
  /** The first valid reply on a connection: the server is a working peer, the backoff is reset. */
  ready: [address: Address];
}
