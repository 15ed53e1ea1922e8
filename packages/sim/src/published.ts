/**
 * Published figures the simulator is compared with. Gervais, Karame, Wüst, Glykantzis, Ritzdorf,
 * Čapkun: "On the Security and Performance of Proof of Work Blockchains", ACM CCS 2016 — their
 * simulator, standard protocol, 10,000 blocks per row.
 */
export const GERVAIS_2016_INTERVALS: readonly {
  readonly intervalMs: number;
  readonly medianPropagationMs: number;
  readonly staleRate: number;
}[] = [
  { intervalMs: 600_000, medianPropagationMs: 14_700, staleRate: 0.0151 },
  { intervalMs: 150_000, medianPropagationMs: 4_180, staleRate: 0.0182 },
  { intervalMs: 60_000, medianPropagationMs: 2_080, staleRate: 0.0215 },
  { intervalMs: 30_000, medianPropagationMs: 1_430, staleRate: 0.0254 },
  { intervalMs: 10_000, medianPropagationMs: 1_000, staleRate: 0.0477 },
  { intervalMs: 5_000, medianPropagationMs: 890, staleRate: 0.0864 },
  { intervalMs: 1_000, medianPropagationMs: 820, staleRate: 0.2674 },
  { intervalMs: 500, medianPropagationMs: 820, staleRate: 0.3815 },
];

/** The published row at exactly this interval, if any. */
export function gervaisAt(intervalMs: number): (typeof GERVAIS_2016_INTERVALS)[number] | undefined {
  return GERVAIS_2016_INTERVALS.find((r) => r.intervalMs === intervalMs);
}

/** Decker & Wattenhofer 2013, measured on Bitcoin: median and 90th percentile of block propagation. */
export const DECKER_2013 = Object.freeze({ medianPropagationMs: 6_500, p90PropagationMs: 26_000 });
