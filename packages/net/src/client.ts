/**
 * A TCP client connection to one server: the client state machine (pipelined requests with
 * timeouts, reconnection with capped exponential backoff reset only by a valid reply) on a
 * socket link.
 */
import { ClientMachine } from './client-machine';
import type { ClientOptions } from './client-options';
import { SocketConnector } from './socket-link';

export type { ClientEvents, ClientState } from './client-events';
export type { ClientOptions, RequestOptions } from './client-options';

export class Client extends ClientMachine<Buffer> {
  constructor(options: ClientOptions) {
    super(options, new SocketConnector(options));
  }
}

/** Create a client; it starts connecting at once and keeps reconnecting until closed. */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
