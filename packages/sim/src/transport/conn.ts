import type { Address, SlotHolder } from '@chain/net';

/** What travels on a simulated connection, one way. */
export type Frame =
  /** A request, client to server. */
  | { readonly kind: 'q'; readonly op: string; readonly payload: unknown; readonly bytes: number }
  /** A reply (`op` is the request's, or `er`), server to client. */
  | { readonly kind: 'r'; readonly op: string; readonly payload: unknown; readonly bytes: number }
  /** The end of this direction (TCP FIN): nothing follows. */
  | { readonly kind: 'fin'; readonly bytes: 0 };

/** One reply a server owes, held until those before it are sent (replies go out in request order); it is the frame it sends. */
export interface OwedReply {
  readonly kind: 'r';
  readonly op: string;
  readonly payload: unknown;
  readonly bytes: number;
  /** Close the connection after this reply (a fatal `er`, `cc`). */
  readonly closeAfter: string | undefined;
}

/**
 * One simulated TCP connection between a client (on `clientNode`) and a server (on
 * `serverNode`). Each direction is ordered: a frame never overtakes one sent before it.
 */
export class Conn implements SlotHolder {
  /** The server's id for it (set on accept). */
  id = 0;
  readonly clientNode: number;
  readonly serverNode: number;
  /** The client's end as the server sees it. */
  readonly remote: Address;
  /** The server still takes frames (and the client has not closed). */
  serverOpen = true;
  /** The client still takes frames. */
  clientOpen = true;
  /** Arrival time of the last frame each way (ordering). */
  lastUp = 0;
  lastDown = 0;
  // The server's side.
  lastActive = 0;
  requests = 0;
  nextReply = 0;
  readonly owed = new Map<number, OwedReply>();
  /** Set when the server is closing it: no more requests are taken, and the FIN follows the owed replies. */
  closing: string | null = null;
  #abort: AbortController | null = null;

  constructor(clientNode: number, serverNode: number, remote: Address) {
    this.clientNode = clientNode;
    this.serverNode = serverNode;
    this.remote = remote;
  }

  /** Requests received and not answered yet. */
  get busy(): boolean {
    return this.nextReply < this.requests;
  }

  /** The server is closing it. */
  get leaving(): boolean {
    return this.closing !== null;
  }

  /** How long the server's side has been idle at `now` (0 while busy). */
  idleFor(now: number): number {
    return this.busy ? 0 : now - this.lastActive;
  }

  /** Aborted when the connection closes (long polls end early). */
  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    return this.#abort.signal;
  }

  abort(): void {
    this.#abort?.abort();
  }
}
