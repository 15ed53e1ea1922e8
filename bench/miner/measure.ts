/** Throughput measurements for the miner benchmark: attempts (proofs tested) per second. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { createKernel, createWorkerPool, type KernelKind, type PowJob } from '../../packages/miner/src/index.js';

export interface Rate {
  /** Median attempts per second over the runs. */
  rate: number;
  runs: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `batch(n)` (which tests n proofs) repeatedly for about `seconds`, `runs` times. */
function timeLoop(batch: (n: number) => void, seconds: number, runs: number): Rate {
  let n = 1024;
  // Warm-up and calibration: grow the batch until it takes ~50 ms.
  for (let t = 0; t < 0.05; n *= 2) {
    const t0 = performance.now();
    batch(n);
    t = (performance.now() - t0) / 1000;
  }
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    let done = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < seconds) {
      batch(n);
      done += n;
      elapsed = (performance.now() - t0) / 1000;
    }
    rates.push(done / elapsed);
  }
  return { rate: median(rates), runs: rates };
}

/** BigInt d and one hash per attempt, with `firstByte` giving the hash's first byte of a message. */
function measurePerAttempt(firstByte: (message: string) => number, job: PowJob, start: number, seconds: number, runs: number): Rate {
  const prefix = job.rule === 'bound' ? job.templateHash! : '';
  const q2 = BigInt(job.previousProof) ** 2n;
  let p = start;
  let sink = 0;
  const r = timeLoop(
    (n) => {
      for (let i = 0; i < n; i++, p++) {
        const b = BigInt(p);
        sink ^= firstByte(prefix + (b * b - q2).toString());
      }
    },
    seconds,
    runs,
  );
  if (sink === 256) console.log(sink);
  return r;
}

/** The plain approach: BigInt d, one node:crypto hash per attempt. */
export function measureNodeCrypto(job: PowJob, start: number, seconds: number, runs: number): Rate {
  return measurePerAttempt((m) => createHash('sha256').update(m).digest()[0]!, job, start, seconds, runs);
}

/** BigInt d, one @noble/hashes sha256 per attempt. */
export function measureNoble(job: PowJob, start: number, seconds: number, runs: number): Rate {
  return measurePerAttempt((m) => sha256(utf8ToBytes(m))[0]!, job, start, seconds, runs);
}

/** One of the package's kernels on the calling thread (`job` must be too hard to hit). */
export function measureKernel(kind: KernelKind, job: PowJob, start: number, seconds: number, runs: number): Rate {
  const kernel = createKernel(kind);
  kernel.setJob(job);
  let p = start;
  return timeLoop(
    (n) => {
      if (kernel.scan(p, n) >= 0) throw new Error('benchmark job unexpectedly solved');
      p += n;
    },
    seconds,
    runs,
  );
}

/** A worker pool searching a range with no solution: attempts / wall time per run. */
export async function measurePool(
  workers: number,
  kind: KernelKind,
  job: PowJob,
  start: number,
  seconds: number,
  runs: number,
  guess: number,
): Promise<Rate> {
  const pool = createWorkerPool({ workers, kernel: kind, hashrateIntervalMs: 0 });
  try {
    await pool.ready();
    await pool.search({ ...job, start, limit: Math.round(guess * 0.3) }).promise; // warm-up, tier-up
    const rates: number[] = [];
    let from = start + Math.round(guess * 0.3);
    for (let r = 0; r < runs; r++) {
      const limit = Math.round(guess * seconds);
      const t0 = performance.now();
      const found = await pool.search({ ...job, start: from, limit }).promise;
      const elapsed = (performance.now() - t0) / 1000;
      if (found) throw new Error('benchmark job unexpectedly solved');
      rates.push(limit / elapsed);
      from += limit;
    }
    return { rate: median(rates), runs: rates };
  } finally {
    await pool.close();
  }
}

export interface OpensslSpeed {
  /** 80-byte SHA-256 hashes per second on one core. */
  rate: number;
  version: string;
}

/** `openssl speed -seconds N -bytes 80 sha256`, parsed. Undefined when openssl is missing. */
export function measureOpenssl(seconds: number): OpensslSpeed | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', String(seconds), '-bytes', '80', 'sha256'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = out.split('\n').find((l) => /^sha256\s/.test(l));
    const m = line && /([\d.]+)k\s*$/.exec(line.trim());
    if (!m) return undefined;
    const version = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
    return { rate: (Number(m[1]) * 1000) / 80, version };
  } catch {
    return undefined;
  }
}
