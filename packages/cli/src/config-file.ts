import { readFileSync } from 'node:fs';
import { UsageError } from './errors';
import { whyUnreadable } from './unreadable';

/** A neighbour from a config file in the original format. */
export interface ConfigNeighbour {
  readonly name: string;
  readonly address: string;
}

const EXAMPLE = 'the first line is the number of neighbours, then one "NAME PORT" line each, e.g. "2", "B 6001", "C 6002"';

/**
 * Parse a config file of the original system: the first line is the number of
 * neighbours, then one `NAME PORT` line per neighbour on 127.0.0.1. A trailing
 * newline, blank lines at the end and Windows line endings are fine.
 */
export function parseConfig(text: string, file = 'config file'): ConfigNeighbour[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const first = (lines[0] ?? '').trim();
  if (!/^\d+$/.test(first))
    throw new UsageError(`${file} line 1: expected the number of neighbours, got ${JSON.stringify(first)} (${EXAMPLE})`);
  const count = Number(first);
  if (lines.length - 1 !== count) {
    throw new UsageError(
      `${file}: line 1 says ${count} neighbour${count === 1 ? '' : 's'} but ${lines.length - 1} line${lines.length === 2 ? '' : 's'} follow (${EXAMPLE})`,
    );
  }
  return lines.slice(1).map((raw, i) => {
    const m = /^\s*(\S+)\s+(\d{1,5})\s*$/.exec(raw);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new UsageError(`${file} line ${i + 2}: expected "NAME PORT" with a port from 1 to 65535, got ${JSON.stringify(raw)}`);
    }
    return { name: m[1] as string, address: `127.0.0.1:${port}` };
  });
}

/** Read and parse a config file; errors name the file and say what to fix. */
export function readConfig(file: string): ConfigNeighbour[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = whyUnreadable(err);
    throw new UsageError(`cannot read config file ${file}: ${why}`);
  }
  return parseConfig(text, `config file ${file}`);
}
