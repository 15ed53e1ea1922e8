/**
 * Streaming frame decoder. Feed it chunks exactly as they come off a socket
 * (a frame split over many reads, many frames in one read); it returns the
 * complete frames and errors found so far. It never throws.
 *
 * The length header is checked before any byte of the body is kept, and the
 * decoder holds at most the bytes of the current frame: bytes that arrived,
 * never the declared length ahead of time. After a fatal error it refuses
 * further input.
 */
import { wireError, type WireError } from './errors';
import { DEFAULT_MAX_FRAME, HEADER_BYTES, OPCODE_BYTES } from './limits';

/** A complete frame: its opcode and its payload bytes (possibly empty). */
export interface RawFrame {
  readonly op: string;
  readonly body: Uint8Array;
}

/** What a chunk produced: a frame, or an error. */
export type FrameEvent = { readonly type: 'frame'; readonly frame: RawFrame } | { readonly type: 'error'; readonly error: WireError };

/** Options of the frame decoder. */
export interface FrameDecoderOptions {
  /** Largest accepted `L` (opcode + payload bytes). Default 16 MiB. */
  readonly maxFrame?: number;
}

function isLowerAscii(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x61 && byte <= 0x7a;
}

export class FrameDecoder {
  readonly maxFrame: number;
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  /** Declared body length of the frame being read, or -1 while reading a header. */
  private need = -1;
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  private fatal: WireError | undefined;
  private count = 0;

  constructor(options: FrameDecoderOptions = {}) {
    const maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
    if (!Number.isSafeInteger(maxFrame) || maxFrame < OPCODE_BYTES || maxFrame > 0xffffffff) {
      throw new RangeError(`maxFrame must be an integer in ${OPCODE_BYTES}..${0xffffffff}`);
    }
    this.maxFrame = maxFrame;
  }

  /** True while bytes of an incomplete frame (header or body) are buffered. */
  get partial(): boolean {
    return this.headerFill > 0 || this.need >= 0;
  }

  /** Bytes currently held for the incomplete frame. */
  get buffered(): number {
    return this.headerFill + this.partsLength;
  }

  /** The fatal error that stopped this decoder, if any. */
  get failed(): WireError | undefined {
    return this.fatal;
  }

  /** Complete frames decoded so far. */
  get frames(): number {
    return this.count;
  }

  /** Consume a chunk; returns the frames it completed and any error. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.fatal !== undefined) return events;
    let off = 0;
    while (off < chunk.length) {
      if (this.need < 0) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - off);
        this.header.set(chunk.subarray(off, off + take), this.headerFill);
        this.headerFill += take;
        off += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        const length = this.header.readUInt32BE(0);
        if (length < OPCODE_BYTES) {
          return this.fail(events, 'bad-frame', `declared frame length ${length} is below ${OPCODE_BYTES}`);
        }
        if (length > this.maxFrame) {
          return this.fail(events, 'frame-too-large', `declared frame length ${length} exceeds maxFrame ${this.maxFrame}`);
        }
        this.need = length;
        continue;
      }
      const take = Math.min(this.need - this.partsLength, chunk.length - off);
      const complete = this.partsLength + take === this.need;
      // Keep a view when the frame completes in this chunk, a copy otherwise,
      // so a buffered tail never pins a whole socket chunk.
      this.parts.push(complete ? chunk.subarray(off, off + take) : new Uint8Array(chunk.subarray(off, off + take)));
      this.partsLength += take;
      off += take;
      if (!complete) break;
      const body = this.parts.length === 1 ? (this.parts[0] as Uint8Array) : Buffer.concat(this.parts);
      this.parts = [];
      this.partsLength = 0;
      this.need = -1;
      if (!isLowerAscii(body[0]) || !isLowerAscii(body[1])) {
        const shown = Buffer.from(body.subarray(0, OPCODE_BYTES)).toString('hex');
        return this.fail(events, 'bad-frame', `opcode bytes 0x${shown} are not two ASCII lowercase letters`);
      }
      this.count++;
      const op = String.fromCharCode(body[0] as number, body[1] as number);
      events.push({ type: 'frame', frame: { op, body: body.subarray(OPCODE_BYTES) } });
    }
    return events;
  }

  private fail(events: FrameEvent[], code: 'bad-frame' | 'frame-too-large', message: string): FrameEvent[] {
    this.fatal = wireError(code, message);
    this.parts = [];
    this.partsLength = 0;
    this.need = -1;
    this.headerFill = 0;
    events.push({ type: 'error', error: this.fatal });
    return events;
  }
}
