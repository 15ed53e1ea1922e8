/**
 * Where a miner gets work and sends proofs: the `gp` / `up` exchange of docs/spec.md §5,
 * behind an interface so that a miner runs inside a peer (direct calls) or
 * against any peer over TCP (`tcpWorkSource`).
 */
import type { PowWork } from '@chain/core/pow';

/** The block to work on: the `gp` reply (@chain/core's PowWork). `templateHash` null means nothing to mine. */
export type Work = PowWork;

/** The `up` reply. */
export type SubmitReply =
  | { readonly status: 'Reward'; readonly block: { readonly index: number; readonly currentHash: string } }
  | { readonly status: 'No reward'; readonly reason: string };

export interface WorkSource {
  /** The current work; with `waitMs` > 0, wait until it differs from `known` (long poll). */
  getWork(known: string | null, waitMs: number, signal?: AbortSignal): Promise<Work>;
  /** Submit a proof for a template. */
  submit(proof: number, templateHash: string): Promise<SubmitReply>;
}

/** The part of a @chain/net Client a TCP work source needs. */
export interface RequestClient {
  request(op: 'gp', payload?: { wait?: number; known?: string | null }, options?: { timeoutMs?: number }): Promise<Work>;
  request(op: 'up', payload: { proof: number; templateHash: string }, options?: { timeoutMs?: number }): Promise<SubmitReply>;
}

/** A work source over a @chain/net client connection to a peer: `gp` long polls and `up`. */
export function tcpWorkSource(client: RequestClient, opts: { submitTimeoutMs?: number } = {}): WorkSource {
  return {
    getWork(known, waitMs) {
      return client.request('gp', waitMs > 0 ? { wait: waitMs, known } : undefined, { timeoutMs: waitMs + 10_000 });
    },
    submit(proof, templateHash) {
      return client.request('up', { proof, templateHash }, { timeoutMs: opts.submitTimeoutMs ?? 30_000 });
    },
  };
}
