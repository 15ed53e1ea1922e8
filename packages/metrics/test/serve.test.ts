import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Registry, Counter } from 'prom-client';
import { serveMetrics, type MetricsServer } from '@chain/metrics';
import { parseExposition, sampleValue } from '@chain/testkit';

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveMetrics', () => {
  let server: MetricsServer | undefined;
  afterEach(() => server?.close());

  it('answers /metrics with the exposition, other paths 404, other methods 405', async () => {
    const registry = new Registry();
    new Counter({ name: 'chain_test_total', help: 'A test counter.', registers: [registry] }).inc(4);
    server = await serveMetrics({ metrics: registry, port: 0 });
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const ok = await get(server.url);
    assert.equal(ok.status, 200);
    assert.match(ok.type, /^text\/plain; version=0\.0\.4/);
    assert.equal(sampleValue(parseExposition(ok.body), 'chain_test_total'), 4);
    const root = server.url.replace(/metrics$/, '');
    assert.equal((await get(root)).status, 404);
    assert.equal((await get(server.url, 'POST')).status, 405);
    assert.equal((await get(server.url, 'HEAD')).body, '');
  });

  it('refuses a bad port and a port in use, naming it', async () => {
    await assert.rejects(
      serveMetrics({ metrics: new Registry(), port: 70000 }),
      /metrics port must be an integer from 0 to 65535, got 70000/,
    );
    server = await serveMetrics({ metrics: new Registry(), port: 0 });
    const { port } = server.address;
    await assert.rejects(
      serveMetrics({ metrics: new Registry(), port }),
      new RegExp(`metrics port ${port} on 127.0.0.1 is already in use`),
    );
  });
});
