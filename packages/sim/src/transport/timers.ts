import type { TimerHandle, Timers } from '@chain/net';
import type { QueuedEvent } from '../heap';
import type { Scheduler } from '../scheduler';

const timersOf = new WeakMap<Scheduler, Timers>();

/**
 * The scheduler's events as Timers, without the bookkeeping of `scheduler.timers` (a live-timer
 * map), for the transport: every request sets a deadline, millions in a run.
 */
export function eventTimers(scheduler: Scheduler): Timers {
  let timers = timersOf.get(scheduler);
  if (timers === undefined) {
    const cancel = (handle: TimerHandle): void => {
      if (handle !== undefined && handle !== null) scheduler.cancel(handle as QueuedEvent);
    };
    timers = Object.freeze({
      setTimeout: (callback: () => void, ms: number): TimerHandle => scheduler.later(ms, callback),
      clearTimeout: cancel,
      setInterval: (callback: () => void, ms: number): TimerHandle => scheduler.timers.setInterval(callback, ms),
      clearInterval: (handle: TimerHandle): void => scheduler.timers.clearInterval(handle),
    });
    timersOf.set(scheduler, timers);
  }
  return timers;
}
