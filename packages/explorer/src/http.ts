import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody } from './types';

/** An error reply: an HTTP status and a JSON body `{ error, message }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorBody['error'];
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorBody['error'], message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  const body: ErrorBody = { error: err.code, message: err.message };
  sendJson(res, err.status, body, err.headers);
}

/**
 * Read a request body of at most `limit` bytes. A larger body (by its
 * `content-length` or as it streams) is an `ApiError` 413; the rest of it is
 * not read and the connection is closed after the reply.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ApiError(413, 'too-large', `the request body is larger than ${limit} bytes`, { connection: 'close' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** A non-negative integer query parameter, `fallback` when absent. */
export function intParam(params: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,15}$/.test(raw))
    throw new ApiError(400, 'malformed', `${name} must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 40))}`);
  const value = Number(raw);
  if (value > max) throw new ApiError(400, 'malformed', `${name} must be at most ${max}, got ${value}`);
  return value;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether `host` (a bound address) is a loopback address. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.startsWith('127.');
}

/** The host name of a `Host` header, without the port. */
export function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1).toLowerCase();
  return header.replace(/:\d*$/, '').toLowerCase();
}
