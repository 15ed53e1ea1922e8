import type { ProtocolVersion } from '@chain/protocol';
import { performance } from 'node:perf_hooks';
import { parseLatency, type LatencySpec } from '../latency';
import { loadTopology } from '../topology';
import type { TopologySpec, World, WorldOptions } from '../world';
import { bytes, count, duration } from '../format';

/** What a caller may watch of a run: the world once built, and once over (before its peers stop). */
export interface RunHooks {
  readonly started?: (world: World) => void;
  readonly ending?: (world: World) => void;
}

/** The option every scenario takes beside its settings. */
export interface Hooked {
  readonly hooks?: RunHooks;
}

/** Settings every scenario shares. */
export interface CommonOptions extends Hooked {
  readonly seed: string | number;
  readonly peers: number;
  /** `regular:K`, `mesh`, or a file of edges. */
  readonly topology?: string;
  /** `constant:MS`, `uniform:MIN-MAX`, `lognormal:MEDIAN,SIGMA` or `regions`. */
  readonly latency?: string;
  /** Bandwidth of every peer, up and down (bits a second). */
  readonly bandwidthBps?: number;
  readonly loss?: number;
  /** Heartbeat of every peer (ms). */
  readonly heartbeatMs?: number;
  readonly wire?: 'object' | 'json';
  /** The protocol version every peer speaks at most. Default 1.2. */
  readonly protocol?: ProtocolVersion;
  /** Virtual µs a peer spends checking each transaction it receives. Default 0 (free). */
  readonly validationUsPerTx?: number;
}

/** Fields every result has. */
export interface ResultBase {
  readonly scenario: string;
  readonly seed: string | number;
  readonly peers: number;
  /** Blocks found. */
  readonly blocks: number;
  /** Real time the run took (ms). */
  readonly wallMs: number;
  /** SHA-256 over every delivered message and every block, in order: equal for equal runs. */
  readonly traceHash: string;
  /** Messages delivered, their bytes, and events run. */
  readonly messages: number;
  /** Delivered messages by opcode (`syn` and `fin` are connection events). */
  readonly messagesByOp: Record<string, number>;
  readonly bytes: number;
  readonly events: number;
  /** Warnings and errors the peers logged. */
  readonly peerWarnings: number;
  readonly peerErrors: number;
}

export function topologySpec(text: string | undefined, peers: number): TopologySpec | undefined {
  if (text === undefined) return undefined;
  if (text === 'mesh') return { kind: 'mesh' };
  const m = /^regular:(\d+)$/.exec(text);
  if (m) return { kind: 'regular', k: Number(m[1]) };
  if (/^(regular|mesh)\b/.test(text)) throw new RangeError(`topology "${text}": expected regular:K, mesh or a file of edges`);
  return { kind: 'given', topology: loadTopology(text, peers) };
}

export function latencySpec(text: string | undefined, fallback: string): LatencySpec {
  return parseLatency(text ?? fallback);
}

/** The common options with every default filled in (`bandwidthBps` null: the latency model's, or unlimited). */
export interface ResolvedCommon {
  readonly seed: string | number;
  readonly peers: number;
  readonly topology: string;
  readonly latency: string;
  readonly bandwidthBps: number | null;
  readonly loss: number;
  readonly wire: 'object' | 'json';
  readonly protocol: ProtocolVersion;
  readonly validationUsPerTx: number;
}

export function resolveCommon(o: CommonOptions, latencyFallback: string): ResolvedCommon {
  return {
    seed: o.seed,
    peers: o.peers,
    topology: o.topology ?? (o.peers <= 9 ? 'mesh' : 'regular:8'),
    latency: o.latency ?? latencyFallback,
    bandwidthBps: o.bandwidthBps ?? null,
    loss: check('loss', o.loss ?? 0, 0, 0.99),
    wire: o.wire ?? 'object',
    protocol: o.protocol ?? '1.2',
    validationUsPerTx: check('validation-us-per-tx', o.validationUsPerTx ?? 0, 0, 1_000_000),
  };
}

/** World settings from the common options. */
export function worldOptions(
  o: CommonOptions | (ResolvedCommon & { heartbeatMs?: number }),
  latencyFallback: string,
): Omit<WorldOptions, 'peer'> & { heartbeatMs: number | undefined } {
  return {
    seed: o.seed,
    peers: o.peers,
    topology: topologySpec(o.topology, o.peers),
    latency: latencySpec(o.latency, latencyFallback),
    bandwidthBps: o.bandwidthBps ?? undefined,
    loss: o.loss,
    wire: o.wire,
    protocol: o.protocol,
    validationUsPerTx: o.validationUsPerTx,
    heartbeatMs: o.heartbeatMs,
  };
}

/** Measures a run's real time. */
export function stopwatch(): () => number {
  const t0 = performance.now();
  return () => Math.round(performance.now() - t0);
}

/** The fields of ResultBase a world knows. */
export function baseOf(scenario: string, o: { readonly seed: string | number }, world: World, blocks: number, wallMs: number): ResultBase {
  return {
    scenario,
    seed: o.seed,
    peers: world.peers,
    blocks,
    wallMs,
    traceHash: world.trace.digest(),
    messages: world.trace.messages,
    messagesByOp: world.trace.byOp,
    bytes: world.trace.bytes,
    events: world.scheduler.events,
    peerWarnings: world.logger.warnings,
    peerErrors: world.logger.errors,
  };
}

/** The last lines of every human table: what it cost, and the trace hash. */
export function footer(r: ResultBase): string {
  return `${count(r.messages)} messages (${bytes(r.bytes)}), ${count(r.events)} events, ${duration(r.wallMs)} of real time; peers logged ${r.peerWarnings} warnings, ${r.peerErrors} errors\ntrace ${r.traceHash} (seed ${r.seed})`;
}

/** Check a numeric option; the error names it. */
export function check(name: string, value: number, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
