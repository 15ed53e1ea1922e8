export {
  OPCODES,
  OPCODE_LIST,
  REQUEST_OPCODES,
  PROTOCOL_VERSIONS,
  opcodesOf,
  isOpcode,
  isRequestOpcode,
  isWellFormedOpcode,
} from './opcodes';
export type { Opcode, RequestOpcode, ProtocolVersion } from './opcodes';
export { ERROR_CODES, FATAL_ERROR_CODES, REASONS, isErrorCode, isFatalErrorCode, isReason } from './codes';
export type { ErrorCode, FatalErrorCode, RejectReason } from './codes';
export { ProtocolError, wireError } from './errors';
/** The base of ProtocolError, for the errors of packages built on this one (net's ClientError). */
export { CodedError } from '@chain/core';
export type { WireError } from './errors';
export { DEFAULT_LIMITS, DEFAULT_MAX_FRAME, HEADER_BYTES, OPCODE_BYTES } from './limits';
export type { PayloadLimits } from './limits';
export { FORBIDDEN_KEYS, parseJsonPayload, scanJson } from './json';
export type { JsonResult } from './json';
export { FieldError } from './fields';
export type * from './payloads';
export { encodeError, encodeFrame, encodeReply, encodeRequest } from './encode';
export { FrameDecoder } from './frame-decoder';
export type { FrameDecoderOptions, FrameEvent, RawFrame } from './frame-decoder';
export { decodeReply, decodeRequest, validateReply, validateRequest } from './messages';
export type { DecodeResult } from './messages';
export { MessageDecoder, createReplyDecoder, createRequestDecoder } from './stream';
export type { MessageDecoderOptions, MessageEvent } from './stream';
