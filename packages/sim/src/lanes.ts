import type { EventHeap, QueuedEvent } from './heap';

/** Lanes at most: delays beyond the first this many go to the heap as any other event. */
const MAX_LANES = 16;

/**
 * Events scheduled with one delay, in the order they were scheduled: since the clock never goes
 * back, that is the order of (time, seq), so only the first of a lane waits in the heap. A
 * request deadline is such an event, and almost always cancelled: hundreds of thousands in a run
 * would otherwise each cost a push and a pop of a heap they double, and live in it until their
 * time; here a cancelled one is dropped as the lane passes it.
 */
export class Lane {
  readonly #heap: EventHeap;
  readonly #events: (QueuedEvent | undefined)[] = [];
  #head = 0;

  constructor(heap: EventHeap) {
    this.#heap = heap;
  }

  /** Events of this lane that are not in the heap (all but the first). */
  get waiting(): number {
    return Math.max(0, this.#events.length - this.#head - 1);
  }

  /** Queue `e`, which no event already in this lane comes after. */
  push(e: QueuedEvent): void {
    if (this.#head === this.#events.length) this.#heap.push(e);
    this.#events.push(e);
  }

  /** The first event left the heap: the next one that is still to run takes its place. */
  advance(): void {
    const events = this.#events;
    events[this.#head++] = undefined;
    while (this.#head < events.length && (events[this.#head] as QueuedEvent).run === null) events[this.#head++] = undefined;
    if (this.#head === events.length) {
      events.length = 0;
      this.#head = 0;
      return;
    }
    // Drop what was passed once it is most of the array (amortised O(1) an event).
    if (this.#head >= 1024 && this.#head * 2 >= events.length) {
      events.splice(0, this.#head);
      this.#head = 0;
    }
    this.#heap.push(events[this.#head] as QueuedEvent);
  }
}

/** The lanes of one scheduler, by delay (whole ms). */
export class Lanes {
  readonly #heap: EventHeap;
  readonly #byDelay = new Map<number, Lane>();

  constructor(heap: EventHeap) {
    this.#heap = heap;
  }

  /** Events of every lane that are not in the heap. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.#byDelay.values()) n += lane.waiting;
    return n;
  }

  /** The lane of `delay`, or null when it gets none (not a positive whole number of ms, or too many lanes). */
  of(delay: number): Lane | null {
    let lane = this.#byDelay.get(delay);
    if (lane === undefined) {
      if (!Number.isInteger(delay) || delay <= 0 || this.#byDelay.size >= MAX_LANES) return null;
      lane = new Lane(this.#heap);
      this.#byDelay.set(delay, lane);
    }
    return lane;
  }
}
