#!/usr/bin/env node
/**
 * Benchmark runner: `npm run bench -- <name> [flags]` runs bench/<name>/run.ts through tsx with the
 * `@chain/source` export condition (packages straight from source, no build needed), `all` runs
 * every benchmark in turn, and no argument lists them. Flags after the name go to the benchmark
 * (`--quick` for a short smoke run, `--no-write` to leave docs/benchmarks.md alone).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const NAMES = {
  latency: 'transaction at one peer until a block holding it is on all three (p50/p99), protocol 1.1 against 1.2',
  throughput: 'confirmed signed transactions per second across three peers, clients in another process',
  sync: 'a fresh peer catching up with 10,000 blocks of 5 signed transactions',
  heartbeat: 'bytes and CPU time of a steady-state heartbeat at heights 10, 10,000, 100,000 and 1,000,000',
  footprint: 'RSS and restart time of a peer with 100,000 and 1,000,000 blocks on disk (built packages)',
  miner: 'proof-of-work attempts per second per worker and with all workers, against OpenSSL',
  copies: 'copies of each transaction a peer receives, with and without the relay memory (a count)',
  relay: 'protocol 1.1 against 1.2: bytes, frames and copies per transaction, bytes per block, simulator messages',
  sim: 'simulator scale: 1,000 peers with blocks of 10 transactions, and 10,000 peers running',
  window: 'memory per windowed transaction id at 1 M and 10 M ids, and a restart with 10 M, against a Map',
};

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  console.log('usage: npm run bench -- <name|all> [--quick] [--no-write]\n');
  for (const [n, what] of Object.entries(NAMES)) console.log(`  ${n.padEnd(11)} ${what}`);
  process.exit(0);
}
const names = name === 'all' ? Object.keys(NAMES) : [name];
for (const n of names) {
  if (!(n in NAMES)) {
    console.error(`unknown benchmark "${n}"; choose one of: ${Object.keys(NAMES).join(', ')}, all`);
    process.exit(2);
  }
}
const require = createRequire(import.meta.url);
const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
if (!existsSync(tsx)) {
  console.error('tsx is not installed: run npm install at the repository root');
  process.exit(2);
}
for (const n of names) {
  if (names.length > 1) console.log(`\n=== ${n} ===`);
  const r = spawnSync(process.execPath, [tsx, '--conditions=@chain/source', join(here, n, 'run.ts'), ...rest], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
