import { once, type EventEmitter } from 'node:events';

/** How often {@link until} asks again. */
const POLL_MS = 10;

/**
 * Resolve once `check` holds; asks every few milliseconds and rejects after `ms`
 * with a message naming `what`. For conditions no event announces.
 */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Resolve when `promise` settles, or reject after `ms` with a message naming `what`. */
export function within<T>(promise: Promise<T>, ms: number, what = 'the operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The arguments of the next `event` of `emitter`; rejects after `ms`. */
export async function nextEvent<T extends unknown[]>(emitter: EventEmitter | NodeJS.EventEmitter, event: string, ms = 5000): Promise<T> {
  return (await once(emitter, event, { signal: AbortSignal.timeout(ms) })) as T;
}
