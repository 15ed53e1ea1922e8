import type { LatencySpec } from './latency';
import type { World } from './world';

/** What a world ran with, as JSON: the network's parameters, the links, and every peer's settings. */
export interface WorldSettings {
  readonly peers: number;
  readonly network: Readonly<Record<string, unknown>>;
  readonly topology: string;
  readonly edges: number;
  readonly latency: string;
  /** Links whose latency the scenario set apart from the model (a pool 1 ms from everyone). */
  readonly latencyOverridden: boolean;
  /** Bits a second up and down, or where they come from. */
  readonly bandwidthBps: number | string;
  readonly loss: number;
  readonly wire: string;
  readonly txContentBytes: number;
  /** Virtual µs a peer spends checking each transaction it receives (0: free). */
  readonly validationUsPerTx: number;
  readonly partitions: readonly { readonly startMs: number; readonly healMs: number; readonly sides: readonly number[] }[];
  /** Peer 0's settings (numbers, text and flags of @chain/peer's resolved options); a scenario may change some peers'. */
  readonly peer: Readonly<Record<string, unknown>>;
}

/** Options of a peer that are where it is, not how it behaves. */
const LOCAL = new Set(['host', 'port', 'advertise', 'dataDir', 'mine', 'workers', 'verifyThreads']);

function latencyText(spec: LatencySpec | undefined): string {
  if (spec === undefined) return 'constant:50';
  switch (spec.kind) {
    case 'constant':
      return `constant:${spec.ms}`;
    case 'uniform':
      return `uniform:${spec.minMs}-${spec.maxMs}`;
    case 'lognormal':
      return `lognormal:${spec.medianMs},${spec.sigma}`;
    case 'regions':
      return `regions:${spec.preset.name}`;
  }
}

/** The settings of a built world (read once it is created). */
export function worldSettings(world: World): WorldSettings {
  const o = world.options;
  const spec = o.topology ?? (o.peers <= 9 ? { kind: 'mesh' as const } : { kind: 'regular' as const, k: 8 });
  const first = world.nodes[0]?.peer.options as unknown as Record<string, unknown> | undefined;
  const peer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first ?? {}))
    if (!LOCAL.has(key) && ['number', 'string', 'boolean'].includes(typeof value)) peer[key] = value;
  return {
    peers: world.peers,
    network: { ...world.network },
    topology: spec.kind === 'regular' ? `regular:${spec.k}` : spec.kind === 'mesh' ? 'mesh' : 'given',
    edges: world.topology.edges,
    latency: latencyText(o.latency),
    latencyOverridden: o.latencyOverride !== undefined,
    bandwidthBps: o.bandwidthBps ?? (o.latency?.kind === 'regions' ? `per region (${o.latency.preset.name})` : 'unlimited'),
    loss: o.loss ?? 0,
    wire: o.wire ?? 'object',
    txContentBytes: o.txContentBytes ?? 32,
    validationUsPerTx: o.validationUsPerTx ?? 0,
    partitions: (o.partitions ?? []).map((p) => ({
      startMs: p.startMs,
      healMs: p.healMs,
      sides: [p.side.filter((s) => s !== 1).length, p.side.filter((s) => s === 1).length],
    })),
    peer,
  };
}
