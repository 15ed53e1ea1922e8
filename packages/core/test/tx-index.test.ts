import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TxIndex } from '../src/chain/tx-index';
import { IdDeque } from '../src/chain/id-deque';

/** The index as it was: a Map from hex id to height and the blocks by height. The reference. */
class MapTxIndex {
  readonly #heightOf = new Map<string, number>();
  readonly #blocks = new Map<number, { readonly timestamp: number; readonly ids: readonly string[] }>();
  #lowest = Infinity;
  horizon = -Infinity;

  heightOf(id: string): number | undefined {
    return this.#heightOf.get(id);
  }

  get size(): number {
    return this.#heightOf.size;
  }

  connect(height: number, timestamp: number, ids: readonly string[]): void {
    if (timestamp <= this.horizon) return;
    this.#blocks.set(height, { timestamp, ids });
    for (const id of ids) this.#heightOf.set(id, height);
    if (height < this.#lowest) this.#lowest = height;
  }

  disconnect(height: number): void {
    const entry = this.#blocks.get(height);
    if (!entry) return;
    this.#blocks.delete(height);
    for (const id of entry.ids) if (this.#heightOf.get(id) === height) this.#heightOf.delete(id);
  }

  prune(horizon: number): void {
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    while (this.#blocks.size > 0) {
      const entry = this.#blocks.get(this.#lowest);
      if (entry === undefined) {
        this.#lowest++;
        continue;
      }
      if (entry.timestamp > horizon) break;
      this.disconnect(this.#lowest);
      this.#lowest++;
    }
    if (this.#blocks.size === 0) this.#lowest = Infinity;
  }
}

/** A well-spread 64-hex id from a number (a splitmix of it). */
function idOf(n: number): string {
  let s = '';
  let x = n * 0x9e3779b1;
  for (let i = 0; i < 8; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3ae3) + i;
    x ^= x >>> 13;
    s += (x >>> 0).toString(16).padStart(8, '0');
  }
  return s;
}

type IdPick =
  | { kind: 'fresh'; n: number }
  | { kind: 'again'; pick: number } // an id seen before: indexed, disconnected or pruned
  | { kind: 'collide'; pick: number; n: number }; // the same first 8 bytes (the hashed ones) as a seen id

type Op =
  { kind: 'connect'; gap: number; dt: number; ids: IdPick[] } | { kind: 'disconnect'; above: boolean } | { kind: 'prune'; back: number };

const idPick: fc.Arbitrary<IdPick> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('fresh' as const), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('again' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('collide' as const), pick: fc.nat(), n: fc.nat() }) },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('connect' as const),
      gap: fc.nat(2),
      dt: fc.nat(3),
      ids: fc.array(idPick, { maxLength: 14 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), above: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('prune' as const), back: fc.nat(12) }) },
);

/** Positions to start from: 0, and just below the slots' wrap (2^31) and ToInt32's (2^32), and far beyond. */
const START = fc.constantFrom(0, 2 ** 31 - 40, 2 ** 32 - 40, 2 ** 52 + 7);

