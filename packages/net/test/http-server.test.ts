import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { sendFresh, serveHttp, type HttpService } from '@chain/net';

/** One GET on a keep-alive connection: the status, the body and whether the server ended the socket. */
function get(
  url: string,
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; socketClosed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socketClosed: closed }));
    });
    const closed = new Promise<void>((done) => req.once('socket', (s) => s.once('close', () => done())));
    req.on('error', reject);
    req.end();
  });
}

describe('serveHttp', () => {
  const services: HttpService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  const serve = async (...args: Parameters<typeof serveHttp>) => {
    const s = await serveHttp(...args);
    services.push(s);
    return s;
  };

  it('serves the handler on a free port, with its URL', async () => {
    const s = await serve((req, res) => res.end(`path ${req.url}`), 0, '127.0.0.1');
    assert.equal(s.address.host, '127.0.0.1');
    assert.ok(s.address.port > 0);
    assert.equal(s.url, `http://127.0.0.1:${s.address.port}/`);
    const r = await get(`${s.url}x?y=1`);
    assert.deepEqual([r.status, r.body], [200, 'path /x?y=1']);
  });

  it('names a port in use in its error, with what the port is for', async () => {
    const first = await serve((_req, res) => res.end(), 0, '127.0.0.1');
    const taken = first.address.port;
    await assert.rejects(
      serveHttp((_req, res) => res.end(), taken, '127.0.0.1', 'metrics port'),
      (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, 'EADDRINUSE');
        assert.equal(err.message, `metrics port ${taken} on 127.0.0.1 is already in use; choose another (0 picks a free one)`);
        return true;
      },
    );
    await assert.rejects(
      serveHttp((_req, res) => res.end(), taken, '127.0.0.1'),
      new RegExp(`: port ${taken} on 127\\.0\\.0\\.1 is already in use`),
    );
  });

  it('closes its keep-alive connections and stops listening; closing twice is one close', async () => {
    const s = await serveHttp((_req, res) => res.end('ok'), 0, '127.0.0.1');
    const r = await get(s.url);
    const closing = s.close();
    assert.equal(s.close(), closing);
    await closing;
    await r.socketClosed;
    await assert.rejects(get(s.url), /ECONNREFUSED/);
  });

  it('sendFresh answers with the length and no caching, and no body to HEAD', async () => {
    const s = await serve((req, res) => sendFresh(req, res, 'text/plain; version=0.0.4', 'höhe 1\n'), 0, '127.0.0.1');
    const g = await get(s.url);
    assert.deepEqual([g.status, g.body, g.headers['content-length'], g.headers['cache-control']], [200, 'höhe 1\n', '8', 'no-store']);
    assert.equal(g.headers['content-type'], 'text/plain; version=0.0.4');
    const h = await get(s.url, 'HEAD');
    assert.deepEqual([h.status, h.body, h.headers['content-length']], [200, '', '8']);
  });
});
