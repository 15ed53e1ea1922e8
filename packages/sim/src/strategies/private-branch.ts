import type { Block, ParentInfo } from '@chain/core';
import type { TransportClient } from '@chain/net';
import { buildBlock } from '../mining';
import { SIM_PORT, hostOf, type SimNode, type World } from '../world';

/** The header fields a child is built on. */
export function parentOf(block: Pick<Block, 'currentHash' | 'index' | 'timestamp' | 'proof'>): ParentInfo {
  return { hash: block.currentHash, index: block.index, timestamp: block.timestamp, proof: block.proof };
}

/**
 * The machinery of an attacker that mines out of sight: a real peer (its view of the public chain,
 * which it follows and serves like any peer), a private branch of blocks it builds itself on any
 * parent, and connections of its own to the honest peers through which it publishes exactly what
 * it chooses, to whom it chooses. Its peer relays no block (`nb`): an attacker does not help the
 * blocks it competes with. Transactions and heartbeats go as usual.
 */
export class PrivateBranch {
  readonly world: World;
  readonly node: SimNode;
  /** Hashes of every block this attacker made. */
  readonly own = new Set<string>();
  /** The branch since the fork point, oldest first; the first `published` are public. */
  blocks: Block[] = [];
  published = 0;
  /** The block the branch is built on. */
  fork: ParentInfo;
  /** Height of the longest public chain this attacker knows. */
  publicHeight: number;
  readonly #clients = new Map<number, TransportClient>();
  readonly #mine = new Set<TransportClient>();

  constructor(world: World, node: number, targets: readonly number[], onPublic: (block: Block) => void) {
    this.world = world;
    this.node = world.nodes[node] as SimNode;
    const chain = this.node.peer.chain;
    this.fork = { hash: chain.tip.hash, index: chain.tip.index, timestamp: chain.tip.timestamp, proof: chain.tip.proof };
    this.publicHeight = chain.height;
    world.fabric.filter(node, (client, op) =>
      (op === 'nb' || op === 'cb') && !this.#mine.has(client) ? { reply: { status: 'Accepted' } } : undefined,
    );
    const transport = world.fabric.transport(node);
    for (const t of targets) {
      const client = transport.createClient({
        host: hostOf(t),
        port: SIM_PORT,
        requestTimeoutMs: 15_000,
        whileDisconnected: 'queue',
        backoff: { initialMs: 100, maxMs: 5000 },
      });
      this.#mine.add(client);
      this.#clients.set(t, client);
    }
    this.node.peer.on('block', (e) => {
      if (this.own.has(e.block.currentHash)) return;
      onPublic(e.block);
    });
  }

  /** Height of the private chain (the fork point plus the branch). */
  get length(): number {
    return this.fork.index + this.blocks.length;
  }

  /** The block the next private block builds on. */
  get tip(): ParentInfo {
    const last = this.blocks[this.blocks.length - 1];
    return last ? parentOf(last) : this.fork;
  }

  /** Mine a block on the private tip (it holds one fresh transaction of the attacker) and keep it. */
  mine(): Block {
    const now = this.world.scheduler.now();
    const block = buildBlock(this.world, this.tip, [this.world.txs.make(now, `a${this.node.index}`)], now);
    this.own.add(block.currentHash);
    this.blocks.push(block);
    this.world.trace.block(this.world.scheduler.time, this.node.index, block.currentHash);
    this.world.tracker.found(block, this.node.index);
    return block;
  }

  /** Announce blocks (in order) with `nb` to `targets` over this attacker's own connections, and add them to its own peer. */
  publish(blocks: readonly Block[], targets: Iterable<number>): void {
    if (blocks.length === 0) return;
    this.world.trace.note(this.world.scheduler.time, `publish ${blocks.map((b) => b.currentHash.slice(0, 16)).join(',')}`);
    for (const t of targets) {
      const client = this.#clients.get(t);
      if (client === undefined) continue;
      for (const block of blocks) client.request('nb', { block }).catch(() => undefined);
    }
    const top = blocks[blocks.length - 1] as Block;
    this.publicHeight = Math.max(this.publicHeight, top.index);
    void this.node.peer.acceptBlocks(blocks, { kind: 'local' });
  }

  /** Give up the branch and build on the public tip as this attacker's peer sees it. */
  adopt(): void {
    const tip = this.node.peer.chain.tip;
    this.fork = { hash: tip.hash, index: tip.index, timestamp: tip.timestamp, proof: tip.proof };
    this.blocks = [];
    this.published = 0;
  }

  /** The whole branch is public and the best chain: start a new one on its last block. */
  restart(): void {
    this.fork = this.tip;
    this.blocks = [];
    this.published = 0;
  }

  /** Every honest target. */
  get targets(): number[] {
    return [...this.#clients.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}
