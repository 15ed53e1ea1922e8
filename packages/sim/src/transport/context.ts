import type { RequestOpcode } from '@chain/protocol';
import type { Address, RequestContext } from '@chain/net';
import type { Conn } from './conn';

/** What a handler learns of its request; the signal is made only when asked for. */
export class Context implements RequestContext {
  readonly connectionId: number;
  readonly remote: Address;
  readonly op: RequestOpcode;
  readonly #conn: Conn;

  constructor(conn: Conn, op: RequestOpcode) {
    this.connectionId = conn.id;
    this.remote = conn.remote;
    this.op = op;
    this.#conn = conn;
  }

  get signal(): AbortSignal {
    return this.#conn.signal;
  }
}
