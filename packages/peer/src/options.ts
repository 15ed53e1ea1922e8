import { DEFAULT_NETWORK, DEFAULT_POOL_CAP, PRESETS, checkOptionKeys, parseNetwork, type Ed25519, type NetworkParams } from '@chain/core';
import { DEFAULT_MAX_FRAME, PROTOCOL_VERSIONS, type ProtocolVersion } from '@chain/protocol';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
  checkTransport,
  silentLogger,
  tcpTransport,
  type Logger,
  type Transport,
} from '@chain/net';
import { defaultVerifyThreads } from './verify-pool';
import { DEFAULT_UPLOAD_BYTES_PER_SECOND } from './upload-budget';
import { OWN_VERSION } from './version';
import { DEFAULT_ANNOUNCE_MS, DEFAULT_FETCH_TIMEOUT_MS, secureRandom } from './announce/timing';
import { checkTimers, systemTimers, type Timers } from './timers';

/** Everything a peer can be told; every field but `network` has a default. */
export interface PeerOptions {
  /** The network: a preset's name (`default`, `comp3221`, `retarget`) or its parameters. Default the `default` preset. */
  readonly network?: NetworkParams | PresetName;
  /** Address to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. Default 6000. */
  readonly port?: number;
  /** The `host:port` other peers should use to reach this one (default: the bound address). */
  readonly advertise?: string;
  /** Data directory; `null` keeps everything in memory. Default null. */
  readonly dataDir?: string | null;
  /** Neighbours to connect to, as `host:port`. */
  readonly neighbours?: readonly string[];
  /** Run the in-process miner. Default true. */
  readonly mine?: boolean;
  /** Miner worker threads (default: one per core). */
  readonly workers?: number;
  /** Heartbeat period (the specification default 5000 ms). */
  readonly heartbeatMs?: number;
  /** How long a transaction gossiped by a neighbour waits before this peer mines it. Default 1000 ms. */
  readonly minerGraceMs?: number;
  /**
   * Most neighbours, configured and learned (learned addresses count only once they answered `hb`;
   * configured ones are always kept). Default 32.
   */
  readonly maxNeighbours?: number;
  /** Least time between dials to new candidate addresses (docs/spec.md §7: one a second). Default 1000 ms. */
  readonly dialIntervalMs?: number;
  /** Pool cap. Default 10000. */
  readonly poolCap?: number;
  /** Largest frame. Default 16 MiB (the protocol's). */
  readonly maxFrame?: number;
  /** Most inbound connections. Default 256 (the server's). */
  readonly maxConnections?: number;
  /** Deadline of a partial frame. Default 30 000 ms (the server's). */
  readonly partialFrameTimeoutMs?: number;
  /** An inbound connection that sends no complete request for this long is closed (docs/spec.md §7); 0 never. Default 60 000 ms (the server's). */
  readonly idleTimeoutMs?: number;
  /**
   * Bytes of blocks (in `hb` and `pb` replies) each inbound connection may be sent per second,
   * with one frame's worth saved up at most. Default 16 MiB/s.
   */
  readonly uploadBytesPerSecond?: number;
  /**
   * The highest protocol version this peer speaks: `1.2` (announcements, compact blocks, headers
   * first, with 1.1 on connections to peers that do not speak it) or `1.1` only. Default `1.2`.
   */
  readonly protocol?: ProtocolVersion;
  /** Mean gap between flushes of transaction announcements to a 1.2 neighbour (randomised, Poisson). Default 500 ms. */
  readonly announceMs?: number;
  /** How long an announced transaction's body may take before the next announcer is asked. Default 2000 ms. */
  readonly fetchTimeoutMs?: number;
  /** Uniform in [0, 1): the randomness of announcement timers (a simulation passes a seeded one). Default the system's. */
  readonly random?: () => number;
  /** Ed25519 implementation; default node:crypto's. */
  readonly ed25519?: Ed25519;
  /**
   * Threads that verify the signatures of a batch of blocks (a sync batch, a large block) in
   * parallel before the rules check them in order; 0 verifies everything on the main thread.
   * Default: one per core when there are at least two and `ed25519` is node:crypto's (not given),
   * else 0. Batches of fewer than 64 signatures are always verified inline.
   */
  readonly verifyThreads?: number;
  readonly logger?: Logger;
  /** The clock (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
  /** Where every timer of the peer is set (heartbeat, long polls, grace, dials). Default the global timers. */
  readonly timers?: Timers;
  /** How the peer serves and reaches other peers. Default `tcpTransport` of @chain/net. */
  readonly transport?: Transport;
}

