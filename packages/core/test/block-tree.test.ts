import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlockTree } from '../src/chain/block-tree';
import { HashSlots, hexAt, hexEquals, hexInto } from '../src/chain/hash-slots';
import { MetaList, type StoredMetas } from '../src/chain/meta-list';
import { TreeRows } from '../src/chain/tree-rows';
import type { BlockMeta } from '../src/chain/meta';
import { ReferenceTree } from './reference-tree';

const hex = (bytes: number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
const GENESIS: BlockMeta = { hash: 'ab'.repeat(32), index: 1, timestamp: 1000, proof: 0, previousHash: '00'.repeat(32), txCount: 0 };

type Op =
  | { kind: 'add'; parent: number; hash: number[]; dt: number; proof: number; txCount: number }
  | { kind: 'readd'; pick: number }
  | { kind: 'ids'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      parent: fc.nat(),
      hash: fc.array(fc.nat(255), { minLength: 32, maxLength: 32 }),
      dt: fc.nat(5000),
      proof: fc.nat(),
      txCount: fc.nat(500),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('readd' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ids' as const), pick: fc.nat() }) },
);

interface Tree {
  readonly tip: BlockMeta;
  readonly sideCount: number;
  get(hash: string): BlockMeta | undefined;
  sideMetas(): BlockMeta[];
  hashAt(height: number): string | undefined;
  onBest(hash: string): boolean;
  sideIds(hash: string): readonly string[] | undefined;
  setSideIds(hash: string, ids: readonly string[]): void;
  branchTo(hash: string): BlockMeta[];
  extend(meta: BlockMeta): void;
  addSide(meta: BlockMeta, ids: readonly string[]): void;
  switchTo(meta: BlockMeta, ids: readonly string[]): void;
  pruneSide(): void;
}

/** Stored metas that are not a compact list: what any other store might return. */
function plain(metas: readonly BlockMeta[]): StoredMetas {
  return { length: metas.length, rowOf: (hash) => metas.findIndex((m) => m.hash === hash), meta: (row) => metas[row] as BlockMeta };
}

/** What the chain state does with a new valid block whose parent is in the tree. */
function add(tree: Tree, meta: BlockMeta): void {
  const ids = [`id-${meta.hash.slice(0, 8)}`];
  const tip = tree.tip;
  if (meta.index <= tip.index) return tree.addSide(meta, ids);
  if (meta.previousHash === tip.hash) tree.extend(meta);
  else tree.switchTo(meta, ids);
  tree.pruneSide();
}

function same(a: Tree, b: Tree, known: readonly BlockMeta[]): void {
  assert.deepEqual(a.tip, b.tip);
  assert.equal(a.sideCount, b.sideCount);
  assert.deepEqual(a.sideMetas(), b.sideMetas());
  for (let h = 0; h <= b.tip.index + 1; h++) assert.equal(a.hashAt(h), b.hashAt(h), `hashAt(${h})`);
  assert.equal(a.hashAt(1.5), undefined);
  for (const m of known) {
    assert.deepEqual(a.get(m.hash), b.get(m.hash));
    assert.equal(a.onBest(m.hash), b.onBest(m.hash));
    assert.deepEqual(a.sideIds(m.hash), b.sideIds(m.hash));
    assert.deepEqual(a.branchTo(m.hash), b.branchTo(m.hash));
  }
  for (const bad of ['', 'AB'.repeat(32), 'zz'.repeat(32), 'ab'.repeat(31)]) {
    assert.equal(a.get(bad), undefined);
    assert.equal(a.onBest(bad), false);
  }
}

/**
 * Apply `ops` to `trees` and the reference alike, comparing after each. `known` and `stored` grow
 * with the new blocks; `store(meta)` runs before the trees hear of a block, as a block store's put does.
 */
function play(ops: readonly Op[], trees: readonly Tree[], ref: ReferenceTree, known: BlockMeta[], store: (m: BlockMeta) => void): void {
  const seen = new Set(known.map((m) => m.hash));
  for (const o of ops) {
    if (o.kind === 'add') {
      const inTree = known.filter((m) => ref.get(m.hash));
      const parent = inTree[o.parent % inTree.length] as BlockMeta;
      const hash = hex(o.hash);
      if (seen.has(hash)) continue;
      seen.add(hash);
      const meta = {
        hash,
        index: parent.index + 1,
        timestamp: parent.timestamp + o.dt,
        proof: o.proof,
        previousHash: parent.hash,
        txCount: o.txCount,
      };
      known.push(meta);
      store(meta);
      for (const t of trees) add(t, meta);
      add(ref, meta);
    } else if (o.kind === 'readd') {
      // A pruned block that comes back (its parent still known).
      const back = known.filter((m) => !ref.get(m.hash) && ref.get(m.previousHash));
      if (back.length === 0) continue;
      const meta = back[o.pick % back.length] as BlockMeta;
      for (const t of trees) add(t, meta);
      add(ref, meta);
    } else {
      const inTree = known.filter((m) => ref.get(m.hash));
      const m = inTree[o.pick % inTree.length] as BlockMeta;
      for (const t of trees) t.setSideIds(m.hash, [`again-${o.pick}`]);
      ref.setSideIds(m.hash, [`again-${o.pick}`]);
    }
    for (const t of trees) same(t, ref, known);
  }
}

describe('block tree (compact)', () => {
  it('answers like the object tree: tip, hashAt, meta, onBest, side branches, pruning, restore', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 120 }),
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (ops, later, depth) => {
          const known: BlockMeta[] = [GENESIS];
          const stored: BlockMeta[] = [];
          play(ops, [new BlockTree(GENESIS, depth)], new ReferenceTree(GENESIS, depth), known, (m) => stored.push(m));
          // Restart: rebuilt from the stored metas in storage order, from a compact list (as the
          // block stores keep them: shared, and appended to by the store as blocks come) and from
          // any other StoredMetas; then more blocks.
          const list = new MetaList();
          for (const m of stored) list.push(m);
          const restored = new BlockTree(GENESIS, depth);
          restored.restore(list);
          const refRestored = new ReferenceTree(GENESIS, depth);
          refRestored.restore(stored);
          same(restored, refRestored, known);
          const fromObjects = new BlockTree(GENESIS, depth);
          fromObjects.restore(plain(stored));
          same(fromObjects, refRestored, known);
          play(later, [restored, fromObjects], refRestored, known, (m) => list.push(m));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('shares a compact list: no meta object per stored block, and blocks its store never had still join', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), fc.array(op, { maxLength: 60 }), fc.nat(), (ops, later, skip) => {
        const known: BlockMeta[] = [GENESIS];
        const list = new MetaList();
        // The store holds the genesis too (a store may), and keeps the blocks' metas.
        list.push(GENESIS);
        play(ops, [new BlockTree(GENESIS, 4)], new ReferenceTree(GENESIS, 4), known, (m) => list.push(m));
        const stored = Array.from({ length: list.length }, (_, i) => list.meta(i));
        let made = 0;
        const meta = list.meta.bind(list);
        list.meta = (row) => (made++, meta(row));
        const tree = new BlockTree(GENESIS, 4);
        tree.restore(list);
        assert.equal(made, 0, `${made} metas made for ${list.length} rows`);
        list.meta = meta;
        const ref = new ReferenceTree(GENESIS, 4);
        ref.restore(stored.slice(1));
        same(tree, ref, known);
        // A store that appends only some of the later blocks to the list it returned.
        let n = 0;
        play(later, [tree], ref, known, (m) => void (n++ % 3 === skip % 3 ? undefined : list.push(m)));
      }),
      { numRuns: 300 },
    );
  });

  it('tree rows: a shared row is the row the store has; what the store lacks gets a row of its own, linked both ways', () => {
    const meta = (n: number, parent: BlockMeta): BlockMeta => ({
      hash: hex(Array.from({ length: 32 }, (_, i) => (n * 31 + i) & 255)),
      index: parent.index + 1,
      timestamp: parent.timestamp + 1,
      proof: n,
      previousHash: parent.hash,
      txCount: n,
    });
    const b2 = meta(2, GENESIS);
    const b3 = meta(3, b2);
    const b4 = meta(4, b3);
    const b5 = meta(5, b4);
    const store = new MetaList();
    store.push(b2);
    store.push(b3);
    const rows = new TreeRows();
    const genesis = rows.push(GENESIS);
    rows.share(store);
    assert.throws(() => rows.share(new MetaList()), /already shares/);
    assert.equal(rows.rowOf(b2.hash), -1, 'a shared row is in the tree only once joined');
    assert.equal(rows.push(b2), 0);
    assert.equal(rows.push(b3), 1);
    assert.equal(rows.parent(0), genesis, 'parent outside the store: found by hash');
    assert.equal(rows.parent(1), 0);
    const own = rows.push(b4); // a block the store does not hold
    assert.ok(own !== 0 && own !== 1 && own !== genesis);
    assert.equal(rows.parent(own), 1);
    assert.deepEqual(rows.meta(own), b4);
    store.push(b5); // the store appends before the tree hears of it
    assert.equal(rows.push(b5), 2);
    assert.equal(rows.parent(2), own, 'parent in the own rows: found by hash');
    assert.deepEqual(rows.meta(2), b5);
    rows.remove(1);
    assert.equal(rows.rowOf(b3.hash), -1);
    assert.equal(store.rowOf(b3.hash), 1, 'the store keeps its row');
    assert.equal(rows.push(b3), 1, 'and it comes back as the same row');
    assert.deepEqual([...rows.sharedCopies()], [], 'the genesis is not in the store');
    const withGenesis = new MetaList();
    withGenesis.push(b2);
    withGenesis.push(GENESIS);
    const again = new TreeRows();
    again.push(GENESIS);
    again.share(withGenesis);
    assert.deepEqual([...again.sharedCopies()], [1]);
  });

  it('refuses a stored block with an unknown parent', () => {
    const list = new MetaList();
    list.push({ hash: 'cd'.repeat(32), index: 2, timestamp: 1, proof: 0, previousHash: 'ef'.repeat(32), txCount: 0 });
    assert.throws(() => new BlockTree(GENESIS, 10).restore(list), /unknown parent efef/);
    assert.throws(() => new BlockTree(GENESIS, 10).restore(plain([list.meta(0)])), /unknown parent efef/);
    // The parent stored after its child: unknown when the child is read, as from any store.
    list.push({ hash: 'ef'.repeat(32), index: 1, timestamp: 0, proof: 0, previousHash: GENESIS.hash, txCount: 0 });
    assert.equal(list.parent(0), 1);
    assert.throws(() => new BlockTree(GENESIS, 10).restore(list), /unknown parent efef/);
  });
});

