/**
 * Shared pieces of the benchmarks: the machine, references measured in the same run (loopback
 * round trip, one fdatasync, Ed25519 verifications on one core), percentiles, scratch directories,
 * cached generated chains, and the sections of docs/benchmarks.md.
 */
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, openSync, closeSync, fdatasyncSync, writeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpDir } from '@chain/testkit';
import { machine as minerMachine } from '../miner/report.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DOC = join(ROOT, 'docs', 'benchmarks.md');
export const quick = process.argv.includes('--quick');
export const write = !process.argv.includes('--no-write');

export const log = (s: string): void => void process.stderr.write(s + '\n');

/** Run a benchmark's `main` and exit with 0, or with 1 after printing what failed. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

export function machine(): { cpu: string; cores: number; node: string; shaNi: boolean; load: string } {
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    /* not Linux */
  }
  return { ...minerMachine(), load };
}

/** Print the machine line every benchmark starts with. */
export function logMachine(): void {
  const m = machine();
  log(`Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load}`);
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---- statistics ----

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i] as number;
}

export const median = (v: readonly number[]): number => percentile(v, 50);

export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x < 1) return `${(x * 1000).toFixed(0)} µs`;
  if (x < 100) return `${x.toFixed(2)} ms`;
  if (x < 10_000) return `${x.toFixed(0)} ms`;
  return `${(x / 1000).toFixed(1)} s`;
}

export function count(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(0);
}

export const ratio = (x: number): string => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(0)}×` : 'n/a');

// ---- references ----

/** Round trip of a small message over a loopback TCP connection with Nagle off (ms, samples). */
export async function loopbackRtt(samples = 500): Promise<number[]> {
  const server = createServer({ noDelay: true }, (s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const sock: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const out: number[] = [];
  const msg = Buffer.alloc(64, 1);
  for (let i = 0; i < samples + 20; i++) {
    const t = process.hrtime.bigint();
    await new Promise<void>((r) => {
      sock.once('data', () => r());
      sock.write(msg);
    });
    if (i >= 20) out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  sock.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return out;
}

/** A `kB` field of `/proc/<pid>/status` (`VmRSS`, `VmHWM`, ...) in bytes, NaN when the file lacks it; throws where there is no such file. */
export function procStatusBytes(pid: number | 'self', field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** One append of a few hundred bytes and its fdatasync, on the file system of the data directories (ms, samples). */
export function fsyncLatency(samples = 200): number[] {
  const dir = scratch('fsync');
  const fd = openSync(join(dir, 'probe'), 'a');
  const buf = Buffer.alloc(300, 7);
  const out: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const t = process.hrtime.bigint();
    writeSync(fd, buf);
    fdatasyncSync(fd);
    if (i >= 5) out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Measure and print the reference of the benchmarks bound by signatures: {@link ed25519VerifyRate} over 1.5 s. */
export function ed25519Reference(): number {
  log('Reference: native Ed25519 verifications per second on one core ...');
  const rate = ed25519VerifyRate(1.5);
  log(`  ${count(rate)}/s`);
  return rate;
}

/** Native (OpenSSL through node:crypto) Ed25519 verifications per second on one core. */
export function ed25519VerifyRate(seconds = 1): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const msgs = Array.from({ length: 64 }, (_, i) => createHash('sha256').update(`m${i}`).digest());
  const sigs = msgs.map((m) => sign(null, m, privateKey));
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    const end = t0 + BigInt(Math.round((seconds / 3) * 1e9));
    let now = t0;
    while (now < end) {
      for (let i = 0; i < 64; i++) if (!verify(null, msgs[i] as Buffer, publicKey, sigs[i] as Buffer)) throw new Error('verify failed');
      n += 64;
      now = process.hrtime.bigint();
    }
    runs.push(n / (Number(now - t0) / 1e9));
  }
  return Math.max(...runs);
}

// ---- scratch and cached chains ----

export const BENCH_TMP = join(tmpdir(), 'chain-bench');

export function scratch(prefix: string): string {
  return tmpDir(`${prefix}-`, BENCH_TMP);
}

/**
 * A data directory holding a valid chain of `blocks` blocks (5 signed transactions each, blocks
 * 1 s apart, ending about a minute before it was made), generated once and reused while younger
 * than `maxAgeMs` (`Infinity`: kept). A chain stays valid for ever, and the transaction-index
 * window a peer rebuilds when it opens one follows the chain's tip, not the clock. Copy it before
 * letting a peer write to it.
 */
export async function cachedChain(blocks: number, maxAgeMs = 20 * 60_000): Promise<string> {
  const dir = join(BENCH_TMP, `chain-${blocks}`);
  const stamp = join(dir, 'made-at');
  if (existsSync(stamp) && Date.now() - Number(readFileSync(stamp, 'utf8')) < maxAgeMs) return dir;
  rmSync(dir, { recursive: true, force: true });
  const { makeChain } = await import('../peer/make-chain.js');
  const t = Date.now();
  log(`  generating a chain of ${blocks.toLocaleString('en-US')} blocks in ${dir} ...`);
  makeChain(dir, blocks);
  writeFileSync(stamp, String(Date.now()));
  log(`  ... done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return dir;
}

// ---- docs/benchmarks.md ----
