import type { Random } from './random';

/**
 * How long a byte takes from one peer to another, one way, before bandwidth: a constant, a
 * uniform or log-normal draw per link, or regions with inter-region delays. A link keeps its
 * latency for the whole run (it is a distance, not a coin flip per message).
 */
export type LatencySpec =
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number }
  | { readonly kind: 'regions'; readonly preset: RegionPreset };

/** A world of regions: where peers are, how far apart the regions are, and how fast their links are. */
export interface RegionPreset {
  readonly name: string;
  readonly regions: readonly string[];
  /** Share of peers in each region. */
  readonly distribution: readonly number[];
  /** Mean one-way latency between regions (ms). */
  readonly latencyMs: readonly (readonly number[])[];
  /** Upload and download bandwidth of a peer in each region (bits a second). */
  readonly uploadBps: readonly number[];
  readonly downloadBps: readonly number[];
}

/**
 * The 2019 Bitcoin figures that SimBlock (Aoki et al., 2019; NetworkConfiguration.java) ships:
 * regions, share of nodes per region, mean latencies between regions, and per-region bandwidth.
 * Like SimBlock, a link's latency is Pareto-distributed around the mean of its region pair.
 */
export const SIMBLOCK_2019: RegionPreset = Object.freeze({
  name: 'simblock-2019',
  regions: ['north-america', 'europe', 'south-america', 'asia-pacific', 'japan', 'australia'],
  distribution: [0.3316, 0.4998, 0.009, 0.1177, 0.0224, 0.0195],
  latencyMs: [
    [32, 124, 184, 198, 151, 189],
    [124, 11, 227, 237, 252, 294],
    [184, 227, 88, 325, 301, 322],
    [198, 237, 325, 85, 58, 198],
    [151, 252, 301, 58, 12, 126],
    [189, 294, 322, 198, 126, 16],
  ],
  uploadBps: [19_200_000, 20_700_000, 5_800_000, 15_700_000, 10_200_000, 11_300_000],
  downloadBps: [52_000_000, 40_000_000, 18_000_000, 22_800_000, 22_800_000, 29_900_000],
});

export const REGION_PRESETS: Readonly<Record<string, RegionPreset>> = Object.freeze({ [SIMBLOCK_2019.name]: SIMBLOCK_2019 });

/** Pareto shape of per-link latencies in the regions model (heavier tail for smaller values). */
const PARETO_SHAPE = 5;

/**
 * Parse `constant:MS`, `uniform:MIN-MAX`, `lognormal:MEDIAN,SIGMA` or `regions[:PRESET]`.
 * Errors quote the text and say what is expected.
 */
export function parseLatency(text: string): LatencySpec {
  const [kind, arg = ''] = text.split(':', 2) as [string, string | undefined];
  const num = (s: string | undefined, what: string, min = 0): number => {
    const n = s !== undefined && /^\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : NaN;
    if (!(n >= min)) throw new RangeError(`latency "${text}": ${what} must be a number ≥ ${min}`);
    return n;
  };
  switch (kind) {
    case 'constant':
      return { kind, ms: num(arg, 'the latency in ms') };
    case 'uniform': {
      const [lo, hi] = arg.split('-');
      const minMs = num(lo, 'the least latency in ms');
      const maxMs = num(hi, 'the greatest latency in ms');
      if (maxMs < minMs) throw new RangeError(`latency "${text}": MIN-MAX needs MIN ≤ MAX`);
      return { kind, minMs, maxMs };
    }
    case 'lognormal': {
      const [median, sigma] = arg.split(',');
      return { kind, medianMs: num(median, 'the median latency in ms', 0.001), sigma: num(sigma, 'sigma') };
    }
    case 'regions': {
      const preset = REGION_PRESETS[arg || SIMBLOCK_2019.name];
      if (!preset) throw new RangeError(`latency "${text}": unknown region preset; known: ${Object.keys(REGION_PRESETS).join(', ')}`);
      return { kind, preset };
    }
    default:
      throw new RangeError(
        `latency "${text}": expected constant:MS, uniform:MIN-MAX, lognormal:MEDIAN,SIGMA or regions[:${Object.keys(REGION_PRESETS).join('|')}]`,
      );
  }
}

/** murmur3's finaliser. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform number in [0, 1) that depends only on the seed and the unordered pair (a, b): murmur3's finaliser twice, with a step between, for 53 bits. */
function pairUniform(seed: number, a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let h = (seed ^ Math.imul(lo + 1, 0x9e3779b1) ^ Math.imul(hi + 1, 0x85ebca77)) >>> 0;
  const x1 = mix(h);
  h = (h + 0x6d2b79f5) >>> 0;
  const x2 = mix(h ^ x1);
  return ((x1 >>> 5) * 67108864 + (x2 >>> 6)) / 9007199254740992;
}

/** Latency of each link and region of each peer, fixed by the seed. */
export class LatencyModel {
  readonly spec: LatencySpec;
  /** Region index of each peer (regions model), else all 0. */
  readonly region: Uint8Array;
  readonly #seed: number;

  constructor(spec: LatencySpec, peers: number, rng: Random) {
    this.spec = spec;
    this.#seed = rng.uint32();
    this.region = new Uint8Array(peers);
    if (spec.kind === 'regions') for (let i = 0; i < peers; i++) this.region[i] = rng.weighted(spec.preset.distribution);
  }

  /** One-way latency of the link between peers a and b (ms; the same both ways). */
  latency(a: number, b: number): number {
    const s = this.spec;
    if (s.kind === 'constant') return s.ms;
    const u = pairUniform(this.#seed, a, b);
    switch (s.kind) {
      case 'uniform':
        return s.minMs + (s.maxMs - s.minMs) * u;
      case 'lognormal': {
        // Inverse of the normal CDF by a rational approximation would do; two uniforms by Box–Muller is simpler.
        const v = pairUniform(this.#seed ^ 0x5bd1e995, a, b);
        const z = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        return s.medianMs * Math.exp(s.sigma * z);
      }
      case 'regions': {
        const mean = s.preset.latencyMs[this.region[a] as number]?.[this.region[b] as number] as number;
        const scale = (mean * (PARETO_SHAPE - 1)) / PARETO_SHAPE;
        return scale / Math.pow(1 - u, 1 / PARETO_SHAPE);
      }
    }
  }
}
