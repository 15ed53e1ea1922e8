/** Machine description, the results table, and the Miner section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  shaNi: boolean;
}

export function machine(): Machine {
  let cpu = 'unknown CPU';
  let shaNi = false;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
    shaNi = /^flags\s*:.*\bsha_ni\b/m.test(info);
  } catch {
    /* not Linux */
  }
  return { cpu, cores: availableParallelism(), node: process.version, shaNi };
}

export interface Row {
  name: string;
  rate: number;
  /** Threads the rate is spread over (for the per-worker ratio). */
  threads: number;
  note?: string;
}

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);
const ratio = (n: number): string => `${n.toFixed(2)}×`;

/** Markdown table: attempts/s, ratio to OpenSSL, per-thread ratio to OpenSSL. */
export function table(rows: Row[], openssl: number | undefined): string {
  const lines = ['| kernel | attempts/s | × OpenSSL | per thread × OpenSSL |', '|---|---:|---:|---:|'];
  if (openssl) lines.push(`| OpenSSL \`speed -bytes 80 sha256\`, 1 core (reference) | ${fmt(openssl)} | 1.00× | 1.00× |`);
  for (const r of rows) {
    const x = openssl ? ratio(r.rate / openssl) : 'n/a';
    const per = openssl ? ratio(r.rate / r.threads / openssl) : 'n/a';
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.rate)} | ${x} | ${per} |`);
  }
  return lines.join('\n');
}

/** Replaces (or appends) the `## Miner` section of the benchmarks document. */
export function updateDoc(path: string, section: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const body = section.trimEnd() + '\n';
  const start = text.search(/^## Miner\s*$/m);
  let next: string;
  if (start < 0) {
    next = text.trimEnd() + '\n\n' + body;
  } else {
    const rest = text.slice(start + 1);
    const end = rest.search(/^## /m);
    next = text.slice(0, start) + body + (end < 0 ? '' : '\n' + rest.slice(end));
  }
  writeFileSync(path, next);
}
