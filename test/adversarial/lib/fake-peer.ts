/**
 * A fake peer: a test server that speaks the protocol and lies. It answers `hb` with whatever
 * the test scripts, accepts everything else, and counts the connections the real peer opens.
 */
import { createServer, silentLogger, type Server } from '@chain/net';
import type { HbReply, HbRequest } from '@chain/protocol';
import type { Block } from '@chain/core';

export class FakePeer {
  readonly server: Server;
  port = 0;
  /** `hb` requests received so far. */
  heartbeats = 0;
  /** Connections opened to this fake so far, and those open now. */
  opened = 0;
  open = 0;
  /** Blocks announced to the fake with `nb`. */
  readonly announced: Block[] = [];
  hb: (request: HbRequest) => HbReply | Promise<HbReply>;
  #waiters = new Set<() => void>();

  private constructor(hb: FakePeer['hb']) {
    this.hb = hb;
    this.server = createServer({ logger: silentLogger, validateReplies: false });
    this.server.on('connection', () => {
      this.opened++;
      this.open++;
      this.#wake();
    });
    this.server.on('disconnect', () => {
      this.open--;
      this.#wake();
    });
    this.server.handle('hb', async (request) => {
      this.heartbeats++;
      this.#wake();
      return this.hb(request);
    });
    this.server.handle('nb', ({ block }) => {
      this.announced.push(block);
      return { status: 'Accepted' };
    });
    this.server.handle('tx', () => ({ status: 'Accepted', id: '00'.repeat(32) }));
  }

  static async start(hb: FakePeer['hb']): Promise<FakePeer> {
    const fake = new FakePeer(hb);
    fake.port = (await fake.server.listen(0, '127.0.0.1')).port;
    return fake;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolve when `check` holds (re-checked on every connection change and heartbeat). */
  when(check: () => boolean, what: string, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.#waiters.delete(test);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(test);
        reject(new Error(`fake peer: timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      this.#waiters.add(test);
      test();
    });
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
