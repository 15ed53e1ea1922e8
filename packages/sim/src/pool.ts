import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { runTask, type RunRecord, type TaskProgress, type TaskSpec } from './task';
import { startWorker, workerUrl } from './worker-thread';

/** What a worker thread posts. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly progress: TaskProgress }
  | { readonly type: 'done'; readonly record: RunRecord }
  | { readonly type: 'failed'; readonly task: number; readonly message: string; readonly stack: string };

export interface PoolOptions {
  /** Runs at once, each in a worker thread of its own; 1 runs them one after another in this thread. Default: one a core. */
  readonly jobs?: number;
  /** A running task's progress (at most every 200 ms of real time per task). */
  readonly onProgress?: (p: TaskProgress) => void;
  /** A task finished (in the order they finish). */
  readonly onDone?: (r: RunRecord) => void;
}

/** The default of `--jobs`: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Run independent tasks, `jobs` at a time in worker threads, and give their records in the
 * tasks' order. Every run builds its own world from its seed, so where and when it ran changes
 * nothing in its result but its `wallMs`.
 */
export async function runTasks(tasks: readonly TaskSpec[], o: PoolOptions = {}): Promise<RunRecord[]> {
  const jobs = o.jobs ?? defaultJobs();
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  const records = new Map<number, RunRecord>();
  if (jobs === 1 || tasks.length <= 1) {
    for (const t of tasks) {
      const r = await runTask(t, o.onProgress);
      records.set(t.index, r);
      o.onDone?.(r);
    }
  } else await inWorkers(tasks, Math.min(jobs, tasks.length), o, records);
  return tasks.map((t) => records.get(t.index) as RunRecord);
}

async function inWorkers(tasks: readonly TaskSpec[], n: number, o: PoolOptions, records: Map<number, RunRecord>): Promise<void> {
  const url = workerUrl('worker');
  const queue = [...tasks];
  const workers: Worker[] = [];
  const byIndex = new Map(tasks.map((t) => [t.index, t]));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const next = (w: Worker): void => {
        const t = queue.shift();
        if (t === undefined) {
          if (running === 0) resolve();
          return;
        }
        running++;
        w.postMessage(t);
      };
      for (let i = 0; i < n; i++) {
        const w = startWorker(url);
        workers.push(w);
        w.on('message', (m: FromWorker) => {
          if (m.type === 'ready') next(w);
          else if (m.type === 'progress') o.onProgress?.(m.progress);
          else if (m.type === 'done') {
            running--;
            records.set(m.record.task, m.record);
            o.onDone?.(m.record);
            next(w);
          } else {
            const t = byIndex.get(m.task);
            const err = new Error(`the run of seed ${t?.seed} (task ${m.task}) failed: ${m.message}`);
            err.stack = `${err.message}\n${m.stack}`;
            reject(err);
          }
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (queue.length > 0 || running > 0) reject(new Error(`a simulator worker exited with code ${code} before its runs were done`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
