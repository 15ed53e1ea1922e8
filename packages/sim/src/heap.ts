/** An event of the simulation: run at `time`, after every event of an earlier (time, seq). */
export interface QueuedEvent {
  readonly time: number;
  readonly seq: number;
  /** Called with `arg`; null once run or cancelled. */
  run: ((arg: never) => void) | null;
  /** What `run` is given: a shared function with data of its own costs no closure an event. */
  readonly arg: unknown;
  /** The lane it waits in (see `Lane`), or null: it waits in the heap alone. */
  readonly lane: { advance(): void } | null;
}

/** An event object its owner made and may queue again once it ran: the scheduler sets its time, seq and run. */
export interface OwnedEvent extends QueuedEvent {
  time: number;
  seq: number;
  readonly lane: null;
}

/**
 * A binary min-heap of events ordered by (time, sequence number). The keys live in two typed
 * arrays beside the events: a sift compares neighbouring numbers in memory instead of loading
 * every event object it passes (the queue holds tens of thousands of events at 1,000 peers).
 */
export class EventHeap {
  #times = new Float64Array(1024);
  #seqs = new Float64Array(1024);
  readonly #items: (QueuedEvent | undefined)[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  peek(): QueuedEvent | undefined {
    return this.#items[0];
  }

  push(e: QueuedEvent): void {
    if (this.#size === this.#times.length) this.#grow();
    const times = this.#times;
    const seqs = this.#seqs;
    const items = this.#items;
    const time = e.time;
    const seq = e.seq;
    let i = this.#size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (pt < time || (pt === time && (seqs[p] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      items[i] = items[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = e;
  }

  pop(): QueuedEvent | undefined {
    if (this.#size === 0) return undefined;
    const times = this.#times;
    const seqs = this.#seqs;
    const items = this.#items;
    const top = items[0];
    const n = --this.#size;
    const last = items[n];
    const lt = times[n] as number;
    const ls = seqs[n] as number;
    items[n] = undefined;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = times[c] as number;
      let cs = seqs[c] as number;
      const r = c + 1;
      if (r < n) {
        const rt = times[r] as number;
        if (rt < ct || (rt === ct && (seqs[r] as number) < cs)) {
          c = r;
          ct = rt;
          cs = seqs[r] as number;
        }
      }
      if (lt < ct || (lt === ct && ls < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      items[i] = items[c];
      i = c;
    }
    times[i] = lt;
    seqs[i] = ls;
    items[i] = last;
    return top;
  }

  #grow(): void {
    const times = new Float64Array(this.#times.length * 2);
    times.set(this.#times);
    this.#times = times;
    const seqs = new Float64Array(this.#seqs.length * 2);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
  }
}
