/**
 * Streaming message decoders: a FrameDecoder plus per-frame payload decoding.
 * `push(chunk)` returns the messages and errors the chunk completed.
 */
import type { WireError } from './errors';
import { FrameDecoder, type RawFrame } from './frame-decoder';
import { DEFAULT_LIMITS, type PayloadLimits } from './limits';
import { decodeReply, decodeRequest, type DecodeResult } from './messages';
import type { ReplyMessage, RequestMessage } from './payloads';

/** What a chunk produced: a message, or an error (fatal ones end the stream). */
export type MessageEvent<M> = { readonly type: 'message'; readonly message: M } | { readonly type: 'error'; readonly error: WireError };

/** Options of the message decoders. */
export interface MessageDecoderOptions {
  /** Largest accepted `L`. Default 16 MiB. */
  readonly maxFrame?: number;
  /** Payload bounds; unspecified fields keep their defaults. */
  readonly limits?: Partial<PayloadLimits>;
}

/** A stream decoder of typed messages. */
export class MessageDecoder<M> {
  readonly frames: FrameDecoder;
  private readonly limits: PayloadLimits;

  constructor(
    private readonly decodeFrame: (frame: RawFrame, limits: PayloadLimits) => DecodeResult<M>,
    options: MessageDecoderOptions = {},
  ) {
    this.frames = new FrameDecoder(options.maxFrame === undefined ? {} : { maxFrame: options.maxFrame });
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** True while bytes of an incomplete frame are buffered. */
  get partial(): boolean {
    return this.frames.partial;
  }

  /** Bytes currently held for the incomplete frame. */
  get buffered(): number {
    return this.frames.buffered;
  }

  /** The fatal error that stopped this decoder, if any. */
  get failed(): WireError | undefined {
    return this.frames.failed;
  }

  /** Consume a chunk; never throws. */
  push(chunk: Uint8Array): MessageEvent<M>[] {
    const out: MessageEvent<M>[] = [];
    for (const event of this.frames.push(chunk)) {
      if (event.type === 'error') {
        out.push(event);
        continue;
      }
      const result = this.decodeFrame(event.frame, this.limits);
      out.push(result.ok ? { type: 'message', message: result.message } : { type: 'error', error: result.error });
    }
    return out;
  }
}

/** A decoder for the server side of a connection: requests. */
export function createRequestDecoder(options?: MessageDecoderOptions): MessageDecoder<RequestMessage> {
  return new MessageDecoder(decodeRequest, options);
}

/** A decoder for the client side of a connection: replies. */
export function createReplyDecoder(options?: MessageDecoderOptions): MessageDecoder<ReplyMessage> {
  return new MessageDecoder(decodeReply, options);
}
