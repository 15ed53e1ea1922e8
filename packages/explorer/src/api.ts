import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlainObject } from '@chain/core';
import { ApiError, intParam, readBody, sendJson } from './http';
import type { PeerHistory } from './history';
import type { EventHub } from './sse';
import { findBlock, findTransaction } from './lookup';
import { forksOf } from './forks';
import { blockDetail, neighbourView, summaryOfMeta, targetAfter } from './views';
import type { BlockSummary, BlocksView, IntervalView, PeersView, PoolView, StatsView, SubmitReply } from './types';

export interface ApiContext {
  readonly histories: readonly PeerHistory[];
  readonly hub: EventHub;
  readonly maxBodyBytes: number;
}

export const MAX_BLOCKS_PER_PAGE = 1000;
export const MAX_POOL_PAGE = 1000;
const INTERVAL_BLOCKS = 60;

/** HTTP status of a rejected transaction, by reason: always a 4xx. */
export function rejectionStatus(reason: string): number {
  if (reason === 'malformed') return 400;
  if (reason === 'duplicate') return 409;
  if (reason === 'pool-full') return 429;
  return 422;
}

function selectPeer(ctx: ApiContext, params: URLSearchParams): { history: PeerHistory; index: number } {
  const wanted = params.get('peer');
  const index = wanted === null || wanted === '' ? 0 : ctx.histories.findIndex((h) => h.name.toLowerCase() === wanted.toLowerCase());
  const history = ctx.histories[index];
  if (!history) {
    throw new ApiError(404, 'not-found', `no peer ${JSON.stringify(wanted)} here; peers: ${ctx.histories.map((h) => h.name).join(', ')}`);
  }
  return { history, index };
}

type Handler = (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, param: string) => Promise<void> | void;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Partial<Record<'GET' | 'POST', Handler>>;
}

const routes: Route[] = [
  {
    pattern: /^\/api\/status$/,
    methods: { GET: (ctx, _req, res, url) => sendJson(res, 200, selectPeer(ctx, url.searchParams).history.status()) },
  },
  { pattern: /^\/api\/blocks$/, methods: { GET: blocks } },
  { pattern: /^\/api\/blocks\/([^/]+)$/, methods: { GET: block } },
  { pattern: /^\/api\/transactions$/, methods: { POST: submit } },
  { pattern: /^\/api\/transactions\/([^/]+)$/, methods: { GET: transaction } },
  { pattern: /^\/api\/pool$/, methods: { GET: pool } },
  { pattern: /^\/api\/peers$/, methods: { GET: peers } },
  {
    pattern: /^\/api\/forks$/,
    methods: { GET: (ctx, _req, res, url) => sendJson(res, 200, forksOf(selectPeer(ctx, url.searchParams).history)) },
  },
  { pattern: /^\/api\/stats$/, methods: { GET: stats } },
  { pattern: /^\/api\/events$/, methods: { GET: events } },
];

/** Answer a request under `/api/`. */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  for (const route of routes) {
    const m = route.pattern.exec(url.pathname);
    if (!m) continue;
    const method = req.method === 'HEAD' ? 'GET' : (req.method as 'GET' | 'POST');
    const handler = route.methods[method];
    if (!handler) {
      const allow = Object.keys(route.methods).join(', ');
      throw new ApiError(405, 'method-not-allowed', `${req.method} is not allowed on ${url.pathname} (allowed: ${allow})`, { allow });
    }
    let param = '';
    try {
      param = decodeURIComponent(m[1] ?? '');
    } catch {
      throw new ApiError(400, 'malformed', `bad escape in ${url.pathname}`);
    }
    await handler(ctx, req, res, url, param);
    return;
  }
  throw new ApiError(404, 'not-found', `no such endpoint: ${req.method} ${url.pathname}`);
}

function blocks(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  const chain = selectPeer(ctx, url.searchParams).history.chain;
  const limit = intParam(url.searchParams, 'limit', 20, MAX_BLOCKS_PER_PAGE);
  const height = chain.height;
  const from = Math.max(1, intParam(url.searchParams, 'from', Math.max(1, height - limit + 1)));
  const out: BlockSummary[] = [];
  for (let h = from; h <= height && out.length < limit; h++) {
    const meta = chain.meta(chain.hashAt(h) as string);
    if (meta) out.push(summaryOfMeta(meta));
  }
  const body: BlocksView = { height, blocks: out };
  sendJson(res, 200, body);
}

async function block(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL, ref: string): Promise<void> {
  const { history } = selectPeer(ctx, url.searchParams);
  const b = await findBlock(history.chain, ref);
  sendJson(res, 200, blockDetail(history.chain, b, history.abandoned(b.currentHash)));
}

async function transaction(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  sendJson(res, 200, await findTransaction(selectPeer(ctx, url.searchParams).history, id));
}

async function submit(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { history } = selectPeer(ctx, url.searchParams);
  // JSON only: a cross-site form cannot send it without the browser asking first (and this server never allows it).
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(
      415,
      'unsupported-media-type',
      `send the transaction as JSON with content-type application/json, not ${JSON.stringify(type || 'none')}`,
    );
  }
  const text = await readBody(req, ctx.maxBodyBytes);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'malformed', `the body is not JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(input)) throw new ApiError(400, 'malformed', 'a transaction is a JSON object');
  const result = await history.peer.submitTransaction(input, { kind: 'remote' });
  const reply: SubmitReply = result.ok
    ? { status: 'Accepted', id: result.id }
    : { status: 'Rejected', reason: result.reason, message: result.message };
  sendJson(res, result.ok ? 202 : rejectionStatus(result.reason), reply, result.ok ? { location: `/api/transactions/${result.id}` } : {});
}

function pool(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  const chain = selectPeer(ctx, url.searchParams).history.chain;
  const limit = intParam(url.searchParams, 'limit', 100, MAX_POOL_PAGE);
  const body: PoolView = {
    size: chain.pool.size,
    cap: chain.pool.cap,
    transactions: chain.pool.list(limit).map((e) => ({ id: e.id, tx: e.tx })),
  };
  sendJson(res, 200, body);
}

function peers(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { history } = selectPeer(ctx, url.searchParams);
  const status = history.status();
  const body: PeersView = {
    peer: history.name,
    address: status.address,
    neighbours: status.neighbours,
    candidates: history.peer.status().candidates.map(neighbourView),
    local: ctx.histories.map((h) => ({ name: h.name, address: h.peer.listenAddress, height: h.chain.height, tip: h.chain.tip.hash })),
  };
  sendJson(res, 200, body);
}

function stats(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { history } = selectPeer(ctx, url.searchParams);
  const chain = history.chain;
  const intervals: IntervalView[] = [];
  for (let h = Math.max(3, chain.height - INTERVAL_BLOCKS + 1); h <= chain.height; h++) {
    const m = chain.meta(chain.hashAt(h) as string);
    const p = chain.meta(chain.hashAt(h - 1) as string);
    if (m && p) intervals.push({ index: h, ms: m.timestamp - p.timestamp, ...targetAfter(chain, p.hash) });
  }
  const body: StatsView = { samples: history.samples, intervals };
  sendJson(res, 200, body);
}

function events(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const { history, index } = selectPeer(ctx, url.searchParams);
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    res.end();
    return;
  }
  ctx.hub.open(req, res, index);
  ctx.hub.send(index, 'status', history.status());
}
