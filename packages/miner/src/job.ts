/** Proof-of-work job description and its validation (SPEC §4). */

/** `seed`: h = sha256hex(d); `bound`: h = sha256hex(templateHash + d). */
export type PowRule = 'seed' | 'bound';

/** Largest valid proof: 2^53 − 1. */
export const MAX_PROOF = Number.MAX_SAFE_INTEGER;

/** What to mine: the rule, the block template and parent proof, and the difficulty. */
export interface PowJob {
  rule: PowRule;
  /** 64 lowercase hex characters; required by `bound`, ignored by `seed`. */
  templateHash?: string;
  /** The parent block's proof (100 for the block after genesis). */
  previousProof: number;
  /** Number of leading '0' hex characters the hash needs, 1–16 (0 accepts any proof). */
  difficulty: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function isProof(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Throws a RangeError/TypeError naming the offending field when `job` is not well formed. */
export function validateJob(job: PowJob): void {
  if (job.rule !== 'seed' && job.rule !== 'bound') throw new TypeError(`rule: expected "seed" or "bound", got ${String(job.rule)}`);
  if (job.rule === 'bound' && (typeof job.templateHash !== 'string' || !HEX64.test(job.templateHash))) {
    throw new TypeError('templateHash: expected 64 lowercase hex characters');
  }
  if (!isProof(job.previousProof)) throw new RangeError('previousProof: expected an integer 0 ≤ n ≤ 2^53 − 1');
  if (!Number.isInteger(job.difficulty) || job.difficulty < 0 || job.difficulty > 64) {
    throw new RangeError('difficulty: expected an integer 0–64');
  }
}

/** The UTF-8/ASCII text that comes before `d` in the hashed message. */
export function powPrefix(job: PowJob): string {
  return job.rule === 'bound' ? job.templateHash! : '';
}
