import { createTemplate, findProof, sealBlock, txId, txLeaf, type Block, type ParentInfo, type Transaction } from '@chain/core';
import type { QueuedEvent } from './heap';
import type { Random } from './random';
import type { SimNode, World } from './world';

/** Whoever a found block belongs to: decides what to do with it. */
export interface MinerAgent {
  /** The node whose hash power this is. */
  readonly node: number;
  /** This agent found a block now. */
  found(): Promise<void>;
}

/** The proof of a template at the network's difficulty (16 hashes on average at difficulty 1). */
export function solve(world: World, templateHash: string, previousProof: number): number {
  const p = world.network;
  const proof = findProof({ rule: p.pow, templateHash, previousProof, difficulty: p.difficulty });
  if (proof === null) throw new Error(`no proof for template ${templateHash}`);
  return proof;
}

/**
 * Mine one block the way the in-process miner does: ask the peer for work (`gp`), find the proof
 * and submit it (`up`); the peer adds the block and announces it. A peer with nothing to mine
 * first gets a transaction of its own miner (a block holds at least one). Null when the peer
 * did not reward the proof (its tip moved while it was being added).
 */
export async function mineHonestly(world: World, node: SimNode): Promise<Block | null> {
  const source = node.peer.localWorkSource();
  let work = await source.getWork(null, 0);
  if (work.templateHash === null) {
    await node.peer.submitTransaction(world.txs.make(world.scheduler.now(), `m${node.index}`));
    work = await source.getWork(null, 0);
    if (work.templateHash === null) return null;
  }
  const proof = solve(world, work.templateHash, work.previousProof);
  const r = await source.submit(proof, work.templateHash);
  if (r.status !== 'Reward') return null;
  const block = await node.peer.chain.getBlock(r.block.currentHash);
  if (block === undefined) throw new Error(`peer ${node.index} rewarded block ${r.block.currentHash} but does not have it`);
  world.trace.block(world.scheduler.time, node.index, block.currentHash);
  world.tracker.found(block, node.index);
  return block;
}

/** A block on any parent, outside any peer (an attacker's private branch): the given transactions, stamped `timestamp`. */
export function buildBlock(world: World, parent: ParentInfo, txs: readonly Transaction[], timestamp: number): Block {
  const fmt = world.network.txFormat;
  const ids = txs.map((tx) => txId(world.genesisHash, tx));
  void txLeaf;
  const t = createTemplate(parent, txs, ids, Math.max(timestamp, parent.timestamp), fmt);
  return sealBlock(t, solve(world, t.templateHash, t.previousProof));
}

/** An honest miner: its blocks go to its peer at once. */
export class HonestMiner implements MinerAgent {
  readonly node: number;
  readonly #world: World;
  /** Blocks its peer did not reward (the tip moved under it). */
  lost = 0;

  constructor(world: World, node: number) {
    this.#world = world;
    this.node = node;
  }

  async found(): Promise<void> {
    const b = await mineHonestly(this.#world, this.#world.nodes[this.node] as SimNode);
    if (b === null) this.lost++;
  }
}

/**
 * Block discovery: a Poisson process with mean gap `intervalMs` in virtual time; each block goes
 * to an agent with probability proportional to its share of the hash power (SimBlock's
 * `−ln(1−u) · difficulty / power`, with the network's total power in one draw).
 */
export class Mining {
  readonly #world: World;
  readonly #agents: readonly MinerAgent[];
  readonly #shares: readonly number[];
  readonly #intervalMs: number;
  readonly #rng: Random;
  #next: QueuedEvent | null = null;
  #limit = Infinity;
  /** Blocks found so far (by every agent). */
  found = 0;
  /** Per agent, blocks found. */
  readonly foundBy: number[];
  /** Called after each found block (once the agent has dealt with it). */
  onFound: ((agent: MinerAgent) => void) | null = null;

  constructor(world: World, agents: readonly MinerAgent[], shares: readonly number[], intervalMs: number) {
    if (agents.length === 0 || agents.length !== shares.length)
      throw new RangeError('mining needs one share per agent and at least one agent');
    if (shares.some((s) => !(s >= 0)) || !shares.some((s) => s > 0)) throw new RangeError('hash power shares must be ≥ 0 and not all 0');
    if (!(intervalMs > 0)) throw new RangeError(`the block interval must be positive, got ${intervalMs}`);
    this.#world = world;
    this.#agents = agents;
    this.#shares = shares;
    this.#intervalMs = intervalMs;
    this.#rng = world.rng.fork('mining');
    this.foundBy = agents.map(() => 0);
  }

  /** Start finding blocks; stop after `limit` blocks in all. */
  start(limit = Infinity): void {
    this.#limit = limit;
    this.#schedule();
  }

  stop(): void {
    if (this.#next) this.#world.scheduler.cancel(this.#next);
    this.#next = null;
  }

  get running(): boolean {
    return this.#next !== null;
  }

  #schedule(): void {
    if (this.found >= this.#limit) {
      this.#next = null;
      return;
    }
    this.#next = this.#world.scheduler.after(this.#rng.exponential(this.#intervalMs), () => {
      const i = this.#rng.weighted(this.#shares);
      const agent = this.#agents[i] as MinerAgent;
      this.found++;
      this.foundBy[i] = (this.foundBy[i] as number) + 1;
      this.#schedule();
      void agent.found().then(() => this.onFound?.(agent));
    });
  }
}
