/**
 * Summaries of a V8 CPU profile (`node --cpu-prof`): self time by function and by file, the
 * longest first. Positions in the packages' builds are mapped back to their sources (`.map`). From the command line: `npx tsx bench/lib/profile.ts FILE.cpuprofile [N]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  /** Function name, or `(idle)`, `(garbage collector)`, `(program)`. */
  readonly name: string;
  /** Where: a source file and line (`packages/core/src/chain/meta-list.ts:170`), a Node module or `(native)`. */
  readonly where: string;
  readonly ms: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers (ms), idle included. */
  readonly totalMs: number;
  readonly idleMs: number;
  /** Self time by function, longest first. */
  readonly functions: readonly ProfileEntry[];
  /** Self time by file, longest first. */
  readonly files: readonly { readonly where: string; readonly ms: number }[];
}

/** Read and summarise the profile in `file`. */
export function profileSummary(file: string): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(prof.nodes) || !Array.isArray(prof.samples) || !Array.isArray(prof.timeDeltas)) {
    throw new Error(`${file} is not a V8 CPU profile (nodes, samples, timeDeltas)`);
  }
  const self = new Map<number, number>();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, ProfileEntry>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  const where = sourcePositions();
  for (const node of prof.nodes) {
    const ms = self.get(node.id) ?? 0;
    totalMs += ms;
    const cf = node.callFrame;
    const at = where(cf.url, cf.lineNumber, cf.columnNumber);
    const name = cf.functionName || '(anonymous)';
    const key = `${name}  ${at.file}:${at.line}`;
    byFn.set(key, { name, where: at.line > 0 ? `${at.file}:${at.line}` : at.file, ms: (byFn.get(key)?.ms ?? 0) + ms });
    byFile.set(at.file, (byFile.get(at.file) ?? 0) + ms);
  }
  const functions = [...byFn.values()].sort((a, b) => b.ms - a.ms);
  const files = [...byFile].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms);
  return { totalMs, idleMs: functions.find((f) => f.name === '(idle)')?.ms ?? 0, functions, files };
}

/** A function from a profile position (0-based line and column) to a file relative to the repository and a 1-based line. */
function sourcePositions(): (url: string, line: number, column: number) => { file: string; line: number } {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (path: string): SourceMap | null => {
    if (!maps.has(path)) {
      let map: SourceMap | null = null;
      try {
        if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      } catch {
        map = null; // an unreadable map: positions stay in the build
      }
      maps.set(path, map);
    }
    return maps.get(path) as SourceMap | null;
  };
  return (url, line, column) => {
    if (!url) return { file: '(native)', line: 0 };
    if (!url.startsWith('file://')) return { file: url, line: line + 1 };
    const path = fileURLToPath(url);
    const entry = mapOf(path)?.findEntry(line, column);
    if (entry && 'originalSource' in entry && entry.originalSource) {
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : resolve(dirname(path), entry.originalSource);
      return { file: relative(root, source), line: entry.originalLine + 1 };
    }
    return { file: relative(root, path), line: line + 1 };
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, n = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: npx tsx bench/lib/profile.ts FILE.cpuprofile [N]');
  const s = profileSummary(file);
  const line = (ms: number, what: string) =>
    `${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / s.totalMs).toFixed(1).padStart(5)} %  ${what}`;
  console.log(`total ${s.totalMs.toFixed(0)} ms`);
  for (const f of s.functions.slice(0, Number(n))) console.log(line(f.ms, `${f.name}  ${f.where}`));
  console.log('--- by file');
  for (const f of s.files.slice(0, Number(n))) console.log(line(f.ms, f.where));
}
