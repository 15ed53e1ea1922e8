import type { Reason } from './types';

/** An error with a machine-readable `code` beside its message: the base of ChainError, ProtocolError and ClientError. */
export class CodedError<C extends string> extends Error {
  readonly code: C;
  constructor(code: C, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * An error that carries one of the specification's reasons, e.g. `bad-pow`.
 * Rules report failures as values ({@link Verdict}); this class exists for
 * callers that prefer exceptions (`assertValid…` helpers, storage).
 */
export class ChainError extends CodedError<Reason> {
  override readonly name = 'ChainError';
}

/** The outcome of a rule: success, or a reason of the specification with a human message. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: Reason; readonly message: string };

export const OK: Verdict = Object.freeze({ ok: true as const });

/** Build a failed verdict. */
export function fail(reason: Reason, message: string): { ok: false; reason: Reason; message: string } {
  return { ok: false, reason, message };
}

/** Throw a ChainError when a verdict failed. */
export function assertVerdict(v: Verdict): void {
  if (!v.ok) throw new ChainError(v.reason, v.message);
}
