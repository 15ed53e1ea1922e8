import { BoundedMap, txId, type Block, type ChainState } from '@chain/core';
import type { Peer, PeerEvents } from '@chain/peer';
import { NeighbourHeights, type LocalHeight } from './neighbour-heights';
import type { ReorgView, Sample, StreamEvents } from './types';
import { sourceText, statusOf, summaryOfBlock } from './views';

/** Bounds of what the explorer remembers about one peer. */
export const HISTORY_LIMITS = {
  reorgs: 50,
  abandoned: 10_000,
  txBlocks: 100_000,
  samples: 300,
} as const;

/** Where stream events go; `listening()` says whether anyone receives them (events are built only then). */
export interface StreamSink {
  emit<K extends keyof StreamEvents>(event: K, data: StreamEvents[K]): void;
  listening(): boolean;
}

/**
 * What the explorer keeps about one peer, in bounded memory: the last
 * reorganisations, the blocks they abandoned, which side-branch or abandoned
 * block holds each transaction seen since the explorer started (the chain's
 * own index covers the best chain), and hash-rate samples. It also turns the
 * peer's events into stream events.
 */
export class PeerHistory {
  readonly name: string;
  readonly peer: Peer;
  readonly reorgs: ReorgView[] = [];
  readonly samples: Sample[] = [];
  readonly #abandoned = new BoundedMap<string, true>(HISTORY_LIMITS.abandoned);
  readonly #txBlocks = new BoundedMap<string, string>(HISTORY_LIMITS.txBlocks);
  readonly #neighbours: NeighbourHeights;
  readonly #detach: () => void;

  /** `local`: the height of another peer this explorer serves, by its listening address. */
  constructor(name: string, peer: Peer, sink: StreamSink, local: LocalHeight = () => undefined) {
    this.name = name;
    this.peer = peer;
    this.#neighbours = new NeighbourHeights(local);
    const handlers: { [K in keyof PeerEvents]?: (...args: PeerEvents[K]) => void } = {
      block: ({ block, status, source }) => {
        if (source.kind === 'neighbour') this.#neighbours.heard(source.address, block.index, peer.now());
        const txIds = status === 'side' ? this.#remember(block) : null;
        if (!sink.listening()) return;
        sink.emit('block', { status, block: summaryOfBlock(block), txIds: txIds ?? this.#ids(block), source: sourceText(source) });
      },
      reorg: ({ connected, disconnected, returnedToPool }) => {
        for (const b of disconnected) {
          this.#abandoned.set(b.currentHash, true);
          this.#remember(b);
        }
        const first = connected[0] ?? disconnected[0];
        const view: ReorgView = {
          time: peer.now(),
          forkHeight: first ? first.index - 1 : peer.chain.height,
          disconnected: disconnected.map((b) => ({ index: b.index, hash: b.currentHash })),
          connected: connected.map((b) => ({ index: b.index, hash: b.currentHash })),
          returnedToPool: returnedToPool.length,
        };
        this.reorgs.push(view);
        if (this.reorgs.length > HISTORY_LIMITS.reorgs) this.reorgs.shift();
        sink.emit('reorg', view);
      },
      tx: ({ id, tx, source }) => sink.emit('tx', { id, tx, source: sourceText(source) }),
      peer: ({ address, state }) => sink.emit('peer', { address, state }),
    };
    for (const [event, fn] of Object.entries(handlers)) peer.on(event as keyof PeerEvents, fn as never);
    this.#detach = () => {
      for (const [event, fn] of Object.entries(handlers)) peer.off(event as keyof PeerEvents, fn as never);
    };
    this.sample();
  }

  get chain(): ChainState {
    return this.peer.chain;
  }

  /** Whether a reorganisation seen here took this block off the best chain. */
  abandoned(hash: string): boolean {
    return this.#abandoned.has(hash);
  }

  /** The side-branch or abandoned block holding transaction `id`, among those seen since the explorer started. */
  blockOf(id: string): string | undefined {
    return this.#txBlocks.get(id);
  }

  /** Take a hash-rate sample (the explorer does every second). */
  sample(): Sample {
    const s: Sample = { time: this.peer.now(), hashrate: this.peer.miner?.hashrate ?? 0, height: this.chain.height };
    this.samples.push(s);
    if (this.samples.length > HISTORY_LIMITS.samples) this.samples.shift();
    return s;
  }

  status() {
    return statusOf(this.name, this.peer, (n) => this.#neighbours.current(n));
  }

  close(): void {
    this.#detach();
  }

  #ids(block: Block): string[] {
    return block.transactions.map((tx) => txId(this.chain.genesisHash, tx));
  }

  #remember(block: Block): string[] {
    const ids = this.#ids(block);
    for (const id of ids) this.#txBlocks.set(id, block.currentHash);
    return ids;
  }
}
