import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Block } from '@chain/core';
import { easyNetwork, EASY_CLASSIC, until } from '@chain/testkit';
import type { Peer } from '@chain/peer';
import type { ProtocolVersion } from '@chain/protocol';
import { addr, startPeer, stoppedAfterEach } from './helpers';
import { MemoryNetwork } from './memory-transport';
import { chainOn } from './forks';

/** Blocks of up to 40 classic transactions and replies of 24 KiB: from one block a reply to dozens. */
const NET = easyNetwork(EASY_CLASSIC, { name: 'sync-model', maxTxPerBlock: 40 });
const MAX_FRAME = 28 * 1024;
const REMOTE = { kind: 'remote' } as const;

/** A peer's branch: `length` blocks on the `at`-th block of branch `from` (-1: the genesis). */
interface Branch {
  readonly from: number;
  readonly at: number;
  readonly length: number;
  readonly txs: number;
}

interface Shape {
  readonly branches: Branch[];
  /** Links between peers, in the order they are made. */
  readonly links: [number, number][];
  /** The version each peer speaks. */
  readonly protocols: ProtocolVersion[];
}

/** Shapes whose peers speak what `protocol` draws. */
const shapes = (protocol: fc.Arbitrary<ProtocolVersion>): fc.Arbitrary<Shape> =>
  fc.integer({ min: 2, max: 4 }).chain((peers) =>
    fc.record({
      protocols: fc.array(protocol, { minLength: peers, maxLength: peers }),
      branches: fc.tuple(
        ...Array.from({ length: peers }, (_, i) =>
          fc.record({
            from: fc.integer({ min: -1, max: i - 1 }),
            at: fc.nat(),
            // Mostly short, sometimes past several replies and the locator's widest gaps.
            length: fc.oneof(
              { weight: 3, arbitrary: fc.integer({ min: 1, max: 120 }) },
              { weight: 1, arbitrary: fc.integer({ min: 300, max: 1500 }) },
            ),
            txs: fc.oneof(fc.constant(1), fc.constant(40), fc.integer({ min: 1, max: 40 })),
          }),
        ),
      ),
      // A spanning tree (peer i joins one before it) and extra links, then shuffled.
      links: fc
        .tuple(
          fc.tuple(...Array.from({ length: peers - 1 }, (_, i) => fc.integer({ min: 0, max: i }))),
          fc.array(fc.tuple(fc.nat(peers - 1), fc.nat(peers - 1)), { maxLength: 3 }),
        )
        .chain(([tree, extra]) =>
          fc.shuffledSubarray([...tree.map((j, i): [number, number] => [i + 1, j]), ...extra.filter(([x, y]) => x !== y)], {
            minLength: tree.length + extra.filter(([x, y]) => x !== y).length,
          }),
        ),
    }),
  );

/** The blocks of each peer's chain (genesis excluded), built as the shape says. */
function build(s: Shape): Block[][] {
  const chains: Block[][] = [];
  const start = Date.now() - 120_000;
  s.branches.forEach((b, i) => {
    const base = b.from < 0 ? [] : (chains[b.from] as Block[]);
    const keep = base.slice(0, base.length === 0 ? 0 : b.at % (base.length + 1));
    const parent = keep[keep.length - 1] ?? null;
    chains.push([...keep, ...chainOn(NET, parent, b.length, () => 1 + ((i * 7919 + keep.length) % b.txs), start + 10_000 * i)]);
  });
  return chains;
}

describe('peer: sync converges from any fork (model)', function () {
  this.timeout(600_000);
  const peers = stoppedAfterEach();

  const converge = (name: string, protocol: fc.Arbitrary<ProtocolVersion>) =>
    it(`random fork shapes among 2-4 peers, linked in random orders, ${name}: every peer ends on the highest chain`, async () => {
      await fc.assert(
        fc.asyncProperty(shapes(protocol), async (s) => {
          const chains = build(s);
          const top = Math.max(...chains.map((c) => c.length));
          // The highest chain is unique (equal heights may rightly stay apart: first seen stays).
          fc.pre(
            chains.filter((c) => c.length === top).length === 1 ||
              new Set(chains.filter((c) => c.length === top).map((c) => c[top - 1]?.currentHash)).size === 1,
          );
          const best = chains.find((c) => c.length === top) as Block[];
          const net = new MemoryNetwork();
          const group: Peer[] = [];
          try {
            for (const [i, blocks] of chains.entries()) {
              const protocol = s.protocols[i] as ProtocolVersion;
              const p = await startPeer({
                network: NET,
                transport: net.transport,
                heartbeatMs: 50,
                dialIntervalMs: 0,
                maxFrame: MAX_FRAME,
                protocol,
              });
              group.push(p);
              const added = await p.acceptBlocks(blocks, REMOTE);
              assert.ok(added.every((r) => r.ok));
            }
            for (const [x, y] of s.links) (group[x] as Peer).neighbours.configure(addr(group[y] as Peer));
            const tip = (best[best.length - 1] as Block).currentHash;
            await until(() => group.every((p) => p.chain.tip.hash === tip), `all on the highest chain (${top + 1})`, 120_000);
          } finally {
            await Promise.all(group.map((p) => p.stop()));
          }
        }),
        { numRuns: Number(process.env.SYNC_MODEL_RUNS ?? 6), endOnFailure: true },
      );
    });
  converge('all on 1.2 (headers first)', fc.constant('1.2'));
  converge('each on 1.1 or 1.2', fc.constantFrom<ProtocolVersion>('1.1', '1.2'));

  it('a peer far behind three neighbours on one chain fetches each block about once', async () => {
    const net = new MemoryNetwork();
    const blocks = chainOn(NET, null, 1200, () => 3);
    const sources: Peer[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await startPeer({ network: NET, transport: net.transport, heartbeatMs: 100, dialIntervalMs: 0, maxFrame: MAX_FRAME });
      peers.push(p);
      sources.push(p);
      assert.ok((await p.acceptBlocks(blocks, REMOTE)).every((r) => r.ok));
    }
    const fresh = await startPeer({ network: NET, transport: net.transport, heartbeatMs: 100, dialIntervalMs: 0, maxFrame: MAX_FRAME });
    peers.push(fresh);
    let received = 0;
    fresh.on('sync-progress', (e) => (received += e.received));
    for (const p of sources) fresh.neighbours.configure(addr(p));
    await until(() => fresh.chain.height === blocks.length + 1, 'synced', 60_000);
    // One reply from each neighbour on first contact may overlap; after that, one download.
    const perReply = Math.ceil((MAX_FRAME - 4096) / 2 / JSON.stringify(blocks[1]).length);
    assert.ok(received <= blocks.length + 2 * perReply + 10, `received ${received} blocks for ${blocks.length}`);
  });
});