describe('transaction index (compact)', () => {
  it('answers like a Map of hex ids: connect, disconnect the top, prune, every kind of id', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150, size: 'max' }), START, fc.constantFrom(4, 8, 1024), (ops, start, minSlots) => {
        const index = new TxIndex({ start, minSlots });
        const ref = new MapTxIndex();
        const seen: string[] = [];
        const stack: number[] = []; // heights connected and not disconnected, as the reference holds them
        let height = 1;
        let time = 1000;
        const check = () => {
          assert.equal(index.size, ref.size);
          assert.equal(index.horizon, ref.horizon);
          for (const id of seen) assert.equal(index.heightOf(id), ref.heightOf(id), id);
          for (const bad of ['', 'AB'.repeat(32), 'zz'.repeat(32), 'ab'.repeat(31), idOf(-1)]) assert.equal(index.heightOf(bad), undefined);
        };
        for (const o of ops) {
          if (o.kind === 'connect') {
            height += 1 + o.gap;
            time += o.dt;
            const ids = o.ids.map((p) => {
              if (p.kind === 'fresh' || seen.length === 0) return idOf(p.kind === 'fresh' ? p.n : 0);
              const old = seen[p.pick % seen.length] as string;
              return p.kind === 'again' ? old : old.slice(0, 16) + idOf(p.n).slice(16);
            });
            seen.push(...ids);
            index.connect(height, time, ids);
            ref.connect(height, time, ids);
            if (time > ref.horizon) stack.push(height);
          } else if (o.kind === 'disconnect') {
            // The top block (what a reorg does), or a height above it (nothing there).
            const h = o.above ? height + 1 : (stack.pop() ?? height);
            index.disconnect(h);
            ref.disconnect(h);
            if (!o.above) height = stack.length > 0 ? (stack[stack.length - 1] as number) : height;
          } else {
            const horizon = time - o.back;
            index.prune(horizon);
            ref.prune(horizon);
          }
          check();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to connect at or below the top block, and to disconnect below it', () => {
    const index = new TxIndex();
    index.connect(5, 100, [idOf(1)]);
    assert.throws(() => index.connect(5, 100, [idOf(2)]), RangeError);
    assert.throws(() => index.connect(4, 100, [idOf(2)]), RangeError);
    index.connect(6, 101, [idOf(3)]);
    assert.throws(() => index.disconnect(5), RangeError);
    index.disconnect(7);
    index.disconnect(4);
    assert.equal(index.size, 2);
    assert.throws(() => index.connect(7, 102, ['not hex']), TypeError);
  });

  it('grows its slots as the window fills and shrinks them, and frees its chunks, as it empties', () => {
    const index = new TxIndex({ minSlots: 1024 });
    const empty = index.allocatedBytes;
    const ids = (b: number) => Array.from({ length: 1000 }, (_, i) => idOf(b * 1000 + i));
    for (let b = 0; b < 100; b++) index.connect(b + 2, 1000 + b, ids(b));
    assert.equal(index.size, 100_000);
    const full = index.allocatedBytes;
    // 100,000 ids: 25 chunks of 4,096 ids (3.2 MB) and 2^18 slots (1 MiB) at most.
    assert.ok(full <= 25 * 4096 * 32 + 4 * 2 ** 18, `${full} bytes`);
    assert.ok(full >= 100_000 * (32 + 4 / 0.75), `${full} bytes`);
    for (let b = 0; b < 100; b += 7) assert.equal(index.heightOf(idOf(b * 1000 + 999)), b + 2);
    index.prune(1000 + 98);
    assert.equal(index.size, 1000);
    assert.equal(index.heightOf(idOf(99_500)), 101);
    assert.equal(index.heightOf(idOf(98_500)), undefined);
    assert.ok(index.allocatedBytes < empty + 4 * 4096 * 32 + 4 * 8192, `${index.allocatedBytes} bytes after pruning`);
    index.prune(1000 + 99);
    assert.equal(index.size, 0);
    assert.ok(index.allocatedBytes <= empty + 4096 * 32, `${index.allocatedBytes} bytes when empty`);
  });

  it('finds ids across the wrap of positions (2^31 in the slots, 2^32 in bit operations)', () => {
    for (const start of [2 ** 31 - 3000, 2 ** 32 - 3000, 3 * 2 ** 32 - 10]) {
      const index = new TxIndex({ start, minSlots: 4 });
      for (let b = 0; b < 6; b++)
        index.connect(
          b + 2,
          b,
          Array.from({ length: 1000 }, (_, i) => idOf(b * 1000 + i)),
        );
      for (let n = 0; n < 6000; n++) assert.equal(index.heightOf(idOf(n)), Math.floor(n / 1000) + 2, `start ${start}, id ${n}`);
      index.prune(2);
      index.disconnect(7);
      assert.equal(index.size, 2000);
      for (let n = 0; n < 6000; n++) assert.equal(index.heightOf(idOf(n)), n >= 3000 && n < 5000 ? Math.floor(n / 1000) + 2 : undefined);
    }
  });

  it('the id deque allocates a chunk as the back crosses into it and frees it as the front leaves it', () => {
    const d = new IdDeque({ chunkRecords: 4, start: 6 });
    const positions = Array.from({ length: 7 }, () => d.push());
    assert.deepEqual(positions, [6, 7, 8, 9, 10, 11, 12]);
    assert.equal(d.allocatedBytes, 3 * 4 * 32); // chunks of 4–7, 8–11, 12–15
    d.chunk(12)[d.offset(12)] = 0xab;
    d.popFront();
    d.popFront();
    assert.equal(d.allocatedBytes, 3 * 4 * 32); // the first chunk is the spare now
    d.popBack();
    assert.equal(d.allocatedBytes, 2 * 4 * 32); // 8–11, and 12–15 as the spare
    assert.equal(d.back, 12);
    assert.equal(d.push(), 12);
    assert.equal(d.length, 5);
    for (let i = 0; i < 5; i++) d.popFront();
    assert.equal(d.length, 0);
    assert.equal(d.allocatedBytes, 4 * 32);
    assert.equal(d.push(), 13);
    assert.throws(() => new IdDeque({ chunkRecords: 3 }), RangeError);
  });
});
