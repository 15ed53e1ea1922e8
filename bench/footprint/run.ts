/**
 * Footprint: resident memory and restart time of a peer with 100,000 and with 1,000,000 blocks on
 * disk (`--blocks N` for one other height; `--quick`: 10,000). The peer is started from the built
 * packages (dist, `npm run build` first when a source is newer) in its own process with plain
 * Node, as `chain-peer` runs. Restart time: from spawning the process until it answers a
 * heartbeat; RSS after start, after serving (the last 500 blocks and heartbeats), and the peak.
 * One more restart at the largest height runs with `--cpu-prof`: its main thread's self time by
 * function says where the restart goes.
 *
 *   npm run bench -- footprint [--quick] [--no-write] [--blocks N]
 *
 * The generated chains are cached under the bench's cache dir (a million blocks take minutes to
 * make) and kept: the transaction-index window a peer rebuilds at start follows the chain's tip,
 * not the clock, so an old chain costs the same to open as a new one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from '@chain/net';
import { BENCH_NETWORK } from '../peer/make-chain.js';
import {
  argValue,
  cachedChain,
  log,
  logMachine,
  machine,
  median,
  ms,
  procStatusBytes,
  quick,
  ROOT,
  runMain,
  scratch,
  write,
} from '../lib/common.js';
import { profileSummary, type ProfileEntry } from '../lib/profile.js';
import { table, updateSection, updateSummary } from '../lib/report.js';

function heightsToRun(): number[] {
  const flag = argValue('--blocks');
  if (flag === undefined) return quick ? [10_000] : [100_000, 1_000_000];
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 1000) throw new Error(`--blocks wants a whole number of blocks of at least 1000, not "${flag}"`);
  return [n];
}
const heights = heightsToRun();
/** Targets: at a million blocks and more, restart < 8 s and peak RSS < 300 MiB; below, < 5 s and < 150 MiB. */
const targets = (blocks: number) => (blocks >= 1_000_000 ? { readyMs: 8000, rssMiB: 300 } : { readyMs: 5000, rssMiB: 150 });
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

const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
const count = (n: number): string => n.toLocaleString('en-US');

interface Run {
  readyMs: number;
  listenMs: number;
  rssStart: number;
  rssServed: number;
  peak: number;
  heap: number;
}

