import { createServer } from 'node:net';

/**
 * A port that was free a moment ago (bound to port 0, then released): for
 * programs that must be told a port, and as an address where nothing listens
 * (a dial is refused). Everything that can listens on port 0.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
