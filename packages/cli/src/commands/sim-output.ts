import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Rendered } from '@chain/sim';
import { UsageError } from '../errors';
import type { Out } from './context';
import * as flag from './options';
import { findBrowser, svgToPng } from './sim-png';

/** Where the results of a run go. */
export interface OutputFlags {
  readonly json?: boolean;
  readonly format?: 'table' | 'csv' | 'jsonl';
  readonly plot?: string;
  readonly events?: string;
}

/** `--format`, `--json`, `--plot` and `--events` (OutputFlags), with the command's own help for the last three. */
export function addOutputOptions(
  command: Command,
  help: { readonly json: string; readonly plot: string; readonly events: string },
): Command {
  return command
    .addOption(
      new Option('--format <format>', 'results as a table, CSV or JSON Lines (one line a point)')
        .choices(['table', 'csv', 'jsonl'])
        .default('table')
        .conflicts('json'),
    )
    .addOption(flag.json(help.json))
    .option('--plot <file>', help.plot)
    .option('--events <file>', help.events);
}

/** Refuse a file that could not be written, before anything runs: its directory must exist and be writable. */
function checkWritable(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`${flag} ${file}: the directory ${dir} does not exist`);
  }
  if (!isDir) throw new UsageError(`${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: the directory ${dir} is not writable`);
  }
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${flag} ${file} is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

/** What writing the chart needs, checked before the run: `.svg`, or `.png` with a browser to draw it. */
export type ChartWriter = (svg: string) => Promise<void>;

export async function prepareOutputs(f: OutputFlags): Promise<ChartWriter | null> {
  if (f.events !== undefined) checkWritable('--events', f.events);
  if (f.plot === undefined) return null;
  const file = f.plot;
  checkWritable('--plot', file);
  const ext = extname(file).toLowerCase();
  if (ext === '.svg') return async (svg) => writeFileSync(file, svg);
  if (ext !== '.png') throw new UsageError(`--plot ${file}: a chart is written as .svg or .png, not "${ext || 'no extension'}"`);
  const browser = await findBrowser();
  if ('unavailable' in browser) throw new UsageError(`--plot ${file}: ${browser.unavailable}`);
  return async (svg) => writeFileSync(file, await svgToPng(svg, browser));
}

/** Print the results as asked (a table, CSV, JSON Lines or JSON) and write the chart and the block records. */
export async function writeOutputs(r: Rendered, f: OutputFlags, chart: ChartWriter | null, out: Out): Promise<void> {
  if (f.json) out(`${JSON.stringify(r.json(), null, 2)}\n`);
  else if (f.format === 'csv') out(r.csv());
  else if (f.format === 'jsonl') out(r.jsonl());
  else out(`${r.table()}\n`);
  const quiet = f.json || (f.format !== undefined && f.format !== 'table');
  if (f.events !== undefined) {
    writeFileSync(f.events, r.events());
    if (!quiet) out(`block records written to ${f.events}\n`);
  }
  if (chart !== null && f.plot !== undefined) {
    await chart(r.svg());
    if (!quiet) out(`chart written to ${f.plot}\n`);
  }
}
