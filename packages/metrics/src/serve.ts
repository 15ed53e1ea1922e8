/** A tiny HTTP server answering Prometheus scrapes at `/metrics`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendFresh, serveHttp } from '@chain/net';
import type { MetricsSource } from './chain-metrics';

export interface MetricsServerOptions {
  readonly metrics: MetricsSource;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
}

export interface MetricsServer {
  readonly address: { readonly host: string; readonly port: number };
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Stop listening and close open connections. Idempotent. */
  close(): Promise<void>;
}

/** Answer a scrape on `res`: the exposition text, or a plain-text error naming what was wrong. */
export async function answerScrape(metrics: MetricsSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${req.method} is not allowed on /metrics\n`);
    return;
  }
  sendFresh(req, res, metrics.contentType, await metrics.metrics());
}

/** Serve `metrics` at `http://host:port/metrics`; every other path is 404. */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const { metrics, port } = options;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`metrics port must be an integer from 0 to 65535, got ${port}`);
  if (typeof metrics?.metrics !== 'function')
    throw new TypeError('metrics must have a metrics() function (a ChainMetrics or a prom-client Registry)');
  const http = await serveHttp(
    (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`no such page: ${path} (the metrics are at /metrics)\n`);
        return;
      }
      answerScrape(metrics, req, res).catch((err: Error) => {
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`collecting the metrics failed: ${err.message}\n`);
      });
    },
    port,
    host,
    'metrics port',
  );
  return { address: http.address, url: `${http.url}metrics`, close: () => http.close() };
}
