import { planHash, planTasks, type Plan } from './plan';
import { SIM_VERSION, type RunRecord } from './task';
import type { Shard } from './shard';

/** The format of the JSON Lines a shard writes. */
export const RECORDS_FORMAT = 'chain-sim-runs/1';

/** The first line of a shard's output: the plan it is a share of. */
export interface ShardHeader {
  readonly type: 'header';
  readonly format: typeof RECORDS_FORMAT;
  readonly simVersion: string;
  readonly planHash: string;
  readonly plan: Plan;
  readonly shard: Shard;
  /** Runs in the whole plan, and in this shard. */
  readonly tasks: number;
  readonly shardTasks: number;
}

/** A shard's output: its header, then one line a run (result, configuration and blocks), in plan order. */
export function shardRecords(plan: Plan, shard: Shard, records: readonly RunRecord[]): string {
  const header: ShardHeader = {
    type: 'header',
    format: RECORDS_FORMAT,
    simVersion: SIM_VERSION,
    planHash: planHash(plan),
    plan,
    shard,
    tasks: planTasks(plan).length,
    shardTasks: records.length,
  };
  const lines = [header, ...[...records].sort((a, b) => a.task - b.task).map((record) => ({ type: 'run', record }))];
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** A shard's output as read back. */
interface ShardFile {
  readonly name: string;
  readonly header: ShardHeader;
  readonly records: RunRecord[];
}

/** The shards of one file: each starts at its header (GNU parallel, `cat`, may put several in one file). */
function parseFile(name: string, text: string): ShardFile[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l, i) => {
    try {
      return JSON.parse(l) as { type?: string; format?: string; record?: RunRecord };
    } catch {
      throw new RangeError(`${name}:${i + 1} is not JSON: not the output of chain-peer sim --shard (or cut short)`);
    }
  });
  if (parsed[0]?.type !== 'header' || parsed[0].format !== RECORDS_FORMAT)
    throw new RangeError(`${name} does not start with a ${RECORDS_FORMAT} header: is it the output of chain-peer sim --shard?`);
  const files: ShardFile[] = [];
  parsed.forEach((p, i) => {
    if (p.type === 'header') {
      const where = files.length === 0 && !parsed.slice(1).some((q) => q.type === 'header') ? name : `${name}:${i + 1}`;
      files.push({ name: where, header: p as unknown as ShardHeader, records: [] });
    } else if (p.type === 'run' && p.record !== undefined) files[files.length - 1]!.records.push(p.record);
    else throw new RangeError(`${name}:${i + 1} is not a run record`);
  });
  for (const f of files)
    if (f.records.length !== f.header.shardTasks)
      throw new RangeError(`${f.name} holds ${f.records.length} of the ${f.header.shardTasks} runs of its shard: it was cut short`);
  return files;
}

/**
 * The plan and every run of shards' outputs (a file a shard, or several in one), checked: one plan (the same settings, seeds and
 * sweep, the same version of the simulator), every shard of it once, every run once.
 */
export function mergeRecords(files: readonly { readonly name: string; readonly text: string }[]): { plan: Plan; records: RunRecord[] } {
  if (files.length === 0) throw new RangeError('merge needs the files the shards wrote');
  const shards = files.flatMap((f) => parseFile(f.name, f.text));
  const first = shards[0] as ShardFile;
  const { plan, shard } = first.header;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const h = s.header;
    if (h.simVersion !== first.header.simVersion)
      throw new RangeError(
        `${s.name} was made by @chain/sim ${h.simVersion}, ${first.name} by ${first.header.simVersion}: runs of different versions do not merge`,
      );
    if (h.planHash !== first.header.planHash || h.shard.count !== shard.count)
      throw new RangeError(`${s.name} is a shard of another run than ${first.name} (other settings, seeds, sweep or shard count)`);
    const dup = seen.get(h.shard.index);
    if (dup !== undefined) throw new RangeError(`${s.name} and ${dup} are both shard ${h.shard.index}/${shard.count}`);
    seen.set(h.shard.index, s.name);
  }
  const missing = Array.from({ length: shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new RangeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${shard.count}`).join(', ')} missing`);
  const records = shards.flatMap((s) => s.records).sort((a, b) => a.task - b.task);
  const total = planTasks(plan).length;
  if (records.length !== total || records.some((r, i) => r.task !== i))
    throw new RangeError(`the shards hold ${records.length} runs, not each of the plan's ${total} once`);
  return { plan, records };
}