/** A network preset's name. */
export type PresetName = keyof typeof PRESETS;

/** Options that stay undefined when not given: nothing stands in for them. */
type WithoutDefault = 'advertise' | 'workers' | 'ed25519';

/** Every option with its default filled in and checked; `network` resolved to its parameters. */
export type ResolvedOptions = {
  readonly [K in Exclude<keyof PeerOptions, WithoutDefault | 'network'>]-?: Exclude<PeerOptions[K], undefined>;
} & { readonly [K in WithoutDefault]: PeerOptions[K] } & { readonly network: NetworkParams };

/** Every option's name: an object with any other key is refused (a typo must not be ignored). */
const OPTION_KEYS = [
  'network',
  'host',
  'port',
  'advertise',
  'dataDir',
  'neighbours',
  'mine',
  'workers',
  'heartbeatMs',
  'minerGraceMs',
  'maxNeighbours',
  'dialIntervalMs',
  'poolCap',
  'maxFrame',
  'maxConnections',
  'partialFrameTimeoutMs',
  'idleTimeoutMs',
  'uploadBytesPerSecond',
  'protocol',
  'announceMs',
  'fetchTimeoutMs',
  'random',
  'ed25519',
  'verifyThreads',
  'logger',
  'now',
  'timers',
  'transport',
] as const satisfies readonly (keyof PeerOptions)[];

// Every option of PeerOptions is in OPTION_KEYS (a compile error names the one left out).
const allKeys: Record<Exclude<keyof PeerOptions, (typeof OPTION_KEYS)[number]>, never> = {};
void allKeys;

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/;

