import type { Task } from './plan';

/** The share of a plan's runs one machine runs: `index` from 1 to `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

function checked(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`${what}: the number of shards must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count)
    throw new RangeError(`${what}: shard ${index} of ${count} does not exist (shards count from 1 to ${count})`);
  return { index, count };
}

/** `--shard 3/8`: the third of eight shares (counted from 1). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new RangeError(`--shard "${text}": expected I/N, the I-th of N shares counted from 1, e.g. 1/4`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

/**
 * The shard of this job from its scheduler, with `count` shards (`--shard-count`): a Kubernetes
 * Indexed Job's `JOB_COMPLETION_INDEX` (from 0), or a Slurm array task's `SLURM_ARRAY_TASK_ID`
 * counted from `SLURM_ARRAY_TASK_MIN` in steps of `SLURM_ARRAY_TASK_STEP`. Null when neither is set.
 */
export function shardFromEnv(count: number, env: NodeJS.ProcessEnv = process.env): Shard | null {
  const int = (name: string, fallback?: number): number => {
    const v = env[name];
    if (v === undefined || v === '') {
      if (fallback !== undefined) return fallback;
      throw new RangeError(`${name} is not set`);
    }
    if (!/^\d+$/.test(v.trim())) throw new RangeError(`${name} is "${v}", not a whole number`);
    return Number(v);
  };
  if (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== '')
    return checked(int('JOB_COMPLETION_INDEX') + 1, count, `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} with --shard-count ${count}`);
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== '') {
    const offset = int('SLURM_ARRAY_TASK_ID') - int('SLURM_ARRAY_TASK_MIN', 0);
    const step = Math.max(1, int('SLURM_ARRAY_TASK_STEP', 1));
    return checked(Math.floor(offset / step) + 1, count, `SLURM_ARRAY_TASK_ID=${env.SLURM_ARRAY_TASK_ID} with --shard-count ${count}`);
  }
  return null;
}

/** The tasks of one shard: every `count`-th from its own, so that expensive points spread over the shards. */
export function shardTasks<T extends Pick<Task, 'index'>>(tasks: readonly T[], shard: Shard | null): T[] {
  if (shard === null) return [...tasks];
  return tasks.filter((t) => t.index % shard.count === shard.index - 1);
}
