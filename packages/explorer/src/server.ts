import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendFresh, serveHttp } from '@chain/net';
import type { Peer } from '@chain/peer';
import { handleApi, type ApiContext } from './api';
import { loadAssets } from './assets';
import { PeerHistory } from './history';
import { ApiError, hostName, isLoopback, sendError } from './http';
import { EventHub } from './sse';

export interface ExplorerOptions {
  /** The peer to show, or several (a devnet): `?peer=NAME` selects one, the first by default. */
  readonly peers: Peer | readonly Peer[];
  /** Names of the peers, in order (default A, B, C, …). */
  readonly names?: readonly string[];
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** Largest request body accepted (default 16 KiB; a transaction is well under 1 KiB). */
  readonly maxBodyBytes?: number;
  /** Most event streams open at once (default 32). */
  readonly maxEventClients?: number;
  /** How often the hash rate is sampled and a `status` event sent (default 1000 ms). */
  readonly sampleMs?: number;
  /** Where unexpected errors are reported (default: nowhere). */
  readonly onError?: (err: Error) => void;
  /** Served at `/metrics` when given: Prometheus metrics (a `ChainMetrics` of `@chain/metrics`, or a prom-client `Registry`). */
  readonly metrics?: { readonly contentType: string; metrics(): Promise<string> };
}

export interface Explorer {
  readonly address: { readonly host: string; readonly port: number };
  /** `http://host:port/`. */
  readonly url: string;
  /** Stop listening, end the event streams and detach from the peers. Idempotent. */
  close(): Promise<void>;
}

const PAGE_ROUTES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const PAGE_SECURITY = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A Prometheus scrape: the exposition text as the source makes it. */
async function sendMetrics(source: NonNullable<ExplorerOptions['metrics']>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new ApiError(405, 'method-not-allowed', `${req.method} is not allowed on /metrics`, { allow: 'GET, HEAD' });
  sendFresh(req, res, source.contentType, await source.metrics());
}

function letterName(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`;
}

/**
 * Serve the explorer of one or more peers: the JSON API under `/api/` and the
 * page at `/`. It reads the peers through their public API and events only.
 */
export async function startExplorer(options: ExplorerOptions): Promise<Explorer> {
  const peers: readonly Peer[] = Array.isArray(options.peers) ? options.peers : [options.peers as Peer];
  if (peers.length === 0) throw new RangeError('peers: give at least one peer');
  const names = options.names ?? peers.map((_, i) => letterName(i));
  if (
    names.length !== peers.length ||
    new Set(names.map((n) => n.toLowerCase())).size !== names.length ||
    names.some((n) => !/^[\w.:-]{1,64}$/.test(n))
  ) {
    throw new RangeError('names: one distinct name per peer (letters, digits, ".", ":", "-", "_")');
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const sampleMs = options.sampleMs ?? 1000;
  const onError = options.onError ?? (() => undefined);

  const hub = new EventHub(options.maxEventClients ?? 32);
  const localHeight = (address: string) => peers.find((p) => p.listenAddress === address)?.chain.height;
  const histories = peers.map(
    (peer, i) =>
      new PeerHistory(
        names[i] as string,
        peer,
        { emit: (event, data) => hub.send(i, event, data), listening: () => hub.size > 0 },
        localHeight,
      ),
  );
  const ctx: ApiContext = { histories, hub, maxBodyBytes };
  const timer = setInterval(() => {
    histories.forEach((h, i) => {
      h.sample();
      hub.send(i, 'status', h.status());
    });
  }, sampleMs);
  timer.unref();
  const loopback = isLoopback(host);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      // Bound to this machine: refuse names other than loopback ones, so that another site cannot reach it by DNS rebinding.
      if (loopback && !isLoopback(hostName(req.headers.host)))
        throw new ApiError(
          403,
          'forbidden',
          `this explorer answers requests for localhost only, not ${JSON.stringify(req.headers.host ?? '')}`,
        );
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/api/')) return await handleApi(ctx, req, res, url);
      if (url.pathname === '/metrics' && options.metrics) return await sendMetrics(options.metrics, req, res);
      const file = PAGE_ROUTES[url.pathname];
      if (!file) throw new ApiError(404, 'not-found', `no such page: ${url.pathname} (the explorer is at /)`);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new ApiError(405, 'method-not-allowed', `${req.method} is not allowed on ${url.pathname}`, { allow: 'GET, HEAD' });
      const asset = (await loadAssets()).get(file);
      if (!asset) throw new ApiError(404, 'not-found', `no such file: ${file}`);
      res.writeHead(200, {
        ...PAGE_SECURITY,
        'content-type': asset.type,
        'content-length': String(asset.body.length),
        'cache-control': 'no-cache',
      });
      res.end(asset.body);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof ApiError) return sendError(res, err);
      onError(err as Error);
      sendError(res, new ApiError(500, 'internal', `internal error: ${(err as Error).message}`));
    }
  };

  // Everything that follows the peers, stopped when the server fails to listen or closes.
  const detach = () => {
    clearInterval(timer);
    hub.close();
    for (const h of histories) h.close();
  };
  const http = await serveHttp((req, res) => void handle(req, res), port, host).catch((err: Error) => {
    detach();
    throw err;
  });
  let closing: Promise<void> | null = null;
  return {
    address: http.address,
    url: http.url,
    close() {
      if (!closing) {
        detach();
        closing = http.close();
      }
      return closing;
    },
  };
}
