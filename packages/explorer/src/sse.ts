import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './http';
import type { StreamEvents } from './types';

/** A client that has this much unsent output is too slow and is dropped. */
const MAX_BUFFERED = 1 << 20;
const KEEPALIVE_MS = 15_000;

interface Client {
  readonly res: ServerResponse;
  readonly peer: number;
}

/** Server-sent event streams (`GET /api/events`), one peer's events per client. */
export class EventHub {
  readonly #clients = new Set<Client>();
  readonly #max: number;
  readonly #timer: NodeJS.Timeout;

  constructor(maxClients: number) {
    this.#max = maxClients;
    this.#timer = setInterval(() => this.#write(null, ': keep-alive\n\n'), KEEPALIVE_MS);
    this.#timer.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Start a stream for `peer` on this response. */
  open(req: IncomingMessage, res: ServerResponse, peer: number): void {
    if (this.#clients.size >= this.#max) {
      throw new ApiError(503, 'busy', `at most ${this.#max} event streams at once`, { 'retry-after': '5' });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    // The page reconnects after 2 s should the stream break.
    res.write('retry: 2000\n\n');
    const client: Client = { res, peer };
    this.#clients.add(client);
    const drop = () => this.#clients.delete(client);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  /** Send an event to the clients of `peer`. */
  send<K extends keyof StreamEvents>(peer: number, event: K, data: StreamEvents[K]): void {
    if (this.#clients.size === 0) return;
    this.#write(peer, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** End every stream. */
  close(): void {
    clearInterval(this.#timer);
    for (const c of this.#clients) c.res.end();
    this.#clients.clear();
  }

  #write(peer: number | null, text: string): void {
    for (const c of this.#clients) {
      if (peer !== null && c.peer !== peer) continue;
      if (c.res.writableLength > MAX_BUFFERED) {
        this.#clients.delete(c);
        c.res.destroy();
        continue;
      }
      c.res.write(text);
    }
  }
}
