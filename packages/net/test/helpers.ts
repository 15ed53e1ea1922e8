import { Socket as NetSocket } from 'node:net';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createReplyDecoder, type ReplyMessage, type WireError } from '@chain/protocol';
import type { Logger } from '@chain/net';
import { nextEvent, within } from '@chain/testkit';

/** A logger that remembers what it was told (called as `(message)` or `(fields, message)`). */
export class MemoryLogger implements Logger {
  readonly entries: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  private record(level: string, first: string | Record<string, unknown>, second?: string) {
    if (typeof first === 'string') this.entries.push({ level, message: first });
    else this.entries.push({ level, message: second ?? '', fields: first });
  }
  debug(first: string | Record<string, unknown>, second?: string) {
    this.record('debug', first, second);
  }
  info(first: string | Record<string, unknown>, second?: string) {
    this.record('info', first, second);
  }
  warn(first: string | Record<string, unknown>, second?: string) {
    this.record('warn', first, second);
  }
  error(first: string | Record<string, unknown>, second?: string) {
    this.record('error', first, second);
  }
  at(level: string) {
    return this.entries.filter((e) => e.level === level);
  }
}

type Received = { type: 'message'; message: ReplyMessage } | { type: 'error'; error: WireError };

/** A hand-driven TCP peer: writes raw bytes, collects decoded reply frames. */
export class RawPeer extends EventEmitter {
  readonly received: Received[] = [];
  readonly closed: Promise<void>;
  private readonly decoder = createReplyDecoder();

  private constructor(readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      for (const event of this.decoder.push(chunk)) {
        this.received.push(event);
        this.emit('frame', event);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(port: number, options: { read?: boolean } = {}): Promise<RawPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    if (options.read === false) socket.pause();
    await nextEvent(socket, 'connect', 3000);
    return new RawPeer(socket);
  }

  write(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** The n-th reply frame (0-based), waiting for it with a deadline. */
  async frame(n = 0, ms = 3000): Promise<ReplyMessage> {
    while (this.received.length <= n) await nextEvent(this, 'frame', ms);
    const event = this.received[n] as Received;
    if (event.type === 'error') throw new Error(`undecodable reply: ${event.error.message}`);
    return event.message;
  }

  async waitClosed(ms = 3000): Promise<void> {
    await within(this.closed, ms, 'socket close');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Resources Node keeps alive, by type, e.g. { TCPSocketWrap: 2, Timeout: 1 }. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

export const HASH = 'ab'.repeat(32);

/**
 * Count the writes handed to the operating system by every net.Socket while `run` runs (one per
 * write system call batch: corked writes leave together as one). Relies on Node's internal
 * `Socket.prototype._writeGeneric`, which both `_write` and `_writev` go through.
 */
export async function countSocketWrites<T>(run: () => Promise<T>): Promise<{ result: T; writes: number }> {
  const proto = NetSocket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const original = proto._writeGeneric;
  assert.equal(typeof original, 'function', 'this Node has no Socket.prototype._writeGeneric');
  let writes = 0;
  proto._writeGeneric = function (this: unknown, ...args: unknown[]) {
    writes++;
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, writes };
  } finally {
    proto._writeGeneric = original;
  }
}
