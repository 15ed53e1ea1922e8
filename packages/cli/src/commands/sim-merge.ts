import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { mergeRecords, render } from '@chain/sim';
import { EXIT, UsageError } from '../errors';
import type { CommandContext } from './context';
import { addOutputOptions, prepareOutputs, writeOutputs, type OutputFlags } from './sim-output';

/** `sim merge FILES…`: the shards' records as one run: the same table, JSON, chart and block records as the run unsharded. */
export async function simMerge(files: readonly string[], flags: OutputFlags, ctx: CommandContext): Promise<number> {
  const texts = files.map((name) => {
    try {
      return { name, text: readFileSync(name, 'utf8') };
    } catch (err) {
      throw new UsageError(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  });
  let merged;
  try {
    merged = mergeRecords(texts);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const chart = await prepareOutputs(flags);
  await writeOutputs(render(merged.plan, merged.records), flags, chart, ctx.out);
  return EXIT.ok;
}

export function simMergeCommand(ctx: CommandContext): Command {
  const command = new Command('merge')
    .description('combine the records of `sim … --shard I/N` into the results of the whole run')
    .argument('<files...>', 'the JSON Lines every shard wrote, in any order');
  return addOutputOptions(command, {
    json: 'print the result as JSON, as the whole run would',
    plot: 'write a chart of the result: file.svg or file.png',
    events: 'write every found block of every run as a JSON line',
  }).action(async (files: string[], flags: OutputFlags) => ctx.setExit(await simMerge(files, flags, ctx)));
}