/** Spawn the peer on `dir`; resolves with the process and its first line (address and height) once it listens. */
async function startPeer(dir: string, nodeArgs: string[] = []) {
  const p = spawn(process.execPath, [...nodeArgs, '--expose-gc', child, dir, JSON.stringify(BENCH_NETWORK)], {
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
  const { address, height } = JSON.parse(first) as { address: { host: string; port: number }; height: number };
  return { p, address, height };
}

async function stopPeer(p: ReturnType<typeof spawn>): Promise<void> {
  const exited = new Promise((r) => p.once('exit', r));
  p.send('stop');
  await exited;
}

async function once(dir: string): Promise<Run> {
  const t0 = process.hrtime.bigint();
  const { p, address, height } = await startPeer(dir);
  const listenMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const { createGenesis } = await import('@chain/core');
  const genesis = createGenesis(BENCH_NETWORK).currentHash;
  await request(address.host, address.port, 'hb', { genesis, locator: [genesis], listen: null });
  const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await new Promise((r) => setTimeout(r, 300));
  const rssStart = procStatusBytes(p.pid!, 'VmRSS');
  // Serve like a peer does: the last 500 blocks (a syncing neighbour), then heartbeats.
  await request(address.host, address.port, 'pb', { from: height - 499, limit: 500 });
  for (let i = 0; i < 50; i++) await request(address.host, address.port, 'hb', { genesis, locator: [genesis], listen: null });
  await new Promise((r) => setTimeout(r, 300));
  const rssServed = procStatusBytes(p.pid!, 'VmRSS');
  const peak = procStatusBytes(p.pid!, 'VmHWM');
  const heap = await new Promise<number>((r) => {
    p.once('message', (m) => r((m as NodeJS.MemoryUsage).heapUsed));
    p.send('gc');
  });
  await stopPeer(p);
  return { readyMs, listenMs, rssStart, rssServed, peak, heap };
}

/** One more restart under `--cpu-prof`, stopped as soon as it listens: its profile's summary. */
async function profiled(dir: string, scratchDir: string): Promise<ReturnType<typeof profileSummary>> {
  const out = join(scratchDir, 'prof');
  const { p } = await startPeer(dir, ['--cpu-prof', `--cpu-prof-dir=${out}`]);
  await stopPeer(p);
  const file = readdirSync(out).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile written in ${out}`);
  return profileSummary(join(out, file));
}

interface Height {
  blocks: number;
  logBytes: number;
  ready: number;
  listen: number;
  rss: number;
  peak: number;
  heap: number;
  profile: ReturnType<typeof profileSummary> | null;
}

async function measure(blocks: number, profile: boolean): Promise<Height> {
  log(`${count(blocks)} blocks:`);
  const src = await cachedChain(blocks - 1, Infinity);
  const dir = scratch('footprint');
  try {
    cpSync(src, join(dir, 'data'), { recursive: true });
    const logBytes = statSync(join(dir, 'data', 'blocks.log')).size;
    const runs: Run[] = [];
    for (let i = 0; i < restarts; i++) {
      const r = await once(join(dir, 'data'));
      log(
        `  start ${i + 1}: answering after ${ms(r.readyMs)} (listening after ${ms(r.listenMs)}), RSS ${mib(r.rssStart)} → ${mib(r.rssServed)} served, peak ${mib(r.peak)}`,
      );
      runs.push(r);
    }
    return {
      blocks,
      logBytes,
      ready: median(runs.map((r) => r.readyMs)),
      listen: median(runs.map((r) => r.listenMs)),
      rss: Math.max(...runs.map((r) => r.rssServed)),
      peak: Math.max(...runs.map((r) => r.peak)),
      heap: median(runs.map((r) => r.heap)),
      profile: profile ? await profiled(join(dir, 'data'), dir) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the functions that show up in a restart's profile do: name, part of the place, what. */
const DOING: readonly (readonly [string, string, string])[] = [
  ['crc32', 'node:zlib', 'CRC-32 of every record (zlib)'],
  ['(anonymous)', 'storage/block-log.ts', 'the block log’s visit of a record: its binary meta into a row'],
  ['#append', 'chain/meta-list.ts', 'a meta row appended'],
  ['find', 'chain/hash-slots.ts', 'hash-index look-ups (is the record a duplicate?)'],
  ['rowOfBytes', 'chain/meta-list.ts', 'hash-index look-ups (is the record a duplicate?)'],
  ['#place', 'chain/hash-slots.ts', 'hash-index insertions'],
  ['#rehash', 'chain/hash-slots.ts', 'the hash index growing'],
  ['open', 'storage/record-file.ts', 'the record loop: lengths and checksums compared'],
  ['read', '(native)', 'starting a file read (when the other core is busy, the thread copying the next chunk runs here)'],
  ['subarray', 'buffer', 'a view of each record'],
  ['FastBuffer', 'buffer', 'a view of each record'],
  ['readDoubleBackwards', 'buffer', 'the meta’s numbers read'],
  ['#setBestPath', 'chain/block-tree.ts', 'the best chain walked down from the tip'],
  ['#restoreShared', 'chain/block-tree.ts', 'the tree taking the store’s rows'],
  ['connect', 'chain/tx-index.ts', 'transaction ids indexed'],
  ['(garbage collector)', '', 'garbage collection'],
  ['(idle)', '', 'waiting: reads, the thread pool, loading'],
  ['(program)', '', 'V8 itself'],
];

function profileTable(s: ReturnType<typeof profileSummary>): string {
  const busy = s.totalMs - s.idleMs;
  const rows = s.functions
    .slice(0, 10)
    .map((f: ProfileEntry) => [
      `\`${f.name}\``,
      f.where === '(native)' ? '' : `\`${f.where}\``,
      DOING.find(([name, place]) => name === f.name && f.where.includes(place))?.[2] ?? '',
      ms(f.ms),
      f.name === '(idle)' ? '' : `${((100 * f.ms) / busy).toFixed(1)} %`,
    ]);
  return table(['function', 'where', 'doing', 'self time', 'share of busy time'], rows, '---|---|---|---:|---:');
}

/** `, about N GiB/s here` from the profile's CRC-32 time over the log's size, or nothing. */
function crcRate(s: ReturnType<typeof profileSummary>, logBytes: number): string {
  const crc = s.functions.find((f) => f.name === 'crc32' && f.where.startsWith('node:zlib'));
  return crc && crc.ms > 0 ? `, about ${(logBytes / 2 ** 30 / (crc.ms / 1000)).toFixed(1)} GiB/s here` : '';
}

