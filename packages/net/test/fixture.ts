import { ProtocolError } from '@chain/protocol';
import { createServer, type Server, type ServerOptions } from '@chain/net';
import { HASH, MemoryLogger } from './helpers';

export interface Fixture {
  server: Server;
  port: number;
  logger: MemoryLogger;
}

/** A server with a small handler for every opcode, listening on an ephemeral port. */
export async function startServer(options: ServerOptions = {}, port = 0): Promise<Fixture> {
  const logger = new MemoryLogger();
  const server = createServer({ logger, partialFrameTimeoutMs: 200, closeGraceMs: 500, ...options });
  server.handle('gp', async (request, context) => {
    if (request?.wait !== undefined) {
      // long poll: hold the reply until `wait` ms pass or the connection goes away
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, request.wait);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { index: 2, previousProof: 100, previousHash: HASH, templateHash: null, difficulty: 1, pow: 'bound', pending: 0 };
  });
  server.handle('pb', async (request) => {
    const from = request?.from ?? 1;
    // replies complete out of order: later requests are often faster
    if (request?.limit !== undefined) await new Promise((r) => setTimeout(r, request.limit));
    return { height: from, blocks: [] };
  });
  server.handle('hb', (request) => {
    if (request.genesis !== HASH) throw new ProtocolError('wrong-network', 'genesis differs from this network');
    return { height: 1, hash: HASH, blocks: [], pool: [] };
  });
  server.handle('tx', (tx) => {
    if (tx.content === 'throw') throw new Error('handler bug');
    if (tx.content === 'invalid reply') return { status: 'Maybe' } as never;
    return { status: 'Accepted', id: HASH };
  });
  server.handle('nb', () => ({ status: 'Rejected', reason: 'unknown-parent' }));
  const address = await server.listen(port, '127.0.0.1');
  return { server, port: address.port, logger };
}
