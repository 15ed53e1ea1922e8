/**
 * Closed forms the simulations are checked against.
 */

/** Stale-block rate when a block takes `propagationMs` on average to reach a miner and blocks come every `intervalMs`: 1 − exp(−t/T). */
export function staleModel(propagationMs: number, intervalMs: number): number {
  return 1 - Math.exp(-propagationMs / intervalMs);
}

/**
 * Eyal & Sirer (2014): the selfish pool's share of the main chain's blocks, for hash power α and
 * the share γ of honest power that mines on the pool's block in a tie.
 * R = [α(1−α)²(4α+γ(1−2α)) − α³] / [1 − α(1+(2−α)α)].
 */
export function selfishRevenue(alpha: number, gamma: number): number {
  const a = alpha;
  return (a * (1 - a) ** 2 * (4 * a + gamma * (1 - 2 * a)) - a ** 3) / (1 - a * (1 + (2 - a) * a));
}

/** The hash power above which selfish mining pays (Eyal & Sirer): (1−γ)/(3−2γ). */
export function selfishThreshold(gamma: number): number {
  return (1 - gamma) / (3 - 2 * gamma);
}

/** log C(n, k) */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** Negative binomial: the probability that the attacker finds exactly `k` blocks while the honest network finds `z` (the z-th honest block ends it). */
function negBinomial(k: number, z: number, p: number, q: number): number {
  return Math.exp(logChoose(k + z - 1, k) + z * Math.log(p) + (k > 0 ? k * Math.log(q) : 0));
}

/**
 * Nakamoto (2008), section 11: the attacker's progress while the honest chain grows by z blocks
 * taken as Poisson with mean z·q/p, and catching up from d behind with probability (q/p)^d.
 */
export function nakamoto(q: number, z: number): number {
  const p = 1 - q;
  const lambda = (z * q) / p;
  let sum = 1;
  let poisson = Math.exp(-lambda);
  for (let k = 0; k <= z; k++) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1 - (q / p) ** (z - k));
  }
  return Math.max(0, sum);
}

/**
 * Rosenfeld (2014): the attacker's progress is negative binomial, and catching up to an *equal*
 * length counts as success: P = 1 − Σ_{m=0..z} C(m+z−1, m)(p^z q^m − q^z p^m).
 */
export function rosenfeld(q: number, z: number): number {
  if (q >= 0.5) return 1;
  const p = 1 - q;
  let sum = 0;
  for (let m = 0; m <= z; m++) sum += negBinomial(m, z, p, q) * (1 - (q / p) ** (z - m));
  return Math.max(0, 1 - sum);
}

/**
 * Double spending under this chain's rules: first-seen wins ties, so the attacker's branch must be
 * strictly longer. The attacker mines privately from the payment's parent while the honest chain
 * grows by z blocks (the payment's block and z − 1 more: the merchant's z confirmations); it has
 * then found k blocks (negative binomial). It publishes as soon as its branch is strictly longer,
 * which, from z − k behind, it ever is with probability (q/p)^(z−k+1) (gambler's ruin: it must
 * gain z − k + 1 net). So
 *
 *   P = 1 − Σ_{k=0..z} C(k+z−1, k) p^z q^k (1 − (q/p)^(z−k+1))
 *
 * (for k > z it has already won). With `giveUpBehind` the attacker abandons when the honest
 * chain is more than that many blocks ahead of its branch: catching up then needs the walk of
 * its lead to reach +1 before −(giveUpBehind + 1), the gambler's ruin on a finite range with
 * r = p/q: (1 − r^s)/(1 − r^w), s the start above the lower end and w the width.
 */
export function strictDoubleSpend(q: number, z: number, giveUpBehind = Infinity): number {
  if (q <= 0) return 0;
  const p = 1 - q;
  if (q >= p && giveUpBehind === Infinity) return 1;
  // Probability to reach a lead of +1 from a lead of `lead` (≤ 0) before falling below −giveUpBehind.
  const catchUp = (lead: number): number => {
    const need = 1 - lead; // steps up needed
    if (giveUpBehind === Infinity) return (q / p) ** need;
    const width = 1 + giveUpBehind + 1; // absorbing at +1 and at −(giveUpBehind + 1)
    const start = lead + giveUpBehind + 1; // position from the lower barrier
    if (start <= 0) return 0;
    const r = p / q;
    if (Math.abs(r - 1) < 1e-12) return start / width;
    // (1 − r^s)/(1 − r^w), divided through by r^w when r > 1 so that nothing overflows.
    if (r > 1) return (r ** -width - r ** (start - width)) / (r ** -width - 1);
    return (1 - r ** start) / (1 - r ** width);
  };
  let fail = 0;
  for (let k = 0; k <= z; k++) fail += negBinomial(k, z, p, q) * (1 - catchUp(k - z));
  return Math.max(0, Math.min(1, 1 - fail));
}
