/** The metrics of one or more peers in one Prometheus registry, with the process's own. */
import type { FrameObserver } from '@chain/net';
import type { Peer } from '@chain/peer';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { defineFamilies, type Families } from './families';
import { FrameCounts } from './frame-counter';
import { PeerWatch } from './peer-watch';

/** A name for the `peer` label: what the explorer accepts as a peer's name. */
const NAME = /^[\w.:-]{1,64}$/;

export interface ChainMetricsOptions {
  /** Where the metrics are registered (default: a registry of their own). */
  readonly registry?: Registry;
  /** Also collect prom-client's process metrics (`process_*`, `nodejs_*`: CPU, memory, event loop lag, handles). Default true. */
  readonly processMetrics?: boolean;
}

/** Anything that answers a scrape: this class, or a prom-client `Registry`. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * Prometheus metrics of chain peers: `watch(peer, name)` follows a peer's events and state;
 * `frames(name)` is the observer to give `observedTcpTransport` for the traffic of the peer
 * that will be watched under that name. Every metric has a `peer` label with that name.
 */
export class ChainMetrics implements MetricsSource {
  readonly registry: Registry;
  readonly #families: Families;
  readonly #watched = new Map<string, PeerWatch>();
  readonly #framed = new Map<string, FrameCounts>();

  constructor(options: ChainMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.#families = defineFamilies(this.registry, (metric) => {
      this.#families[metric].reset(); // a peer no longer watched leaves no stale value
      if (metric === 'frames' || metric === 'frameBytes')
        for (const c of this.#framed.values()) c.write(this.#families[metric], metric === 'frames' ? 'frames' : 'bytes');
      else for (const w of this.#watched.values()) w.sample(metric);
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Follow `peer` under the label `peer="name"`; the returned function stops following it. */
  watch(peer: Peer, name = 'A'): () => void {
    checkName(name);
    if (this.#watched.has(name)) throw new Error(`a peer named ${name} is already watched; give each peer its own name`);
    const w = new PeerWatch(peer, name, this.#families);
    this.#watched.set(name, w);
    return () => {
      if (this.#watched.get(name) !== w) return;
      w.close();
      this.#watched.delete(name);
    };
  }

  /** The frame observer of the peer to be watched as `name` (once per name). */
  frames(name = 'A'): FrameObserver {
    checkName(name);
    if (this.#framed.has(name)) throw new Error(`frames of a peer named ${name} are already counted; give each peer its own name`);
    const counts = new FrameCounts(name);
    this.#framed.set(name, counts);
    return counts;
  }

  /** Stop following every peer (the registry keeps the last values). */
  close(): void {
    for (const w of this.#watched.values()) w.close();
    this.#watched.clear();
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new RangeError(`peer name ${JSON.stringify(name)} must be 1 to 64 letters, digits, ".", ":", "-" or "_"`);
}
