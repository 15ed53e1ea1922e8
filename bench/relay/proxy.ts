/**
 * A counting TCP proxy between two peers: every byte and frame that crosses it, each way, and the
 * transaction bodies and block frames in them, decoded with @chain/protocol's frame decoder.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '@chain/protocol';

/** What crossed one proxy. */
export interface Crossed {
  bytes: number;
  frames: number;
  /** Transaction bodies received by either end (`tx`, `tb`, `bt`; `hb` pools and `gt` replies). */
  bodies: number;
  /** Bytes of block frames (`nb`, `cb`, `bt` requests) received by the proxied peer. */
  blockBytes: number;
  /** Frames by opcode (a reply under its request's opcode). */
  readonly ops: Map<string, number>;
  /** Bytes by opcode, as `ops`. */
  readonly opBytes: Map<string, number>;
}

const BODY_REQUESTS: Record<string, (p: unknown) => number> = {
  tx: () => 1,
  tb: (p) => (p as { txs: unknown[] }).txs.length,
  bt: (p) => (p as { txs: unknown[] }).txs.length,
};
const BODY_REPLIES: Record<string, (p: unknown) => number> = {
  hb: (p) => (p as { pool?: unknown[] }).pool?.length ?? 0,
  gt: (p) => (p as { txs?: unknown[] }).txs?.length ?? 0,
};
const BLOCK_OPS = new Set(['nb', 'cb', 'bt']);

export class CountingProxy {
  readonly crossed: Crossed = { bytes: 0, frames: 0, bodies: 0, blockBytes: 0, ops: new Map(), opBytes: new Map() };
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  /** Where connections go; set once the peer behind the proxy listens. */
  target = 0;
  port = 0;

  async listen(): Promise<number> {
    this.#server = createServer((inbound) => this.#pipe(inbound));
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.port = (this.#server.address() as { port: number }).port;
    return this.port;
  }

  reset(): void {
    Object.assign(this.crossed, { bytes: 0, frames: 0, bodies: 0, blockBytes: 0 });
    this.crossed.ops.clear();
    this.crossed.opBytes.clear();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }

  #pipe(inbound: Socket): void {
    const outbound = connect(this.target, '127.0.0.1');
    this.#sockets.add(inbound).add(outbound);
    // Requests go in, replies come back in the same order: the queue says what a reply answers.
    const asked: string[] = [];
    const up = new FrameDecoder();
    const down = new FrameDecoder();
    const count = (chunk: Buffer, decoder: FrameDecoder, request: boolean): void => {
      const c = this.crossed;
      c.bytes += chunk.length;
      for (const e of decoder.push(chunk)) {
        if (e.type !== 'frame') continue;
        const { op, body } = e.frame;
        const payload = () => JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
        const of = request ? op : (asked.shift() ?? op);
        c.frames++;
        c.ops.set(of, (c.ops.get(of) ?? 0) + 1);
        c.opBytes.set(of, (c.opBytes.get(of) ?? 0) + 6 + body.length);
        if (request) {
          asked.push(op);
          if (BODY_REQUESTS[op]) c.bodies += BODY_REQUESTS[op](payload());
          if (BLOCK_OPS.has(op)) c.blockBytes += 6 + body.length;
        } else if (op !== 'er' && BODY_REPLIES[of]) c.bodies += BODY_REPLIES[of](payload());
      }
    };
    inbound.on('data', (d: Buffer) => {
      count(d, up, true);
      outbound.write(d);
    });
    outbound.on('data', (d: Buffer) => {
      count(d, down, false);
      inbound.write(d);
    });
    const end = () => {
      inbound.destroy();
      outbound.destroy();
      this.#sockets.delete(inbound);
      this.#sockets.delete(outbound);
    };
    inbound.on('close', end).on('error', end);
    outbound.on('close', end).on('error', end);
  }
}
