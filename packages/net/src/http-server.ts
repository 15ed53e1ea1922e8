/**
 * The HTTP side servers of a peer (the explorer, the metrics endpoint) listen the same way: the
 * same request deadlines, a port in use named in the error, the bound address and URL, and a close
 * that also ends the keep-alive connections; and they answer a document made afresh (the metrics
 * text) the same way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { boundAddress, type Address } from './address';

/** An HTTP server listening: where, its base URL (`http://host:port/`), and how to stop it. */
export interface HttpService {
  readonly address: Address;
  readonly url: string;
  /** Stop listening and close open connections. Idempotent. */
  close(): Promise<void>;
}

/** Answer a GET or HEAD with `body` (left out for HEAD), its length, and no caching. */
export function sendFresh(req: IncomingMessage, res: ServerResponse, contentType: string, body: string): void {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Longest a client may take to send the headers, and the whole request (ms): slow clients hold no socket for long. */
const HTTP_HEADERS_TIMEOUT_MS = 10_000;
const HTTP_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Serve `handler` on `port` of `host` (0 picks a free port). A port in use rejects with a message
 * naming it, `what` first: `metrics port 9100 on 127.0.0.1 is already in use; choose another (0
 * picks a free one)`.
 */
export async function serveHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
  what = 'port',
): Promise<HttpService> {
  const server = createServer(handler);
  server.headersTimeout = HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = HTTP_REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') err.message = `${what} ${port} on ${host} is already in use; choose another (0 picks a free one)`;
      reject(err);
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = boundAddress(server.address());
  const urlHost = address.host.includes(':') ? `[${address.host}]` : address.host;
  let closing: Promise<void> | null = null;
  return {
    address,
    url: `http://${urlHost}:${address.port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
