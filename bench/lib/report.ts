/**
 * Writing results into docs/benchmarks.md: a benchmark's own section, its rows of the summary
 * table, and the machine they were measured on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DOC, machine } from './common.js';

const INTRO = [
  '# Benchmarks',
  '',
  'What users feel, measured against references taken in the same run on the same machine. Every',
  'benchmark runs with one command from the repository root, prints its table and rewrites its own',
  'section of this page: `npm run bench -- <name>` with `latency`, `throughput`, `sync`, `heartbeat`,',
  '`footprint`, `miner`, `copies`, `relay`, `sim` or `window` (`all` runs them in turn, `--quick` makes a short smoke run, `--no-write`',
  'leaves this page alone). Benchmarks are not tests: nothing in CI depends on a timing.',
].join('\n');

/** Replace (or append) the section headed `## <heading>`, and refresh the machine line. */
export function updateSection(heading: string, body: string): void {
  let text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  if (!/^What users feel/m.test(text)) text = text.replace(/^# Benchmarks\s*\n/, INTRO + '\n\n');
  text = replaceSection(text, 'Machine', machineSection());
  text = replaceSection(text, heading, `## ${heading}\n\n${body.trim()}\n`);
  writeFileSync(DOC, text);
}

/**
 * Replace the row of `key` (first cell) in the summary table, adding the table or the row as needed.
 * Rows whose first cell starts with `replacing` go first (a benchmark's rows for another height, say).
 * Text between the summary's introduction and its table is kept.
 */
export function updateSummary(rows: readonly string[][], replacing?: string): void {
  let text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const head = ['| benchmark | measured | reference (same run) | ratio | target | met |', '|---|---:|---:|---:|---|---|'];
  const start = text.search(/^## Summary\s*$/m);
  let lines: string[] = [];
  let notes = '';
  if (start >= 0) {
    const rest = text.slice(start);
    const end = rest.slice(1).search(/^## /m);
    const own = end < 0 ? rest : rest.slice(0, end + 1);
    lines = own.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark |'));
    notes = own
      .slice(own.indexOf('\n'), own.search(/^\|/m) < 0 ? undefined : own.search(/^\|/m))
      .replace(SUMMARY_INTRO, '')
      .trim();
  }
  if (replacing !== undefined) lines = lines.filter((l) => !l.startsWith(`| ${replacing}`));
  for (const row of rows) {
    const line = `| ${row.join(' | ')} |`;
    const i = lines.findIndex((l) => l.startsWith(`| ${row[0]} |`));
    if (i >= 0) lines[i] = line;
    else lines.push(line);
  }
  const order = ['Latency', 'Throughput', 'Gossip', 'Relay', 'Sync', 'Heartbeat', 'Footprint', 'Window', 'Miner', 'Simulator'];
  const rank = (l: string) => {
    const i = order.findIndex((o) => l.startsWith(`| ${o}`));
    return i < 0 ? order.length : i;
  };
  lines.sort((a, b) => rank(a) - rank(b));
  const body = [
    '## Summary',
    '',
    SUMMARY_INTRO,
    '',
    ...(notes ? [notes, ''] : []),
    ...head,
    ...lines.filter((l) => !/^\|[-:| ]+\|$/.test(l)),
    '',
  ].join('\n');
  text = replaceSection(text, 'Summary', body, 'Machine');
  writeFileSync(DOC, text);
}

const SUMMARY_INTRO = [
  'One line per figure; each benchmark rewrites its own lines. Details, and for every missed target',
  'why and what would reach it, are in the sections below.',
].join('\n');

function machineSection(): string {
  const m = machine();
  return [
    '## Machine',
    '',
    `Last run ${new Date().toISOString().slice(0, 10)}: ${m.cpu}, ${m.cores} cores${m.shaNi ? ' (SHA-NI)' : ''}, Node ${m.node}, Linux.`,
    'The machine is a 2-core virtual machine shared with other work while measuring (load average at',
    `the start of the last run: ${m.load || 'n/a'}), so every figure carries noise of several percent, more for`,
    'tail latencies; references are measured in the same run so that ratios stay meaningful.',
    '',
  ].join('\n');
}

function replaceSection(text: string, heading: string, section: string, after?: string): string {
  const re = new RegExp(`^## ${heading}\\s*$`, 'm');
  const start = text.search(re);
  const body = section.trimEnd() + '\n';
  if (start < 0) {
    if (after) {
      const a = text.search(new RegExp(`^## ${after}\\s*$`, 'm'));
      if (a >= 0) {
        const rest = text.slice(a + 1);
        const end = rest.search(/^## /m);
        const at = end < 0 ? text.length : a + 1 + end;
        return text.slice(0, at).trimEnd() + '\n\n' + body + (end < 0 ? '' : '\n' + text.slice(at));
      }
    }
    // Machine and Summary go first, other sections at the end.
    if (heading === 'Machine') {
      const first = text.search(/^## /m);
      if (first >= 0) return text.slice(0, first) + body + '\n' + text.slice(first);
    }
    return text.trimEnd() + '\n\n' + body;
  }
  const rest = text.slice(start + 1);
  const end = rest.search(/^## /m);
  return text.slice(0, start) + body + (end < 0 ? '' : '\n' + rest.slice(end));
}

export function table(head: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const a = align ?? head.map((_, i) => (i === 0 ? '---' : '---:')).join('|');
  return [`| ${head.join(' | ')} |`, `|${a}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