/** Parse `host:port` (IPv6 in brackets); throws a RangeError that quotes the input. */
export function parseHostPort(text: string, what = 'address'): { host: string; port: number } {
  const m = HOST_PORT.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new RangeError(`${what} "${text}" is not host:port with a port from 1 to 65535`);
  const host = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

function int(name: string, v: number | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  return v;
}

function bool(name: string, v: boolean | undefined, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be true or false, got ${String(v)}`);
  return v;
}

/** The network option as parameters: a preset by name, or parameters checked field by field. */
function network(v: PeerOptions['network']): NetworkParams {
  if (v === undefined) return DEFAULT_NETWORK;
  if (typeof v === 'string') {
    const preset = (PRESETS as Record<string, NetworkParams>)[v];
    if (!Object.prototype.hasOwnProperty.call(PRESETS, v) || !preset)
      throw new RangeError(`network must be a preset name (${Object.keys(PRESETS).join(', ')}) or network parameters, got "${v}"`);
    return preset;
  }
  try {
    const checked = parseNetwork(v);
    return Object.isFrozen(v) ? v : checked; // the caller's frozen object is kept, so that it compares equal
  } catch (err) {
    throw new RangeError(`network: ${(err as Error).message}`);
  }
}

function version(v: PeerOptions['protocol']): ProtocolVersion {
  if (v === undefined) return OWN_VERSION;
  if (!(PROTOCOL_VERSIONS as readonly string[]).includes(v))
    throw new RangeError(`protocol must be one of ${PROTOCOL_VERSIONS.join(', ')}, got ${String(v)}`);
  return v;
}

/** Fill in defaults and check every option; errors name the option. */
export function resolveOptions(o: PeerOptions = {}): ResolvedOptions {
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new TypeError(`peer options must be an object, got ${o === null ? 'null' : typeof o}`);
  checkOptionKeys(o, OPTION_KEYS, 'peer');
  if (o.neighbours !== undefined && !Array.isArray(o.neighbours))
    throw new TypeError(`neighbours must be an array of "host:port" strings, got ${typeof o.neighbours}`);
  const neighbours = (o.neighbours ?? []).map((n) => {
    parseHostPort(n, 'neighbour');
    return n;
  });
  if (o.advertise !== undefined) parseHostPort(o.advertise, 'advertise');
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host === ''))
    throw new TypeError(`host must be a non-empty string, got ${typeof o.host}`);
  if (o.dataDir !== undefined && o.dataDir !== null && (typeof o.dataDir !== 'string' || o.dataDir === ''))
    throw new TypeError(`dataDir must be a directory path or null (in memory), got ${typeof o.dataDir}`);
  if (o.now !== undefined && typeof o.now !== 'function')
    throw new TypeError(`now must be a function returning ms since the epoch, got ${typeof o.now}`);
  if (o.random !== undefined && typeof o.random !== 'function')
    throw new TypeError(`random must be a function returning a number in [0, 1), got ${typeof o.random}`);
  if (o.logger !== undefined && (['debug', 'info', 'warn', 'error'] as const).some((l) => typeof o.logger?.[l] !== 'function'))
    throw new TypeError('logger must have debug, info, warn and error functions');
  return {
    network: network(o.network),
    host: o.host ?? '127.0.0.1',
    port: int('port', o.port, 6000, 0, 65535),
    advertise: o.advertise,
    dataDir: o.dataDir ?? null,
    neighbours: [...new Set(neighbours)],
    mine: bool('mine', o.mine, true),
    workers: o.workers === undefined ? undefined : int('workers', o.workers, 1, 1, 256),
    heartbeatMs: int('heartbeatMs', o.heartbeatMs, 5000, 10, 3_600_000),
    minerGraceMs: int('minerGraceMs', o.minerGraceMs, 1000, 0, 3_600_000),
    maxNeighbours: int('maxNeighbours', o.maxNeighbours, 32, 1, 1024),
    dialIntervalMs: int('dialIntervalMs', o.dialIntervalMs, 1000, 0, 60_000),
    poolCap: int('poolCap', o.poolCap, DEFAULT_POOL_CAP, 1, 10_000_000),
    maxFrame: int('maxFrame', o.maxFrame, DEFAULT_MAX_FRAME, 1024, 2 ** 31),
    maxConnections: int('maxConnections', o.maxConnections, DEFAULT_MAX_CONNECTIONS, 1, 100_000),
    partialFrameTimeoutMs: int('partialFrameTimeoutMs', o.partialFrameTimeoutMs, DEFAULT_PARTIAL_FRAME_TIMEOUT_MS, 10, 3_600_000),
    idleTimeoutMs: int('idleTimeoutMs', o.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 0, 3_600_000),
    uploadBytesPerSecond: int('uploadBytesPerSecond', o.uploadBytesPerSecond, DEFAULT_UPLOAD_BYTES_PER_SECOND, 1, 2 ** 40),
    protocol: version(o.protocol),
    announceMs: int('announceMs', o.announceMs, DEFAULT_ANNOUNCE_MS, 0, 60_000),
    fetchTimeoutMs: int('fetchTimeoutMs', o.fetchTimeoutMs, DEFAULT_FETCH_TIMEOUT_MS, 10, 60_000),
    random: o.random ?? secureRandom,
    ed25519: o.ed25519,
    verifyThreads: int('verifyThreads', o.verifyThreads, o.ed25519 === undefined ? defaultVerifyThreads() : 0, 0, 256),
    logger: o.logger ?? silentLogger,
    now: o.now ?? Date.now,
    timers: o.timers === undefined ? systemTimers : checkTimers(o.timers),
    transport: o.transport === undefined ? tcpTransport : checkTransport(o.transport),
  };
}
