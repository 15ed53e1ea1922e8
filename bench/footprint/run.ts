/**
 * Footprint: resident memory and restart time of a peer with 1,000,000 blocks on disk (`--blocks N`
 * for another height; the targets are those of 100,000 blocks below a million). The peer is
 * started from the built packages (dist, `npm run build` first when a source is newer) in its own
 * process with plain Node, as `chain-peer` runs. Restart time: from spawning the process until it
 * answers a heartbeat; RSS after start, after serving (the last 500 blocks and heartbeats), and the peak.
 *
 *   npm run bench -- footprint [--quick] [--no-write] [--blocks N]
 *
 * The generated chain is cached under the bench's cache dir (a million blocks take minutes to make;
 * that one is kept 12 hours, so its newest blocks may be older than the transaction TTL).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from '@chain/net';
import { BENCH_NETWORK } from '../peer/make-chain.js';
import { argValue, cachedChain, log, logMachine, median, ms, quick, ROOT, runMain, scratch, write } from '../lib/common.js';
import { table, updateSection, updateSummary } from '../lib/report.js';

const blocks = argValue('--blocks') !== undefined ? Number(argValue('--blocks')) - 1 : quick ? 9_999 : 999_999;
const million = blocks + 1 >= 1_000_000;
/** Targets: at a million blocks, restart < 8 s and peak RSS < 300 MiB; below, < 5 s and < 150 MiB. */
const READY_MS = million ? 8000 : 5000;
const RSS_MIB = million ? 300 : 150;
const label = (blocks + 1).toLocaleString('en-US');
const restarts = quick ? 2 : 3;
const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
const PACKAGES = ['core', 'protocol', 'net', 'miner', 'peer'];

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt(): void {
  const stale = PACKAGES.filter((p) => {
    const dist = join(ROOT, 'packages', p, 'dist');
    try {
      return newest(join(ROOT, 'packages', p, 'src')) > newest(dist);
    } catch {
      return true;
    }
  });
  if (stale.length === 0) return;
  log(`Building ${stale.join(', ')} (dist older than src) ...`);
  const r = spawnSync('npx', ['lerna', 'run', 'build', '--loglevel=warn', ...PACKAGES.flatMap((p) => ['--scope', `@chain/${p}`])], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error('npm run build failed');
}

const kib = (pid: number, field: string): number => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

interface Run {
  readyMs: number;
  listenMs: number;
  rssStart: number;
  rssServed: number;
  peak: number;
  heap: number;
}

async function once(dir: string): Promise<Run> {
  const t0 = process.hrtime.bigint();
  const p = spawn(process.execPath, ['--expose-gc', child, dir, JSON.stringify(BENCH_NETWORK)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    let buf = '';
    p.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0] as string);
    });
    p.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  const listenMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const { address, height } = JSON.parse(first) as { address: { host: string; port: number }; height: number };
  const { createGenesis } = await import('@chain/core');
  const genesis = createGenesis(BENCH_NETWORK).currentHash;
  await request(address.host, address.port, 'hb', { genesis, locator: [genesis], listen: null });
  const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await new Promise((r) => setTimeout(r, 300));
  const rssStart = kib(p.pid!, 'VmRSS');
  // Serve like a peer does: the last 500 blocks (a syncing neighbour), then heartbeats.
  await request(address.host, address.port, 'pb', { from: height - 499, limit: 500 });
  for (let i = 0; i < 50; i++) await request(address.host, address.port, 'hb', { genesis, locator: [genesis], listen: null });
  await new Promise((r) => setTimeout(r, 300));
  const rssServed = kib(p.pid!, 'VmRSS');
  const peak = kib(p.pid!, 'VmHWM');
  const heap = await new Promise<number>((r) => {
    p.once('message', (m) => r((m as NodeJS.MemoryUsage).heapUsed));
    p.send('gc');
  });
  p.send('stop');
  await new Promise((r) => p.once('exit', r));
  return { readyMs, listenMs, rssStart, rssServed, peak, heap };
}

