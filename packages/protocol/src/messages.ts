/**
 * From frames to typed messages: JSON guarding plus the payload schema of the
 * opcode. Every function here returns a result and never throws.
 */
import { wireError, type WireError } from './errors';
import { FieldError } from './fields';
import { parseJsonPayload } from './json';
import { DEFAULT_LIMITS, type PayloadLimits } from './limits';
import { isOpcode, isRequestOpcode, isWellFormedOpcode, type Opcode, type RequestOpcode } from './opcodes';
import type { ReplyMessage, RequestMessage } from './payloads';
import type { RawFrame } from './frame-decoder';
import { REPLY_SCHEMAS } from './replies';
import { REQUEST_SCHEMAS } from './requests';

/** A decode outcome: the typed message, or the error to report. */
export type DecodeResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: WireError };

/** The message `{ op, payload }` when `check` passes its payload, else the `malformed` error saying why. */
function checkedMessage<M>(op: string, check: () => unknown): DecodeResult<M> {
  try {
    return { ok: true, message: { op, payload: check() } as M };
  } catch (err) {
    const detail = err instanceof FieldError ? err.message : `unexpected validation failure: ${String(err)}`;
    return { ok: false, error: wireError('malformed', `${op} payload: ${detail}`, op) };
  }
}

function parseBody(op: string, body: Uint8Array, limits: PayloadLimits) {
  if (body.length === 0) return { ok: true as const, value: undefined as unknown };
  const parsed = parseJsonPayload(body, limits.maxDepth);
  if (!parsed.ok) return { ok: false as const, error: wireError('malformed', `${op} payload: ${parsed.message}`, op) };
  return { ok: true as const, value: parsed.value };
}

/** Check an already-parsed request payload against the schema of `op`. */
export function validateRequest<K extends RequestOpcode>(
  op: K,
  payload: unknown,
  limits = DEFAULT_LIMITS,
): DecodeResult<RequestMessage<K>> {
  return checkedMessage(op, () => REQUEST_SCHEMAS[op](payload, limits));
}

/** Check an already-parsed reply payload against the schema of `op`. */
export function validateReply<K extends Opcode>(op: K, payload: unknown, limits = DEFAULT_LIMITS): DecodeResult<ReplyMessage<K>> {
  return checkedMessage(op, () => REPLY_SCHEMAS[op](payload, limits));
}

/**
 * Decode a request frame. An ill-formed opcode is `bad-frame` (fatal), a
 * well-formed unknown one (or `er`) is `unknown-opcode`, a payload that is
 * not JSON or not of the request's shape is `malformed`.
 */
export function decodeRequest(frame: RawFrame, limits: PayloadLimits = DEFAULT_LIMITS): DecodeResult<RequestMessage> {
  const { op, body } = frame;
  if (!isWellFormedOpcode(op)) return { ok: false, error: wireError('bad-frame', 'opcode is not two ASCII lowercase letters') };
  if (!isRequestOpcode(op)) {
    const why = op === 'er' ? 'er is never a request' : `unknown opcode ${op}`;
    return { ok: false, error: wireError('unknown-opcode', why, op) };
  }
  const parsed = parseBody(op, body, limits);
  if (!parsed.ok) return parsed;
  return validateRequest(op, parsed.value, limits);
}

/** Decode a reply frame; an unknown opcode in a reply is `unknown-opcode`. */
export function decodeReply(frame: RawFrame, limits: PayloadLimits = DEFAULT_LIMITS): DecodeResult<ReplyMessage> {
  const { op, body } = frame;
  if (!isWellFormedOpcode(op)) return { ok: false, error: wireError('bad-frame', 'opcode is not two ASCII lowercase letters') };
  if (!isOpcode(op)) return { ok: false, error: wireError('unknown-opcode', `unknown opcode ${op}`, op) };
  const parsed = parseBody(op, body, limits);
  if (!parsed.ok) return parsed;
  return validateReply(op, parsed.value, limits);
}
