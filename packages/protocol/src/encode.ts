/** Frame encoding: 4-byte big-endian length, 2-byte opcode, UTF-8 JSON payload. */
import type { ErrorCode } from './codes';
import { DEFAULT_MAX_FRAME, HEADER_BYTES, OPCODE_BYTES } from './limits';
import { isWellFormedOpcode, type Opcode, type RequestOpcode } from './opcodes';
import type { ReplyPayloads, RequestPayloads } from './payloads';

/**
 * Encode one frame. A payload of `undefined` or `null` is sent as no payload
 * (`L = 2`). Throws TypeError on an ill-formed opcode or unserialisable
 * payload, RangeError when the frame would exceed `maxFrame`.
 */
export function encodeFrame(op: string, payload?: unknown, maxFrame: number = DEFAULT_MAX_FRAME): Buffer {
  if (!isWellFormedOpcode(op)) throw new TypeError(`opcode must be two ASCII lowercase letters, got ${JSON.stringify(op)}`);
  let json = '';
  if (payload !== undefined && payload !== null) {
    const s = JSON.stringify(payload) as string | undefined;
    if (s === undefined) throw new TypeError(`payload of ${op} cannot be serialised as JSON`);
    json = s;
  }
  const bodyLength = OPCODE_BYTES + Buffer.byteLength(json, 'utf8');
  if (bodyLength > maxFrame) {
    throw new RangeError(`${op} frame of ${bodyLength} bytes exceeds maxFrame ${maxFrame}`);
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + bodyLength);
  frame.writeUInt32BE(bodyLength, 0);
  frame.write(op, HEADER_BYTES, 'latin1');
  frame.write(json, HEADER_BYTES + OPCODE_BYTES, 'utf8');
  return frame;
}

/** Encode a typed request. */
export function encodeRequest<K extends RequestOpcode>(
  op: K,
  ...args: undefined extends RequestPayloads[K]
    ? [payload?: RequestPayloads[K], maxFrame?: number]
    : [payload: RequestPayloads[K], maxFrame?: number]
): Buffer {
  return encodeFrame(op, args[0], args[1]);
}

/** Encode a typed reply. */
export function encodeReply<K extends Opcode>(op: K, payload: ReplyPayloads[K], maxFrame?: number): Buffer {
  return encodeFrame(op, payload, maxFrame);
}

/** Encode an `er` reply. */
export function encodeError(code: ErrorCode, message: string): Buffer {
  return encodeFrame('er', { code, message });
}
