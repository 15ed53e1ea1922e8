import type { Block } from '@chain/core';
import type { Peer } from '@chain/peer';
import type { Scheduler } from './scheduler';
import { jsonBytes } from './size';

/** What is known about one block: who found it when, and when it reached how many peers. */
export interface BlockRecord {
  readonly hash: string;
  readonly index: number;
  readonly previousHash: string;
  /** The node that found it (-1 when unknown). */
  miner: number;
  /** Virtual time it was found (its first arrival until `mined` says). */
  minedAt: number;
  /** Peers that have it. */
  reached: number;
  /** Virtual time at which it reached 50 %, 90 % and 100 % of the peers (NaN until then). */
  t50: number;
  t90: number;
  t100: number;
  /** Virtual time of its latest arrival at a peer (NaN until one). */
  lastAt: number;
  /** Sum over the peers that have it of the time it took to reach them (ms). */
  delaySum: number;
  /** Its size as JSON (bytes). */
  bytes: number;
}

/**
 * Watches every peer's `block` events: when each block reached how many peers. Events come in
 * time order, so the time a block reaches a share of the peers is the time of the arrival that
 * crosses it; memory is one record a block.
 */
export class BlockTracker {
  readonly #scheduler: Scheduler;
  readonly #peers: number;
  readonly #k50: number;
  readonly #k90: number;
  readonly blocks = new Map<string, BlockRecord>();
  /** Blocks found, in order. */
  readonly mined: BlockRecord[] = [];
  /** Reorganisations seen by any peer, and transactions they returned to pools. */
  reorgs = 0;
  returnedToPool = 0;
  /** Distinct transactions returned to some pool by a reorganisation. */
  readonly returnedIds = new Set<string>();
  /** Per block hash, how many peers hold it in a side branch at some point. */
  sideArrivals = 0;

  constructor(scheduler: Scheduler, peers: number) {
    this.#scheduler = scheduler;
    this.#peers = peers;
    this.#k50 = Math.ceil(0.5 * peers);
    this.#k90 = Math.ceil(0.9 * peers);
  }

  watch(index: number, peer: Peer): void {
    void index;
    peer.on('block', (e) => this.#arrived(e.block, e.status));
    peer.on('reorg', (e) => {
      this.reorgs++;
      this.returnedToPool += e.returnedToPool.length;
      for (const id of e.returnedToPool) this.returnedIds.add(id);
    });
  }

  /** `miner` found `block` now. */
  found(block: Block, miner: number): BlockRecord {
    const r = this.#record(block);
    r.miner = miner;
    r.minedAt = this.#scheduler.time;
    this.mined.push(r);
    return r;
  }

  #record(block: Block): BlockRecord {
    let r = this.blocks.get(block.currentHash);
    if (r === undefined) {
      r = {
        hash: block.currentHash,
        index: block.index,
        previousHash: block.previousHash,
        miner: -1,
        minedAt: this.#scheduler.time,
        reached: 0,
        t50: NaN,
        t90: NaN,
        t100: NaN,
        lastAt: NaN,
        delaySum: 0,
        bytes: jsonBytes(block),
      };
      this.blocks.set(block.currentHash, r);
    }
    return r;
  }

  #arrived(block: Block, status: string): void {
    const r = this.#record(block);
    if (status === 'side') this.sideArrivals++;
    const n = ++r.reached;
    const t = this.#scheduler.time;
    r.delaySum += t - r.minedAt;
    r.lastAt = t;
    if (n === this.#k50) r.t50 = t;
    if (n === this.#k90) r.t90 = t;
    if (n === this.#peers) r.t100 = t;
  }
}
