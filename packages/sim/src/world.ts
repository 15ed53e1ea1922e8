import type { ProtocolVersion } from '@chain/protocol';
import { createGenesis, type NetworkParams } from '@chain/core';
import { Peer, type PeerOptions } from '@chain/peer';
import { logArguments, type LogFields, type Logger } from '@chain/net';
import { Random } from './random';
import { Scheduler } from './scheduler';
import { Trace } from './trace';
import { LatencyModel, type LatencySpec } from './latency';
import { Links, type Partition } from './links';
import { Fabric, type WireMode } from './transport/fabric';
import { fullMesh, randomRegular, type Topology } from './topology';
import { memoEd25519 } from './crypto';
import { TxFactory } from './txgen';
import { BlockTracker } from './tracker';

/** The network every simulated peer runs: the `bound` proof of work at difficulty 1, so that a block costs 16 hashes on average. */
export const SIM_NETWORK: NetworkParams = Object.freeze({
  name: 'sim',
  genesisTime: 1767225600000,
  difficulty: 1,
  pow: 'bound',
  txFormat: 'classic',
  maxTxPerBlock: 10,
  txTtlMs: 3600000,
});

export type TopologySpec =
  { readonly kind: 'regular'; readonly k: number } | { readonly kind: 'mesh' } | { readonly kind: 'given'; readonly topology: Topology };

export interface WorldOptions {
  readonly seed: string | number;
  readonly peers: number;
  /** Default: random 8-regular (full mesh when there are 9 peers or fewer). */
  readonly topology?: TopologySpec;
  /** Default constant 50 ms. */
  readonly latency?: LatencySpec;
  /** Replace the latency of some links (a, b) with the returned value (ms); undefined keeps the model's. */
  readonly latencyOverride?: (a: number, b: number) => number | undefined;
  /** Upload and download bandwidth of every peer (bits a second); default the region preset's, or unlimited. */
  readonly bandwidthBps?: number;
  readonly loss?: number;
  readonly partitions?: readonly Partition[];
  /** Overrides of SIM_NETWORK (e.g. maxTxPerBlock, txFormat). */
  readonly network?: Partial<NetworkParams>;
  /** Peer settings for every peer (heartbeatMs, minerGraceMs, ...). */
  readonly peer?: Partial<
    Pick<PeerOptions, 'heartbeatMs' | 'minerGraceMs' | 'idleTimeoutMs' | 'maxConnections' | 'maxNeighbours' | 'dialIntervalMs' | 'poolCap'>
  >;
  /** Settings for particular peers, on top of `peer` (e.g. neighbours of an attacker). */
  readonly peerOverride?: (index: number) => Partial<PeerOptions> | undefined;
  readonly wire?: WireMode;
  /** The protocol version every peer speaks at most (`1.1` makes them all 1.1 peers). Default 1.2. */
  readonly protocol?: ProtocolVersion;
  /** Transaction content length (12–70 characters). Default 32. */
  readonly txContentBytes?: number;
  /**
   * Virtual µs a peer spends checking each transaction a message brings it (alone or in a block);
   * it handles nothing else meanwhile. Default 0: checking is free.
   */
  readonly validationUsPerTx?: number;
}

/** A simulated peer. */
export interface SimNode {
  readonly index: number;
  readonly host: string;
  /** `host:port` of its server. */
  readonly address: string;
  readonly peer: Peer;
}

/** A logger that counts warnings and errors of every peer and keeps the first few. */
export class CountingLogger implements Logger {
  warnings = 0;
  errors = 0;
  readonly samples: string[] = [];
  readonly debug = (): void => {};
  readonly info = (): void => {};
  readonly warn = ((a: string | LogFields, b?: string) => {
    this.warnings++;
    this.#keep('warn', a, b);
  }) as Logger['warn'];
  readonly error = ((a: string | LogFields, b?: string) => {
    this.errors++;
    this.#keep('error', a, b);
  }) as Logger['error'];
  #keep(level: string, a: string | LogFields, b?: string): void {
    if (this.samples.length >= 20) return;
    const { message, fields } = logArguments(a, b);
    this.samples.push(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  }
}

