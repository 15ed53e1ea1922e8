/**
 * One measurement of the window benchmark, in a process of its own (a fresh heap, `--expose-gc`);
 * prints one JSON line. Modes:
 *
 *   index compact|map <n,n,...>          filled to each count in turn: memory per id, insert and
 *                                        lookup ns/op, or where inserting failed
 *   bounded                              BoundedMap inserts at capacity and per-neighbour memories
 *   restart <blocks> <txPerBlock>        ChainState.open on a memory store holding that window
 */
import { hash } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  BoundedMap,
  ChainState,
  LruCache,
  MemoryBlockStore,
  RecentIds,
  TxIndex,
  createClassicTransaction,
  createGenesis,
  createTemplate,
  findProof,
  metaOf,
  sealBlock,
  txId,
  type Transaction,
} from '@chain/core';
import { EASY_CLASSIC, easyNetwork } from '@chain/testkit';

const BLOCK = 5000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** JS heap in use plus ArrayBuffers, after full collections. */
function memory(): number {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const now = (): bigint => process.hrtime.bigint();
const since = (t: bigint): number => Number(now() - t);

/** The id of transaction `i`: a real SHA-256 output, a flat string, as txId makes them. */
const idOf = (i: number): string => hash('sha256', `window ${i}`, 'hex');

interface Index {
  add(height: number, ids: readonly string[]): void;
  get(id: string): number | undefined;
}

function makeIndex(kind: string): Index {
  if (kind === 'compact') {
    const index = new TxIndex();
    return { add: (h, ids) => index.connect(h, h, ids), get: (id) => index.heightOf(id) };
  }
  const map = new Map<string, number>();
  return {
    add: (h, ids) => {
      for (const id of ids) map.set(id, h);
    },
    get: (id) => map.get(id),
  };
}

/** Fill to `n` ids from `from`, in blocks; returns insert ns, or the count reached when inserting threw. */
function fill(index: Index, from: number, n: number): { ns: number; failedAt?: number; error?: string } {
  let ns = 0;
  for (let i = from; i < n; i += BLOCK) {
    const ids = Array.from({ length: Math.min(BLOCK, n - i) }, (_, k) => idOf(i + k));
    const t = now();
    try {
      index.add(2 + i / BLOCK, ids);
    } catch (err) {
      return { ns, failedAt: i, error: (err as Error).message };
    }
    ns += since(t);
  }
  return { ns };
}

/**
 * Lookups of freshly made ids, as a peer looks up an id it just computed: the time of making
 * each id and looking it up, less the time of making it alone (best of three rounds each).
 */
function lookups(index: Index, n: number): { hitNs: number; missNs: number } {
  const count = 100_000;
  const pick = (k: number, present: boolean) => (present ? Math.floor((k * 2654435761) % n) : n + 1_000_000 + k);
  const best = (run: () => void) => {
    let ns = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = now();
      run();
      ns = Math.min(ns, since(t) / count);
    }
    return ns;
  };
  const time = (present: boolean) => {
    let sink = 0;
    const alone = best(() => {
      for (let k = 0; k < count; k++) sink += idOf(pick(k, present)).length;
    });
    const looked = best(() => {
      for (let k = 0; k < count; k++) if ((index.get(idOf(pick(k, present))) !== undefined) !== present) throw new Error('lookup wrong');
    });
    if (sink === 0) throw new Error('unreachable');
    return Math.max(0, looked - alone);
  };
  return { hitNs: time(true), missNs: time(false) };
}

/**
 * Fill an index to each of `points` ids in turn; at each, memory per id and the mean insert time
 * so far, and lookups unless it is the last of more than two (the one that only shows the cap).
 */
function indexMode(kind: string, points: readonly number[]): object {
  const base = memory();
  const index = makeIndex(kind);
  const rows: object[] = [];
  let ns = 0;
  let filled = 0;
  for (const [k, n] of points.entries()) {
    const more = fill(index, filled, n);
    ns += more.ns;
    if (more.failedAt !== undefined) {
      rows.push({ n, failedAt: more.failedAt, error: more.error });
      break;
    }
    filled = n;
    const row = { n, bytesPerId: (memory() - base) / n, insertNs: ns / n };
    rows.push(points.length > 2 && k === points.length - 1 ? row : { ...row, ...lookups(index, n) });
  }
  return { kind, rows };
}

