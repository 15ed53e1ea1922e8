/** An event of the simulation: run at `time`, after every event of an earlier (time, seq). */
export interface QueuedEvent {
  readonly time: number;
  readonly seq: number;
  /** Called with `arg`; null once run or cancelled. */
  run: ((arg: never) => void) | null;
  /** What `run` is given: a shared function with data of its own costs no closure an event. */
  readonly arg: unknown;
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** A binary min-heap of events ordered by (time, sequence number). */
export class EventHeap {
  readonly #items: QueuedEvent[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): QueuedEvent | undefined {
    return this.#items[0];
  }

  push(e: QueuedEvent): void {
    const a = this.#items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p] as QueuedEvent;
      if (!before(e, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = e;
  }

  pop(): QueuedEvent | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(a[r] as QueuedEvent, a[l] as QueuedEvent) ? r : l;
      if (!before(a[c] as QueuedEvent, last)) break;
      a[i] = a[c] as QueuedEvent;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