/** `10.x.y.z` of node `i` (one address a node). */
export function hostOf(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export const SIM_PORT = 8333;

/**
 * A simulated world: a virtual clock, one seeded generator, a network of links, and a real
 * {@link Peer} on every node, each with the in-memory transport, the virtual timers and clock,
 * no miner of its own and no disk.
 */
export class World {
  readonly options: WorldOptions;
  readonly rng: Random;
  readonly scheduler: Scheduler;
  readonly trace = new Trace();
  readonly network: NetworkParams;
  readonly genesisHash: string;
  readonly topology: Topology;
  readonly latency: LatencyModel;
  readonly links: Links;
  readonly fabric: Fabric;
  readonly ed25519 = memoEd25519();
  readonly txs: TxFactory;
  readonly logger = new CountingLogger();
  readonly tracker: BlockTracker;
  readonly nodes: SimNode[] = [];
  /** Virtual time at which the world started. */
  readonly startTime: number;
  /** Where `converged` found a peer behind `#convergedTip` last. */
  #convergedTip: string | undefined;
  #behind = 1;

  private constructor(o: WorldOptions) {
    if (!Number.isSafeInteger(o.peers) || o.peers < 2) throw new RangeError(`peers must be an integer of at least 2, got ${o.peers}`);
    this.options = o;
    this.rng = new Random(o.seed);
    this.network = Object.freeze({ ...SIM_NETWORK, ...o.network });
    this.genesisHash = createGenesis(this.network).currentHash;
    this.startTime = this.network.genesisTime + 60_000;
    this.scheduler = new Scheduler(this.startTime);
    const spec = o.topology ?? (o.peers <= 9 ? { kind: 'mesh' } : { kind: 'regular', k: 8 });
    this.topology =
      spec.kind === 'mesh'
        ? fullMesh(o.peers)
        : spec.kind === 'regular'
          ? randomRegular(o.peers, spec.k, this.rng.fork('topology'))
          : spec.topology;
    if (this.topology.peers !== o.peers) throw new RangeError(`the topology has ${this.topology.peers} peers, not ${o.peers}`);
    const latencySpec = o.latency ?? { kind: 'constant', ms: 50 };
    this.latency = new LatencyModel(latencySpec, o.peers, this.rng.fork('latency'));
    const preset = latencySpec.kind === 'regions' ? latencySpec.preset : null;
    const region = this.latency.region;
    const up = (p: number) => o.bandwidthBps ?? (preset ? (preset.uploadBps[region[p] as number] as number) : Infinity);
    const down = (p: number) => o.bandwidthBps ?? (preset ? (preset.downloadBps[region[p] as number] as number) : Infinity);
    const override = o.latencyOverride;
    this.links = new Links(
      {
        latency: override ? (a, b) => override(a, b) ?? this.latency.latency(a, b) : (a, b) => this.latency.latency(a, b),
        uploadBps: up,
        downloadBps: down,
        loss: o.loss ?? 0,
        rng: this.rng.fork('loss'),
        partitions: o.partitions ?? [],
        startTime: this.startTime,
      },
      o.peers,
    );
    this.fabric = new Fabric({
      scheduler: this.scheduler,
      links: this.links,
      trace: this.trace,
      rng: this.rng.fork('backoff'),
      wire: o.wire ?? 'object',
      validationUsPerTx: o.validationUsPerTx ?? 0,
    });
    this.txs = new TxFactory({
      format: this.network.txFormat,
      genesisHash: this.genesisHash,
      rng: this.rng.fork('tx'),
      ed25519: this.ed25519,
      contentBytes: o.txContentBytes,
    });
    this.tracker = new BlockTracker(this.scheduler, o.peers);
  }

  /** Build the world and start every peer (in order; no virtual time passes). */
  static async create(o: WorldOptions): Promise<World> {
    const w = new World(o);
    for (let i = 0; i < o.peers; i++) w.fabric.addHost(i, hostOf(i));
    const base = w.options.peer ?? {};
    const heartbeatMs = base.heartbeatMs ?? 5000;
    for (let i = 0; i < o.peers; i++) {
      const host = hostOf(i);
      const peer = await Peer.start({
        network: w.network,
        host,
        port: SIM_PORT,
        dataDir: null,
        mine: false,
        neighbours: (w.topology.adjacency[i] as number[]).map((j) => `${hostOf(j)}:${SIM_PORT}`),
        // An inbound connection is idle only when a heartbeat or two went by without a request.
        idleTimeoutMs: Math.max(60_000, 3 * heartbeatMs),
        ...(w.options.protocol ? { protocol: w.options.protocol } : {}),
        ...base,
        ...w.options.peerOverride?.(i),
        ed25519: w.ed25519,
        // Signatures are verified in this thread: a worker's answer would arrive outside the virtual clock.
        verifyThreads: 0,
        logger: w.logger,
        now: w.scheduler.now,
        timers: w.scheduler.timers,
        // Announcement timers draw from the world's generator: the same seed, the same flushes.
        random: randomOf(w.rng.fork(`announce/${i}`)),
        transport: w.fabric.transport(i),
      });
      w.nodes.push({ index: i, host, address: `${host}:${SIM_PORT}`, peer });
      w.tracker.watch(i, peer);
    }
    return w;
  }

  get peers(): number {
    return this.nodes.length;
  }

  /** Virtual ms since the world started. */
  get elapsed(): number {
    return this.scheduler.time - this.startTime;
  }

  /** Run the event loop until virtual time `startTime + ms` (or earlier when nothing is left). */
  runFor(ms: number): ReturnType<Scheduler['run']> {
    return this.scheduler.run({ until: this.scheduler.time + ms });
  }

  /** Whether every peer has the same tip. */
  converged(nodes: readonly SimNode[] = this.nodes): boolean {
    const tip = nodes[0]?.peer.chain.tip.hash;
    if (nodes !== this.nodes) return nodes.every((n) => n.peer.chain.tip.hash === tip);
    // Checked after every event while a block spreads: resume where the last peer behind was, scan all only to say yes.
    if (tip !== this.#convergedTip) {
      this.#convergedTip = tip;
      this.#behind = 1;
    }
    for (; this.#behind < nodes.length; this.#behind++) if ((nodes[this.#behind] as SimNode).peer.chain.tip.hash !== tip) return false;
    const other = nodes.findIndex((n) => n.peer.chain.tip.hash !== tip);
    if (other < 0) return true;
    this.#behind = other;
    return false;
  }

  /** Stop every peer (their timers and connections end; nothing is left scheduled by them). */
  async stop(): Promise<void> {
    const stopping = Promise.all(this.nodes.map((n) => n.peer.stop()));
    // Closing connections sends frames: let the loop run until the peers are stopped.
    let done = false;
    void stopping.then(() => (done = true));
    await this.scheduler.run({ stopWhen: () => done, until: this.scheduler.time + 60_000 });
    await stopping;
  }
}

/** A peer's `random` option from a stream of the world's generator. */
function randomOf(rng: Random): () => number {
  return () => rng.next();
}
