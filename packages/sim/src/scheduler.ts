import type { Timers } from '@chain/net';
import { performance } from 'node:perf_hooks';
import { EventHeap, type OwnedEvent, type QueuedEvent } from './heap';
import { Lanes } from './lanes';
import { countTicks } from './ticks';

/** A handle of a scheduled event or timer; give it back to cancel it. */
export interface SimTimer {
  readonly id: number;
}

interface TimerEntry extends SimTimer {
  event: QueuedEvent | null;
  readonly fn: () => void;
  readonly every: number;
}

/** What a run did. */
export interface RunReport {
  readonly events: number;
  /** Virtual time at the end (ms since the epoch). */
  readonly time: number;
  /** Why it stopped. */
  readonly stopped: 'idle' | 'until' | 'condition' | 'max-events';
}

export interface RunOptions {
  /** Stop before the first event later than this (virtual ms since the epoch); the clock is then set to it. */
  readonly until?: number;
  /** Checked after each event (once the world is quiescent); true stops the run. */
  readonly stopWhen?: () => boolean;
  /** Stop after this many events. */
  readonly maxEvents?: number;
}

/** A settled promise: `then` on it queues a promise job, cheaper than `queueMicrotask` (no async resource). */
const resolved = Promise.resolve();

/** `process.nextTick` as it was when this module loaded (the run loop counts other callers). */
const nextTick = process.nextTick.bind(process);

/**
 * Let every pending promise job run, and those they queue, until none is left. Node runs
 * `process.nextTick` callbacks only once V8's microtask queue is empty, so a tick queued now runs
 * after every promise job the last event set off: far cheaper than a turn of the event loop per
 * event. Code that queues ticks of its own defeats this; {@link Scheduler.run} sees it and then
 * waits for a turn of the event loop (`settle`).
 */
export function quiesce(): Promise<void> {
  return new Promise((resolve) => nextTick(resolve));
}

/** Let everything pending run, ticks and promise jobs in any order: one turn of the event loop (the world does no I/O). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The virtual clock and event loop. Events run in order of (time, sequence number): two events at
 * the same time run in the order they were scheduled. After each event every promise job it set
 * off runs to quiescence before the next event, so asynchronous peer code sees a still world and
 * the clock never moves under it. Nothing here reads the real clock.
 */
export class Scheduler {
  readonly #heap = new EventHeap();
  readonly #lanes = new Lanes(this.#heap);
  #time: number;
  #seq = 0;
  #nextId = 1;
  #events = 0;
  #running = false;
  readonly #timers = new Map<number, TimerEntry>();
  #observer: (() => void) | null = null;
  #observeMask = 0;