async function main(): Promise<void> {
  logMachine();
  ensureBuilt();
  const src = await cachedChain(blocks, million ? 12 * 3_600_000 : undefined);
  const dir = scratch('footprint');
  cpSync(src, join(dir, 'data'), { recursive: true });
  const size = statSync(join(dir, 'data', 'blocks.log')).size;
  // Reference: a Node process that does nothing.
  const empty = spawnSync(process.execPath, ['-e', 'console.log(process.memoryUsage().rss)'], { encoding: 'utf8' });
  const nodeRss = Number(empty.stdout.trim());
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  const nodeStart = Number(process.hrtime.bigint() - t) / 1e6;
  const runs: Run[] = [];
  for (let i = 0; i < restarts; i++) {
    const r = await once(join(dir, 'data'));
    log(
      `  start ${i + 1}: answering after ${ms(r.readyMs)} (listening after ${ms(r.listenMs)}), RSS ${mib(r.rssStart)} → ${mib(r.rssServed)} served, peak ${mib(r.peak)}`,
    );
    runs.push(r);
  }
  rmSync(dir, { recursive: true, force: true });
  const ready = median(runs.map((r) => r.readyMs));
  const rss = Math.max(...runs.map((r) => r.rssServed));
  const peak = Math.max(...runs.map((r) => r.peak));
  const heap = median(runs.map((r) => r.heap));
  const metRss = peak < RSS_MIB * 1048576;
  const metReady = ready < READY_MS;
  const out = table(
    ['figure', 'value', 'reference (same run)', 'target', 'met'],
    [
      [
        'restart: spawn → answers `hb` (median)',
        ms(ready),
        `bare \`node -e 0\`: ${ms(nodeStart)}`,
        `< ${READY_MS / 1000} s`,
        metReady ? 'yes' : 'no',
      ],
      [
        'RSS after start and serving (max)',
        mib(rss),
        `bare Node: ${mib(nodeRss)}`,
        `< ${RSS_MIB} MiB`,
        rss < RSS_MIB * 1048576 ? 'yes' : 'no',
      ],
      ['peak RSS (VmHWM, max)', mib(peak), '', `< ${RSS_MIB} MiB`, metRss ? 'yes' : 'no'],
      ['JS heap in use after GC (median)', mib(heap), '', '', ''],
    ],
    '---|---:|---:|---|---',
  );
  console.log(`\n${(blocks + 1).toLocaleString('en-US')} blocks, blocks.log ${mib(size)}\n${out}`);
  if (!write) return;
  updateSection(
    'Footprint',
    [
      `A peer restarting on a data directory of ${(blocks + 1).toLocaleString('en-US')} blocks (5 signed transactions each, blocks 1 s`,
      `apart, the newest about a minute old; \`blocks.log\` ${mib(size)}), started from the built packages with plain`,
      'Node in its own process (no TypeScript loader in the measured process). Ready means it answered a',
      `heartbeat; ${restarts} restarts. Reproduce with \`npm run bench -- footprint\` (it builds the packages first`,
      'when a source is newer than its build).',
      '',
      out,
      '',
      'Opening reads every record’s binary meta (no JSON parsing, no hashing, no signature checks), rebuilds',
      'the block tree, and re-indexes the transaction ids of the blocks within the transaction TTL (one hour:',
      'about 3,700 blocks here, each read back and its 5 ids hashed). Memory holds a compact meta per block',
      '(rows of typed arrays in the store and the block tree, hashes as bytes, no object per block) and the TTL',
      'window of ids; blocks stay on disk behind a cache of 512.',
      ...(metRss
        ? []
        : [
            '',
            `**Why the memory target is missed.** The JavaScript heap in use after a full GC is ${mib(heap)}; the rest of the`,
            'RSS is what V8 keeps for the heap (young generation semi-spaces, old-generation pages that are free but',
            'not returned), the typed arrays of the block metas (about 100 bytes per block in the store and 80 in the',
            'block tree), code, and Node itself (a bare Node process is in the reference column).',
          ]),
    ].join('\n'),
  );
  updateSummary([
    [
      `Footprint: restart, ${label} blocks`,
      ms(ready),
      `bare Node start ${ms(nodeStart)}`,
      `${(ready / nodeStart).toFixed(0)}×`,
      `< ${READY_MS / 1000} s`,
      metReady ? 'yes' : 'no',
    ],
    [
      `Footprint: peak RSS, ${label} blocks`,
      mib(peak),
      `bare Node ${mib(nodeRss)}`,
      `${(peak / nodeRss).toFixed(1)}×`,
      `< ${RSS_MIB} MiB`,
      metRss ? 'yes' : 'no',
    ],
  ]);
  log('Updated docs/benchmarks.md');
}

runMain(main);
