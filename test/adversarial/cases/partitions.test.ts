import assert from 'node:assert/strict';
import type { NeighbourState } from '@chain/peer';
import { execFileSync } from 'node:child_process';
import { killAll, until } from '@chain/testkit';
import { CLASSIC, classicTx, startPeer, type PeerProcess } from '../lib/harness';

const tag = String(process.pid % 100000);
const NODES = ['a', 'b', 'c'] as const;
type Node = (typeof NODES)[number];
const ns = (n: Node | 'sw') => `chadv${tag}${n}`;
const addr = (n: Node) => `10.200.0.${NODES.indexOf(n) + 1}`;
const PORT = 7000;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

interface Status {
  height: number;
  tip: string;
  pool: string[];
  neighbours: { address: string; state: NeighbourState }[];
}

describe('partitions between peers on separate network hosts', function () {
  this.timeout(90_000);
  const created: string[] = [];
  const peers = new Map<Node, PeerProcess>();

  before(function () {
    try {
      ip('netns', 'add', ns('sw'));
      created.push(ns('sw'));
    } catch (err) {
      console.log(
        `      skipped: network namespaces are not available here (${String((err as Error).message).split('\n')[0]}); run as root with iproute2 to include this case`,
      );
      this.skip();
    }
    // One bridge in a switch namespace; each peer in its own namespace on a veth pair to it.
    ip('-n', ns('sw'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('sw'), 'link', 'set', 'br0', 'up');
    for (const n of NODES) {
      ip('netns', 'add', ns(n));
      created.push(ns(n));
      const [inner, outer] = [`v${tag}${n}`, `v${tag}${n}s`];
      ip('link', 'add', inner, 'type', 'veth', 'peer', 'name', outer);
      ip('link', 'set', inner, 'netns', ns(n));
      ip('link', 'set', outer, 'netns', ns('sw'));
      ip('-n', ns('sw'), 'link', 'set', outer, 'master', 'br0', 'up');
      ip('-n', ns(n), 'addr', 'add', `${addr(n)}/24`, 'dev', inner);
      ip('-n', ns(n), 'link', 'set', inner, 'up');
      ip('-n', ns(n), 'link', 'set', 'lo', 'up');
    }
  });

  after(async () => {
    await killAll();
    for (const name of created.reverse()) {
      try {
        ip('netns', 'del', name);
      } catch {
        // already gone
      }
    }
  });

  const status = (n: Node) => (peers.get(n) as PeerProcess).command<Status>('status', 'status');
  const link = (n: Node, state: 'up' | 'down') => ip('-n', ns('sw'), 'link', 'set', `v${tag}${n}s`, state);
  async function submit(n: Node, content: string): Promise<string> {
    const r = await (peers.get(n) as PeerProcess).command<{ ok: boolean; id: string }>(
      `tx ${JSON.stringify(classicTx(content))}`,
      'tx-result',
    );
    assert.ok(r.ok);
    return r.id;
  }
  async function mine(n: Node): Promise<number> {
    const r = await (peers.get(n) as PeerProcess).command<{ ok: boolean; index: number }>('mine', 'mined');
    assert.ok(r.ok, JSON.stringify(r));
    return r.index;
  }
  async function all(): Promise<Status[]> {
    const out: Status[] = [];
    for (const n of NODES) out.push(await status(n));
    return out;
  }

  it('three peers in three namespaces: a cut link splits them, restoring it converges on the longest chain with the pool fixed up', async () => {
    for (const n of NODES) {
      const others = NODES.filter((m) => m !== n).map((m) => `${addr(m)}:${PORT}`);
      const p = await startPeer({ network: CLASSIC, host: addr(n), port: PORT, neighbours: others, heartbeatMs: 200 }, [
        'ip',
        'netns',
        'exec',
        ns(n),
      ]);
      assert.equal(p.port, PORT);
      assert.match(p.stdout, new RegExp(`listening on ${addr(n).replace(/\./g, '\\.')}:${PORT}`));
      peers.set(n, p);
    }
    await until(async () => (await all()).every((s) => s.neighbours.filter((x) => x.state === 'open').length === 2), 'a full mesh', 20_000);
    await submit('a', 'before the cut');
    await until(async () => (await all()).every((s) => s.pool.length === 1), 'gossip', 10_000);
    await mine('a');
    await until(async () => (await all()).every((s) => s.height === 2), 'one chain', 10_000);

    link('c', 'down');
    const x = await submit('a', 'mined on the majority side');
    await mine('a');
    await until(async () => (await status('b')).height === 3, 'b follows a', 10_000);
    const y = await submit('c', 'mined alone, first');
    await mine('c');
    const z = await submit('c', 'mined alone, second');
    await mine('c');
    const w = await submit('a', 'waiting on the majority side');
    const [sa, sb, sc] = await all();
    assert.equal(sa!.height, 3);
    assert.equal(sb!.height, 3);
    assert.equal(sc!.height, 4, 'the cut-off peer mined on alone');
    assert.notEqual(sa!.tip, sc!.tip);
    assert.ok(!sc!.pool.includes(w), 'nothing crosses a cut link');

    link('c', 'up');
    await until(
      async () => {
        const s = await all();
        return (
          s.every((t) => t.tip === sc!.tip) && s.every((t) => JSON.stringify([...t.pool].sort()) === JSON.stringify([...s[0]!.pool].sort()))
        );
      },
      'convergence after the link is restored',
      45_000,
    );
    const final = await all();
    for (const s of final) {
      assert.equal(s.height, 4);
      // The majority's block lost: its transaction went back to the pool, beside the waiting one.
      assert.deepEqual([...s.pool].sort(), [x, w].sort());
      assert.ok(!s.pool.includes(y) && !s.pool.includes(z));
    }
  });
});