  /** `start`: the virtual time at which the world begins (ms since the epoch). */
  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`start must be a finite number of ms, got ${start}`);
    this.#time = start;
  }

  /** Virtual time in ms (fractional). */
  get time(): number {
    return this.#time;
  }

  /** The clock peers read: whole ms since the epoch. */
  readonly now = (): number => Math.floor(this.#time);

  /** Events run so far. */
  get events(): number {
    return this.#events;
  }

  /** Events waiting (cancelled ones included until their time comes, or in a lane until the lane passes them). */
  get pending(): number {
    return this.#heap.size + this.#lanes.waiting;
  }

  /** Run `fn` at virtual time `time` (not before now). */
  at(time: number, fn: () => void): QueuedEvent {
    return this.call(time, fn, undefined);
  }

  /** Run `fn(arg)` at virtual time `time` (not before now). */
  call<T>(time: number, fn: (arg: T) => void, arg: T): QueuedEvent {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    const e: QueuedEvent = { time: Math.max(time, this.#time), seq: this.#seq++, run: fn as (arg: never) => void, arg, lane: null };
    this.#heap.push(e);
    return e;
  }

  /** Run `fn(e.arg)` at virtual time `time` (not before now), `e` being the queued event itself: one object an event, not two. */
  schedule<T>(time: number, e: OwnedEvent & { readonly arg: T }, fn: (arg: T) => void): void {
    if (Number.isNaN(time)) throw new RangeError('event time is NaN');
    e.time = Math.max(time, this.#time);
    e.seq = this.#seq++;
    e.run = fn as (arg: never) => void;
    this.#heap.push(e);
  }

  /**
   * Run `fn` `delay` ms from now, as {@link after} does, for a delay that many events share (a
   * request deadline, a timer's period): such events wait in a lane of their own (see `Lane`).
   */
  later(delay: number, fn: () => void): QueuedEvent {
    const lane = this.#lanes.of(delay);
    if (lane === null) return this.after(delay, fn);
    const e: QueuedEvent = { time: this.#time + delay, seq: this.#seq++, run: fn, arg: undefined, lane };
    lane.push(e);
    return e;
  }

  /** Run `fn` `delay` ms from now. */
  after(delay: number, fn: () => void): QueuedEvent {
    return this.at(this.#time + Math.max(0, delay), fn);
  }

  /** Cancel an event that has not run. */
  cancel(e: QueuedEvent): void {
    e.run = null;
  }

  /** Timers on the virtual clock, for a Peer (`PeerOptions.timers`) and anything else simulated. */
  readonly timers: Timers = Object.freeze({
    setTimeout: (fn: () => void, ms: number): SimTimer => this.#timer(fn, ms, 0),
    clearTimeout: (handle: unknown): void => this.#clear(handle),
    setInterval: (fn: () => void, ms: number): SimTimer => this.#timer(fn, ms, Math.max(1, ms)),
    clearInterval: (handle: unknown): void => this.#clear(handle),
  });

  #timer(fn: () => void, ms: number, every: number): SimTimer {
    // Like Node: a delay below 1 ms (or not a number) is 1 ms.
    const delay = Number.isFinite(ms) && ms >= 1 ? ms : 1;
    const entry: TimerEntry = { id: this.#nextId++, event: null, fn, every };
    const fire = (): void => {
      if (entry.every > 0) entry.event = this.later(entry.every, fire);
      else {
        entry.event = null;
        this.#timers.delete(entry.id);
      }
      entry.fn();
    };
    entry.event = this.later(delay, fire);
    this.#timers.set(entry.id, entry);
    return entry;
  }

  #clear(handle: unknown): void {
    if (typeof handle !== 'object' || handle === null) return;
    const entry = this.#timers.get((handle as SimTimer).id);
    if (entry !== handle) return;
    if (entry.event) this.cancel(entry.event);
    entry.event = null;
    this.#timers.delete(entry.id);
  }

  /**
   * Call `fn` after every 2^`log2Every` events (default 4096), between events, to watch a long run
   * (progress): it must not schedule anything, or runs watched and unwatched would differ. Null stops.
   */
  observe(fn: (() => void) | null, log2Every = 12): void {
    this.#observer = fn;
    this.#observeMask = 2 ** log2Every - 1;
  }

  /** Live timers (set and neither fired nor cleared; intervals until cleared). */
  get timerCount(): number {
    return this.#timers.size;
  }

  /**
   * Let virtual time follow the real clock (`speed` virtual ms per real ms) until the returned
   * function is called: for driving simulated components from code that waits in real time
   * (a test suite written for TCP). Runs stay ordered; only the pacing depends on the real clock.
   */
  pace(speed = 1): () => Promise<void> {
    const realStart = performance.now();
    const virtualStart = this.#time;
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const target = virtualStart + (performance.now() - realStart) * speed;
        await this.run({ until: target, stopWhen: () => stopped });
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  }

  /**
   * Run events in order until none is left, the next one is later than `until`, `stopWhen`
   * holds, or `maxEvents` ran. Resolves once the world is quiescent.
   */
  run(options: RunOptions = {}): Promise<RunReport> {
    if (this.#running) return Promise.reject(new Error('the scheduler is already running'));
    this.#running = true;
    const { until = Infinity, stopWhen, maxEvents = Infinity } = options;
    const heap = this.#heap;
    const ticks = countTicks();
    let ran = 0;
    return new Promise<RunReport>((resolve, reject) => {
      const finish = (stopped: RunReport['stopped'] | Error): void => {
        ticks.restore();
        this.#running = false;
        if (stopped instanceof Error) return reject(stopped);
        if (stopped === 'until' || (stopped === 'idle' && until !== Infinity)) this.#time = Math.max(this.#time, until);
        resolve({ events: ran, time: this.#time, stopped });
      };
      /** Run the next event, if any is due; its promise jobs then run, and after them `counted`. */
      const next = (): void => {
        try {
          for (;;) {
            const e = heap.peek();
            if (e === undefined) return finish('idle');
            if (e.time > until) return finish('until');
            heap.pop();
            if (e.lane !== null) e.lane.advance();
            const fn = e.run;
            if (fn === null) continue;
            e.run = null;
            this.#time = e.time;
            fn(e.arg as never);
            void resolved.then(afterJobs);
            return;
          }
        } catch (err) {
          finish(err as Error);
        }
      };
      // A tick queued from a promise job runs once every job queued so far, and those they queue, ran (see quiesce).
      const afterJobs = (): void => void nextTick(counted);
      /** The event and every job it set off ran: count it, check the stops, go on. */
      const counted = (): void => {
        if (ticks.count > 0) {
          // Something in the world queued a tick of its own: wait until it and all it set off ran.
          ticks.count = 0;
          setImmediate(counted);
          return;
        }
        ran++;
        this.#events++;
        try {
          if (this.#observer !== null && (this.#events & this.#observeMask) === 0) this.#observer();
          if (stopWhen?.()) return finish('condition');
        } catch (err) {
          return finish(err as Error);
        }
        if (ran >= maxEvents) return finish('max-events');
        next();
      };
      // Whatever is pending before the run (a peer starting) runs first.
      setImmediate(() => {
        try {
          if (stopWhen?.()) finish('condition');
          else next();
        } catch (err) {
          finish(err as Error);
        }
      });
    });
  }
}
