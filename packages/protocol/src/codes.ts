import { REASONS, type Reason } from '@chain/core';

/** Error codes carried by an `er` reply (docs/spec.md §5). */
export const ERROR_CODES = ['malformed', 'unknown-opcode', 'wrong-network', 'frame-too-large', 'bad-frame', 'busy', 'internal'] as const;

/** One of the specification's error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Error codes after which the server closes the connection. */
export const FATAL_ERROR_CODES = ['frame-too-large', 'bad-frame', 'busy'] as const;

/** An error code after which the connection is closed. */
export type FatalErrorCode = (typeof FATAL_ERROR_CODES)[number];

/** Reasons a transaction, block or proof is refused (docs/spec.md §5): @chain/core's table. */
export { REASONS };

/** One of the specification's rejection reasons (@chain/core's `Reason`). */
export type RejectReason = Reason;

/** True when `code` is one of the specification's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** True when the server closes the connection after sending this code. */
export function isFatalErrorCode(code: ErrorCode): code is FatalErrorCode {
  return (FATAL_ERROR_CODES as readonly string[]).includes(code);
}

/** True when `reason` is one of the specification's rejection reasons. */
export function isReason(reason: unknown): reason is RejectReason {
  return typeof reason === 'string' && (REASONS as readonly string[]).includes(reason);
}
