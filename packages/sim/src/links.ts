import type { Random } from './random';

/** A split of the network: from `startMs` to `healMs` (virtual ms from the start), peers on different sides cannot reach each other. */
export interface Partition {
  readonly startMs: number;
  readonly healMs: number;
  /** Side of each peer (peers beyond the array are on side 0). */
  readonly side: readonly number[];
}

export interface LinkOptions {
  /** One-way latency of the link between two peers (ms). */
  readonly latency: (a: number, b: number) => number;
  /** Upload and download bandwidth of each peer (bits a second); Infinity for none. */
  readonly uploadBps: (peer: number) => number;
  readonly downloadBps: (peer: number) => number;
  /** Probability that a segment is lost and must be sent again (TCP hides the loss, at the cost of a timeout). */
  readonly loss: number;
  readonly rng: Random;
  readonly partitions: readonly Partition[];
  /** Virtual time at which the run starts (partitions count from it). */
  readonly startTime: number;
}

/** Latency of a host to itself (ms). */
export const LOOPBACK_MS = 0.05;

/** Least retransmission timeout (Linux's TCP_RTO_MIN), ms. */
export const MIN_RTO_MS = 200;

/**
 * What it costs to move bytes between two peers: latency, the sender's uplink (messages from
 * one peer leave one after another at its upload rate), the receiver's download rate, lost
 * segments resent after a retransmission timeout, and partitions.
 */
export class Links {
  readonly #o: LinkOptions;
  /** When each peer's uplink is free again (virtual ms). */
  readonly #upFree: Float64Array;

  constructor(o: LinkOptions, peers: number) {
    if (!(o.loss >= 0 && o.loss < 1)) throw new RangeError(`loss must be a probability from 0 to below 1, got ${o.loss}`);
    this.#o = o;
    this.#upFree = new Float64Array(peers);
  }

  latency(a: number, b: number): number {
    return a === b ? LOOPBACK_MS : this.#o.latency(a, b);
  }

  /** Arrival time of `bytes` sent now from `from` to `to` (ignoring the connection's ordering). */
  transfer(from: number, to: number, bytes: number, now: number): number {
    const o = this.#o;
    const rate = from === to ? Infinity : Math.min(o.uploadBps(from), o.downloadBps(to)); // bits a second
    const txMs = rate === Infinity ? 0 : (bytes * 8000) / rate;
    let start = now;
    if (txMs > 0) {
      start = Math.max(now, this.#upFree[from] as number);
      this.#upFree[from] = start + (bytes * 8000) / o.uploadBps(from);
    }
    const lat = this.latency(from, to);
    let arrival = start + txMs + lat;
    if (o.loss > 0) {
      let rto = Math.max(MIN_RTO_MS, 4 * lat);
      while (o.rng.chance(o.loss)) {
        arrival += rto;
        rto *= 2;
      }
    }
    return arrival;
  }

  /** Whether a and b are on different sides of a partition at virtual time `time`. */
  separated(a: number, b: number, time: number): boolean {
    for (const p of this.#o.partitions) {
      const t = time - this.#o.startTime;
      if (t < p.startMs || t >= p.healMs) continue;
      if ((p.side[a] ?? 0) !== (p.side[b] ?? 0)) return true;
    }
    return false;
  }

  get partitions(): readonly Partition[] {
    return this.#o.partitions;
  }
}