describe('compact metas', () => {
  it('hex round trip, lowercase only', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(255), { minLength: 32, maxLength: 32 }), (bytes) => {
        const h = hex(bytes);
        const out = new Uint8Array(40);
        assert.ok(hexInto(h, out, 8));
        assert.equal(hexAt(out, 8), h);
        assert.ok(hexEquals(h, out, 8));
        assert.equal(hexEquals(h, out, 7), hexAt(out, 7) === h);
        assert.equal(hexInto(h.toUpperCase(), out, 0), h === h.toUpperCase());
      }),
    );
    assert.equal(hexInto('g'.repeat(64), new Uint8Array(32), 0), false);
  });

  it('a meta list finds every row by hash and keeps row order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(fc.nat(255), { minLength: 32, maxLength: 32 }), { selector: hex, maxLength: 3000 }), (hashes) => {
        const list = new MetaList();
        const metas = hashes.map((b, i) => ({
          hash: hex(b),
          index: i + 2,
          timestamp: i * 1.5,
          proof: i * 7,
          previousHash: hex([...b].reverse()),
          txCount: i,
        }));
        const half = Math.floor(metas.length / 2);
        metas.slice(0, half).forEach((m) => list.push(m));
        assert.equal(list.length, half);
        metas.slice(half).forEach((m) => list.push(m));
        assert.equal(list.length, metas.length);
        metas.forEach((m, i) => {
          assert.equal(list.rowOf(m.hash), i);
          assert.deepEqual(list.meta(i), m);
        });
        assert.equal(
          list.rowOf('12'.repeat(32)),
          metas.findIndex((m) => m.hash === '12'.repeat(32)),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('parents are rows: each previous hash comes back, appended from objects or from bytes, and a parent appended late is linked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(fc.nat(255), { minLength: 32, maxLength: 32 }), { selector: hex, minLength: 1, maxLength: 300 }),
        fc.array(fc.nat()),
        (hashes, picks) => {
          // A tree of metas in storage order: each parent is an earlier meta or one outside the list.
          const outside = 'ee'.repeat(32);
          const metas: BlockMeta[] = hashes.map((b, i) => {
            const pick = picks[i] ?? 0;
            const previousHash = i === 0 || pick % 4 === 0 ? outside : hex(hashes[pick % i] as number[]);
            return { hash: hex(b), index: i + 2, timestamp: i, proof: i * 3, previousHash, txCount: i % 7 };
          });
          const fromObjects = new MetaList();
          const fromBytes = new MetaList();
          for (const m of metas) {
            fromObjects.push(m);
            const bytes = new Uint8Array(64);
            hexInto(m.hash, bytes, 0);
            hexInto(m.previousHash, bytes, 32);
            fromBytes.pushBytes(bytes, 0, bytes, 32, m.index, m.timestamp, m.proof, m.txCount);
          }
          metas.forEach((m, i) => {
            assert.deepEqual(fromObjects.meta(i), m);
            assert.deepEqual(fromBytes.meta(i), m);
            assert.equal(fromObjects.parent(i), fromObjects.rowOf(m.previousHash));
          });
          // The outside parent arrives last: every row that named it now points at it.
          const last = fromObjects.push({ hash: outside, index: 1, timestamp: 0, proof: 0, previousHash: '00'.repeat(32), txCount: 0 });
          metas.forEach((m, i) => {
            assert.equal(fromObjects.parent(i), m.previousHash === outside ? last : fromObjects.rowOf(m.previousHash));
            assert.deepEqual(fromObjects.meta(i), m);
          });
        },
      ),
      { numRuns: 50 },
    );
    assert.throws(() => new MetaList().push({ ...GENESIS, hash: 'AB'.repeat(32) }), /not a block hash/);
    // A removed row is no parent, even the row appended last.
    const list = new MetaList();
    list.remove(list.push(GENESIS));
    const bytes = new Uint8Array(64);
    hexInto('cd'.repeat(32), bytes, 0);
    hexInto(GENESIS.hash, bytes, 32);
    assert.equal(list.parent(list.pushBytes(bytes, 0, bytes, 32, 2, 0, 0, 0)), -1);
  });

  it('hash slots survive removals and reinsertions (tombstones, rehashing)', () => {
    const n = 5000;
    const keys = new Uint8Array(n * 32);
    for (let i = 0; i < keys.length; i++) keys[i] = (Math.imul(i + 1, 2654435761) >>> 13) & 255;
    for (let r = 0; r < n; r++) {
      keys[r * 32] = r & 255; // distinct keys
      keys[r * 32 + 1] = r >> 8;
    }
    const slots = new HashSlots(() => keys);
    const live = new Set<number>();
    for (let round = 0; round < 4; round++) {
      for (let r = 0; r < n; r++) {
        if ((r + round) % 3 !== 0 && !live.has(r)) {
          slots.insert(r);
          live.add(r);
        }
      }
      for (let r = 0; r < n; r++) {
        if ((r * 7 + round) % 5 === 0 && live.has(r)) {
          slots.remove(r);
          live.delete(r);
        }
      }
      assert.equal(slots.size, live.size);
      for (let r = 0; r < n; r++) assert.equal(slots.find(keys, r * 32), live.has(r) ? r : -1);
    }
  });
});
