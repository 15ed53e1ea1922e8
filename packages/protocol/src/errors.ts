import { CodedError } from '@chain/core';
import { isFatalErrorCode, type ErrorCode } from './codes';

/**
 * An error that travels as an `er` reply. Thrown by request handlers to answer
 * with a specific code, and raised by clients when the server answers `er`.
 */
export class ProtocolError extends CodedError<ErrorCode> {
  override readonly name = 'ProtocolError';

  /** True when the connection is closed after this error (docs/spec.md §5). */
  get fatal(): boolean {
    return isFatalErrorCode(this.code);
  }

  /** The `er` payload for this error. */
  toPayload(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Longest message the decoders put in a WireError (fits an `er` reply). */
export const MAX_ERROR_MESSAGE = 512;

/** A decode failure reported by the decoders, never thrown. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  /** True when the stream cannot continue: the connection must be closed. */
  readonly fatal: boolean;
  /** The opcode of the offending frame, when it was readable. */
  readonly op?: string;
}

/** Build a WireError; `fatal` follows the specification's code. */
export function wireError(code: ErrorCode, text: string, op?: string): WireError {
  const message = text.length > MAX_ERROR_MESSAGE ? `${text.slice(0, MAX_ERROR_MESSAGE - 1)}…` : text;
  return op === undefined ? { code, message, fatal: isFatalErrorCode(code) } : { code, message, fatal: isFatalErrorCode(code), op };
}