async function main(): Promise<void> {
  logMachine();
  const load = machine().load;
  ensureBuilt();
  // Reference: a Node process that does nothing.
  const empty = spawnSync(process.execPath, ['-e', 'console.log(process.memoryUsage().rss)'], { encoding: 'utf8' });
  const nodeRss = Number(empty.stdout.trim());
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  const nodeStart = Number(process.hrtime.bigint() - t) / 1e6;
  const results: Height[] = [];
  for (const blocks of heights) results.push(await measure(blocks, blocks === Math.max(...heights)));
  const met = (h: Height) => {
    const g = targets(h.blocks);
    return { ready: h.ready < g.readyMs, rss: h.peak < g.rssMiB * 1048576 && h.rss < g.rssMiB * 1048576 };
  };
  const out = table(
    [
      'blocks',
      '`blocks.log`',
      'restart: spawn → answers `hb` (median)',
      'listening (median)',
      'RSS after start and serving (max)',
      'peak RSS (VmHWM, max)',
      'JS heap after GC (median)',
      'targets',
      'met',
    ],
    results.map((h) => {
      const g = targets(h.blocks);
      const m = met(h);
      return [
        count(h.blocks),
        mib(h.logBytes),
        ms(h.ready),
        ms(h.listen),
        mib(h.rss),
        mib(h.peak),
        mib(h.heap),
        `< ${g.readyMs / 1000} s, < ${g.rssMiB} MiB`,
        m.ready && m.rss ? 'yes' : `restart ${m.ready ? 'yes' : 'no'}, memory ${m.rss ? 'yes' : 'no'}`,
      ];
    }),
    '---:|---:|---:|---:|---:|---:|---:|---|---',
  );
  const top = results.find((h) => h.profile) as Height;
  const prof = top.profile as ReturnType<typeof profileSummary>;
  console.log(`\n${out}\n\nreferences: bare \`node -e 0\` ${ms(nodeStart)}, bare Node RSS ${mib(nodeRss)}\n`);
  console.log(profileTable(prof));
  if (!write) return;
  const missed = results.filter((h) => !met(h).rss);
  updateSection(
    'Footprint',
    [
      'A peer restarting on a data directory of generated blocks (5 signed transactions each, blocks 1 s',
      'apart), started from the built packages with plain Node in its own process (no TypeScript loader in',
      `the measured process). Ready means it answered a heartbeat; ${restarts} restarts per height, load average`,
      `${load || 'n/a'} at the start (the machine is shared: another process may hold the other core). Reproduce with`,
      '`npm run bench -- footprint` (it builds the packages first when a source is newer than its build;',
      '`--blocks N` for one other height).',
      '',
      out,
      '',
      `References in the same run: a bare \`node -e 0\` starts in ${ms(nodeStart)}; a bare Node process holds ${mib(nodeRss)} of RSS.`,
      '',
      'Opening reads the whole block log in 4 MiB chunks, the next chunk read while the current one is',
      'worked through, checks every record’s CRC-32 and reads its binary meta (no JSON parsing, no hashing,',
      'no signature checks); the store reserves its rows once from the log’s size. The block tree then',
      'uses the store’s rows in place (a flag and a best-chain entry per block of its own), and the',
      'transaction ids of the blocks within the transaction TTL of the tip are indexed again (one hour:',
      'about 3,700 blocks here, read back 64 at a time and their 5 ids hashed). Memory holds a compact meta',
      'per block (typed arrays: the hash as 32 bytes, the parent as a row, height, time, proof, transaction',
      'count, and the record’s offset; with the hash index and the tree’s own entries about 90 bytes per',
      'block) and the TTL window of ids; blocks stay on disk behind a read cache of 4 MiB of block JSON.',
      '',
      `CPU profile of one more restart at ${count(top.blocks)} blocks (\`--cpu-prof\`, stopped once listening; main`,
      `thread, ${ms(prof.totalMs)} profiled of which ${ms(prof.idleMs)} idle; self time, positions mapped to the sources;`,
      'on the shared machine a function’s share varies by a few points from one profile to the next):',
      '',
      profileTable(prof),
      '',
      'Most of a restart is one pass over the log: the CRC-32 of every record (Node’s `zlib.crc32`, the',
      `checksum of the whole log verified at each start${crcRate(prof, top.logBytes)}), one hash-index look-up per record`,
      'for a duplicate (mostly a cache miss into the index) and the row appended. Rebuilding the block tree',
      'on the store’s rows and indexing the TTL window take a small part; so do the reads, which the thread',
      'pool does while the main thread works, when a core is free for it.',
      ...(missed.length === 0
        ? []
        : [
            '',
            `**Why the memory target is missed** (${missed.map((h) => count(h.blocks)).join(', ')} blocks). The JavaScript heap`,
            'in use after a full GC is in the table; the rest of the RSS is what V8 keeps for the heap (young',
            'generation semi-spaces, old-generation pages that are free but not returned), the typed arrays of',
            'the block metas (about 80 bytes per block), code, and Node itself (a bare Node process is in the',
            'references).',
          ]),
    ].join('\n'),
  );
  updateSummary(
    results.flatMap((h) => {
      const g = targets(h.blocks);
      const m = met(h);
      return [
        [
          `Footprint: restart, ${count(h.blocks)} blocks`,
          ms(h.ready),
          `bare Node start ${ms(nodeStart)}`,
          `${(h.ready / nodeStart).toFixed(0)}×`,
          `< ${g.readyMs / 1000} s`,
          m.ready ? 'yes' : 'no',
        ],
        [
          `Footprint: peak RSS, ${count(h.blocks)} blocks`,
          mib(h.peak),
          `bare Node ${mib(nodeRss)}`,
          `${(h.peak / nodeRss).toFixed(1)}×`,
          `< ${g.rssMiB} MiB`,
          m.rss ? 'yes' : 'no',
        ],
      ];
    }),
  );
  log('Updated docs/benchmarks.md');
}

runMain(main);
