/** A timer as a {@link Timers} implementation hands it out: only ever given back to it. */
export type TimerHandle = unknown;

/**
 * Where timers come from: a client's request deadlines, backoff and connect timeout, a peer's
 * heartbeat, long polls, grace and refresh timers, dials to candidates. The default is the global
 * timers; a simulator passes a virtual clock's (with the matching `now`) and runs many clients
 * and peers in one deterministic process.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancel a timeout; a handle that fired or was cleared already, or `undefined`, is ignored. */
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** The global timers, looked up at each call (so that fake timers installed later apply). */
export const systemTimers: Timers = Object.freeze({
  setTimeout: (callback: () => void, ms: number): TimerHandle => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle): void => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
  setInterval: (callback: () => void, ms: number): TimerHandle => globalThis.setInterval(callback, ms),
  clearInterval: (handle: TimerHandle): void => globalThis.clearInterval(handle as ReturnType<typeof setInterval> | undefined),
});

/** Check that `value` is a Timers; the error names `what`. */
export function checkTimers(value: unknown, what = 'timers'): Timers {
  const t = value as Partial<Record<keyof Timers, unknown>> | null;
  const missing = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].filter(
    (k) => typeof t?.[k as keyof Timers] !== 'function',
  );
  if (typeof t !== 'object' || t === null || missing.length > 0) {
    throw new TypeError(
      `${what} must be an object with setTimeout, clearTimeout, setInterval and clearInterval functions; missing ${missing.join(', ')}`,
    );
  }
  return t as Timers;
}
