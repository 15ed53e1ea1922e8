/** Synchronous single-thread search with the fast kernel. */
import { MAX_PROOF, powHash, validateJob, type PowJob } from '@chain/core/pow';
import { createKernel, type KernelKind } from './kernel/create';
import type { PowKernel } from './kernel/types';

/** A proof that holds, its hash, and how many proofs were tried to find it. */
export interface Solution {
  proof: number;
  /** The proof-of-work hash, 64 lowercase hex characters. */
  hash: string;
  /** Proofs tested (by all workers, for a pool search). */
  attempts: number;
}

export interface SearchOptions {
  /** First proof to test (default 0). */
  start?: number;
  /** Proofs to test at most (default: up to 2^53 − 1). */
  limit?: number;
  /** Kernel kind (default `auto`) or a kernel instance to reuse. */
  kernel?: KernelKind | PowKernel;
}

const cached = new Map<KernelKind, PowKernel>();

/**
 * The smallest proof in [start, start + limit) that satisfies `job`, or undefined.
 * Blocks the calling thread; use a worker pool for anything but small difficulties.
 */
export function searchProof(job: PowJob, options: SearchOptions = {}): Solution | undefined {
  validateJob(job);
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError('start: expected an integer 0 ≤ n ≤ 2^53 − 1');
  const limit = Math.min(options.limit ?? Infinity, MAX_PROOF - start + 1);
  if (!(limit >= 0)) throw new RangeError('limit: expected a non-negative number');
  if (limit === 0) return undefined;
  let kernel: PowKernel;
  if (typeof options.kernel === 'object') kernel = options.kernel;
  else {
    const kind = options.kernel ?? 'auto';
    kernel = cached.get(kind) ?? createKernel(kind);
    cached.set(kind, kernel);
  }
  kernel.setJob(job);
  const proof = kernel.scan(start, Math.floor(limit));
  if (proof < 0) return undefined;
  return { proof, hash: powHash({ ...job, proof }), attempts: proof - start + 1 };
}
