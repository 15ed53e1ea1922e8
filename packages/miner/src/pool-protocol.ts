/** Messages between a worker pool and its worker threads. */
import type { PowJob } from '@chain/core/pow';
import type { KernelKind } from './kernel/create';

/**
 * Shared control words of one search (a BigInt64Array over a SharedArrayBuffer):
 * [CANCELLED] is 1 once the search is cancelled or replaced, [NEXT_CHUNK] is the next chunk
 * index to claim (Atomics.add), [BEST_CHUNK] is the lowest chunk index known to hold a proof.
 */
export const CANCELLED = 0;
export const NEXT_CHUNK = 1;
export const BEST_CHUNK = 2;
export const CONTROL_WORDS = 3;
export const NO_CHUNK = 2n ** 62n;

export interface WorkerInit {
  kernel: KernelKind;
}

/** Pool → worker: search chunks of [start, end] until cancelled or past the best hit. */
export interface JobMessage {
  type: 'job';
  id: number;
  job: PowJob;
  start: number;
  /** Last proof of the range (inclusive). */
  end: number;
  chunkSize: number;
  control: SharedArrayBuffer;
}

/** Worker → pool. */
export type WorkerMessage =
  | { type: 'ready'; kernel: string }
  /** A chunk scanned to its end (complete) or abandoned (cancelled/superseded; partial). */
  | { type: 'chunk'; id: number; chunk: number; attempts: number; hit: number; complete: boolean }
  | { type: 'failed'; id: number; message: string };
