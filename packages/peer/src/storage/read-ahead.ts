import type { FileHandle } from 'node:fs/promises';

/**
 * A window over a file read from start to end in chunks, with the next chunk already being read:
 * while the caller works through the window, the following chunk is read into a second buffer
 * (the copy from the kernel runs on the thread pool, beside the caller's work on the main thread).
 * The window is `buf`, holding the file's bytes from `start`; {@link advance} keeps its tail from
 * a given offset and appends the next chunk. Two buffers are reused throughout, so a view of the
 * window is valid only until the next {@link advance}.
 */
export class ReadAhead {
  /** The window: file bytes from {@link start}. */
  buf: Buffer;
  /** File offset of `buf[0]`. */
  start: number;
  readonly #fh: FileHandle;
  readonly #size: number;
  readonly #chunk: number;
  /** Room before each chunk for the tail of the window kept by {@link advance}. */
  readonly #headroom: number;
  readonly #bufs: [Buffer, Buffer];
  /** The buffer the read in flight fills (at #headroom). */
  #target = 0;
  #next: number;
  #pending: Promise<number> | null = null;

  /** Read `fh` (`size` bytes) from `from` on, `chunkBytes` at a time; the first read starts at once. */
  constructor(fh: FileHandle, size: number, from: number, chunkBytes: number) {
    this.#fh = fh;
    this.#size = size;
    this.#chunk = Math.max(1, chunkBytes);
    this.#headroom = Math.max(16, this.#chunk >> 2);
    this.#bufs = [Buffer.allocUnsafe(this.#headroom + this.#chunk), Buffer.allocUnsafe(this.#headroom + this.#chunk)];
    this.buf = this.#bufs[1].subarray(0, 0);
    this.start = from;
    this.#next = from;
    this.#read();
  }

  /** File offset just past the window. */
  get end(): number {
    return this.start + this.buf.length;
  }

  /**
   * Keep the window from file offset `keepFrom` (within it) and append the next chunk. False when
   * there is nothing more to read (the window is then unchanged).
   */
  async advance(keepFrom: number): Promise<boolean> {
    if (!this.#pending) return false;
    const n = await this.#pending;
    this.#pending = null;
    if (n === 0) return false;
    const t = this.#target;
    const into = this.#bufs[t] as Buffer;
    const tail = this.buf.subarray(keepFrom - this.start);
    const h = this.#headroom;
    if (tail.length <= h) {
      tail.copy(into, h - tail.length);
      this.buf = into.subarray(h - tail.length, h + n);
    } else {
      // A record longer than the headroom: window and chunk in a buffer of their own.
      const both = Buffer.allocUnsafe(tail.length + n);
      tail.copy(both, 0);
      into.copy(both, tail.length, h, h + n);
      this.buf = both;
    }
    this.start = keepFrom;
    this.#next += n;
    this.#target = 1 - t; // the previous window's buffer, copied out
    this.#read();
    return true;
  }

  /** Wait for the read in flight (its result unused), before the file is truncated or closed. */
  async settle(): Promise<void> {
    await this.#pending?.catch(() => undefined);
    this.#pending = null;
  }

  #read(): void {
    const want = Math.min(this.#chunk, this.#size - this.#next);
    if (want <= 0) return;
    this.#pending = this.#fh.read(this.#bufs[this.#target] as Buffer, this.#headroom, want, this.#next).then((r) => r.bytesRead);
  }
}
