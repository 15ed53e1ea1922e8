/**
 * A hook on the frames a TCP connection reads and writes, for whoever counts traffic (metrics):
 * the observer hears each whole frame's opcode and size and nothing of its payload.
 */
import { HEADER_BYTES, OPCODE_BYTES } from '@chain/protocol';

/** Which way a frame went: `in` read from the socket, `out` written to it. */
export type FrameDirection = 'in' | 'out';

/** Hears of every whole frame; called in the data path, so it must be quick and must not throw. */
export interface FrameObserver {
  /** `op` is the frame's two opcode characters as they are on the wire (unchecked); `bytes` counts its header too. */
  frame(direction: FrameDirection, op: string, bytes: number): void;
}

/** Check that `value` is a FrameObserver; the error names `what`. */
export function checkFrameObserver(value: unknown, what = 'frames'): FrameObserver {
  const o = value as Partial<FrameObserver> | null;
  if (typeof o !== 'object' || o === null || typeof o.frame !== 'function')
    throw new TypeError(
      `${what} must be an object with a frame(direction, op, bytes) function (a FrameObserver), got ${o === null ? 'null' : typeof o}`,
    );
  return o as FrameObserver;
}

/** The opcode of an encoded frame. */
export function opcodeOf(frame: Uint8Array): string {
  return Buffer.from(frame.buffer, frame.byteOffset + HEADER_BYTES, OPCODE_BYTES).toString('latin1');
}

const PREFIX = HEADER_BYTES + OPCODE_BYTES;

/**
 * Cuts an incoming byte stream into frames by reading their headers only (the decoder does the
 * checking), and reports each whole frame as `in`. A header whose length cannot hold an opcode
 * ends the count: the decoder refuses that stream too.
 */
export class FrameTally {
  readonly #observer: FrameObserver;
  readonly #prefix = Buffer.alloc(PREFIX);
  #fill = 0;
  /** Body bytes of the current frame still to come after its prefix, or -1 while reading a prefix. */
  #left = -1;
  #op = '';
  #bytes = 0;
  #broken = false;

  constructor(observer: FrameObserver) {
    this.#observer = observer;
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.#broken) {
      if (this.#left < 0) {
        const take = Math.min(PREFIX - this.#fill, chunk.length - at);
        this.#prefix.set(chunk.subarray(at, at + take), this.#fill);
        this.#fill += take;
        at += take;
        if (this.#fill < PREFIX) return;
        const length = this.#prefix.readUInt32BE(0);
        if (length < OPCODE_BYTES) {
          this.#broken = true;
          return;
        }
        this.#op = this.#prefix.toString('latin1', HEADER_BYTES, PREFIX);
        this.#bytes = HEADER_BYTES + length;
        this.#left = length - OPCODE_BYTES;
        this.#fill = 0;
      }
      const skip = Math.min(this.#left, chunk.length - at);
      this.#left -= skip;
      at += skip;
      if (this.#left === 0) {
        this.#left = -1;
        this.#observer.frame('in', this.#op, this.#bytes);
      }
    }
  }
}
