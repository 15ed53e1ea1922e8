import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { createServer as createHttpServer } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createClient, createServer, type Logger } from '@chain/net';
import { nextEvent, until, within } from '@chain/testkit';
import { RawPeer } from './helpers';

/** A stream that keeps what is written to it, line by line. */
function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l.length > 0));
      callback();
    },
  });
  return { stream, lines };
}

/** Make a server warn with fields: a partial frame that never completes. */
async function partialFrameWarning(logger: Logger): Promise<void> {
  const server = createServer({ logger, partialFrameTimeoutMs: 50, closeGraceMs: 200 });
  const { port } = await server.listen(0);
  const peer = await RawPeer.open(port);
  try {
    peer.write(Buffer.from([0, 0, 0, 9, 0x67])); // a header and one byte of a 9-byte frame
    await nextEvent(server, 'disconnect');
  } finally {
    peer.destroy();
    await within(server.close(), 3000, 'server close');
  }
}

describe('loggers as they are: pino, console', () => {
  it('a real pino logger given to a Server writes JSON lines with the fields and the message', async () => {
    const { stream, lines } = capture();
    const log = pino({ level: 'debug' }, stream);
    await partialFrameWarning(log);
    await until(() => lines.some((l) => l.includes('partial frame timed out')), 'the pino line');
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'partial frame timed out');
    assert.ok(entry, lines.join('\n'));
    assert.equal(entry.level, 40, 'warn');
    assert.equal(entry.ms, 50);
    assert.equal(typeof entry.connectionId, 'number');
    assert.deepEqual(Object.keys(entry.remote as object).sort(), ['host', 'port']);
  });

  it('a real pino logger given to a Client gets its warning with fields', async () => {
    const { stream, lines } = capture();
    const log = pino(stream);
    const http = createHttpServer((_req, res) => res.end('explorer'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as { port: number }).port;
    const client = createClient({ host: '127.0.0.1', port, logger: log, backoff: { initialMs: 1000 } });
    try {
      await assert.rejects(client.request('gp'), { code: 'not-a-peer' });
      await until(() => lines.length > 0, 'the pino line');
      const entry = JSON.parse(lines[0] as string) as Record<string, unknown>;
      assert.equal(entry.level, 40);
      assert.match(String(entry.msg), /not a chain peer; retrying with backoff/);
      assert.equal(entry.server, `127.0.0.1:${port}`);
      assert.equal(entry.attempt, 1);
      assert.match(String(entry.message), /answered with HTTP/);
    } finally {
      await client.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('a console-like logger (node:console Console) gets the message and the fields', async () => {
    const out = capture();
    const err = capture();
    // No colours, whatever the environment forces (FORCE_COLOR under a task runner): the test reads plain text.
    const log: Logger = new Console({ stdout: out.stream, stderr: err.stream, colorMode: false });
    await partialFrameWarning(log);
    await until(() => err.lines.some((l) => l.includes('partial frame timed out')), 'the console line');
    const text = err.lines.join('\n');
    assert.match(text, /ms: 50/);
    assert.match(text, /connectionId: \d+/);
  });

  it('the global console and a pino child fit the Logger type as they are', () => {
    const loggers: Logger[] = [console, pino({ enabled: false }).child({ component: 'net' })];
    assert.equal(loggers.length, 2);
    const old = (_message: string, _fields?: Record<string, unknown>) => {};
    // @ts-expect-error the old (message, fields) order is refused at compile time
    const refused: Logger = { debug: old, info: old, warn: old, error: old };
    assert.ok(refused);
  });
});
