/** Reconnection delays: capped exponential backoff with jitter. */
export interface BackoffOptions {
  /** Delay before the first retry. Default 100 ms. */
  readonly initialMs?: number;
  /** Largest delay. Default 10 s. */
  readonly maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  readonly factor?: number;
  /** Fraction of the delay removed at random, 0..1. Default 0.5. */
  readonly jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({
  initialMs: 100,
  maxMs: 10_000,
  factor: 2,
  jitter: 0.5,
});

/** Check backoff settings; errors name the setting. */
export function checkBackoffOptions(options: BackoffOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('backoff must be an object');
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const finite = (name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(`backoff ${name} must be a number from ${min} to ${max}, got ${String(value)}`);
    }
  };
  finite('initialMs', initialMs, 1);
  finite('maxMs', maxMs, initialMs);
  finite('factor', factor, 1, 1000);
  finite('jitter', jitter, 0, 1);
}

/**
 * Delay before retry number `attempt` (0-based):
 * `min(maxMs, initialMs × factor^attempt) × (1 − jitter × random())`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
  const spread = Math.min(1, Math.max(0, jitter));
  return Math.max(0, Math.round(base * (1 - spread * random())));
}