/** The eviction BoundedMap had: the oldest through keys().next() from the table's front. */
class FrontEvictingMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key)) while (this.size >= this.capacity) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

function insertNs(map: Map<number, number>, cap: number, n: number): number {
  for (let i = 0; i < 2 * cap; i++) map.set(i, i); // full, and past its first compactions
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = now();
    for (let i = 0; i < n; i++) map.set(3 * cap + r * n + i, i);
    best = Math.min(best, since(t) / n);
  }
  return best;
}

function boundedMode(): object {
  const caps = [16_384, 65_536].map((cap) => ({
    cap,
    ns: insertNs(new BoundedMap(cap), cap, 100_000),
    referenceNs: insertNs(new FrontEvictingMap(cap), cap, cap), // a whole cycle between V8's compactions
  }));
  // What a peer keeps per neighbour: 32 neighbours × 16,384 recent transaction ids.
  const neighbours = 32;
  const per = 16_384;
  const measure = (make: () => { add(id: string): void }) => {
    const base = memory();
    const sets = Array.from({ length: neighbours }, make);
    for (let i = 0; i < per * 2; i++) for (const s of sets) s.add(idOf(i));
    const bytes = memory() - base;
    if (sets.length !== neighbours) throw new Error('unreachable');
    return bytes / (neighbours * per);
  };
  const recent = measure(() => new RecentIds(per));
  const lru = measure(() => {
    const c = new LruCache<string, true>(per);
    return { add: (id: string) => void c.set(id, true) };
  });
  return { caps, neighbours, per, recentBytesPerId: recent, lruBytesPerId: lru };
}

async function restartMode(blocks: number, perBlock: number): Promise<object> {
  const params = easyNetwork(EASY_CLASSIC, { name: 'bench-window', maxTxPerBlock: perBlock });
  const genesis = createGenesis(params);
  const store = new MemoryBlockStore();
  let parent = metaOf(genesis);
  const t0 = Date.now() - blocks * 1000 - 60_000;
  let hashNs = 0;
  const built = now();
  for (let b = 0; b < blocks; b++) {
    const ts = t0 + b * 1000;
    const txs: Transaction[] = Array.from({ length: perBlock }, (_, k) =>
      createClassicTransaction('abcd1234', { content: `w${b}-${k}`, timestamp: ts }),
    );
    const t = now();
    const ids = txs.map((tx) => txId(genesis.currentHash, tx));
    hashNs += since(t);
    const template = createTemplate(parent, txs, ids, ts, 'classic');
    const proof = findProof({ rule: 'seed', templateHash: template.templateHash, previousProof: parent.proof, difficulty: 1 }) as number;
    const block = sealBlock(template, proof);
    await store.put(block);
    parent = metaOf(block);
  }
  const buildMs = since(built) / 1e6;
  const base = memory();
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const t = now();
  const chain = await ChainState.open({ params, store });
  const openMs = since(t) / 1e6;
  await new Promise((r) => setTimeout(r, 200)); // the observer hears of the collections after them
  observer.disconnect();
  const bytes = memory() - base;
  const last = (await chain.blockAt(chain.height))?.transactions[perBlock - 1] as Transaction;
  if (chain.height !== blocks + 1 || chain.txHeight(txId(genesis.currentHash, last)) !== chain.height)
    throw new Error('the window is not indexed');
  if (chain.addTransaction(last, Date.now()).ok) throw new Error('a replayed transaction was accepted');
  return {
    blocks,
    perBlock,
    ids: blocks * perBlock,
    buildMs,
    openMs,
    gcMs,
    hashMs: hashNs / 1e6,
    chainBytesPerId: bytes / (blocks * perBlock),
  };
}

const [mode, a, b] = process.argv.slice(2);
const result =
  mode === 'index'
    ? indexMode(a as string, (b as string).split(',').map(Number))
    : mode === 'bounded'
      ? boundedMode()
      : mode === 'restart'
        ? await restartMode(Number(a), Number(b))
        : null;
if (!result) throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify(result));
