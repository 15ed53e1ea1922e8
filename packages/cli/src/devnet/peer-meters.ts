import type { Block } from '@chain/core';
import type { Peer, PeerEvents } from '@chain/peer';
import { WindowRate } from './window-rate';

/**
 * What a devnet's status line measures of one peer over a sliding window:
 * transactions confirmed per second (those that joined its best chain; a
 * reorganisation counts what it connects less what it disconnects), and the
 * work its miner did per second. The miner's own hash rate is measured only
 * while a search runs, and at a devnet's difficulty most searches end within
 * milliseconds, before any measurement: so the work is also estimated the way
 * a network's hash rate is, from the blocks this peer mined times the attempts
 * a block takes on average (16^difficulty). The status line shows the larger.
 */
export class PeerMeters {
  readonly confirmed: WindowRate;
  readonly #work: WindowRate;
  readonly #attemptsPerBlock: number;
  readonly #detach: () => void;

  constructor(peer: Peer, windowMs = 10_000, now: () => number = Date.now) {
    this.confirmed = new WindowRate(windowMs, now);
    this.#work = new WindowRate(windowMs, now);
    this.#attemptsPerBlock = 16 ** peer.network.difficulty;
    const count = (blocks: readonly Block[]) => blocks.reduce((s, b) => s + b.transactions.length, 0);
    const onBlock = ({ block, status, source }: PeerEvents['block'][0]) => {
      if (status === 'extended') this.confirmed.add(block.transactions.length);
      if (source.kind === 'local') this.#work.add(this.#attemptsPerBlock);
    };
    const onReorg = ({ connected, disconnected }: PeerEvents['reorg'][0]) => this.confirmed.add(count(connected) - count(disconnected));
    peer.on('block', onBlock);
    peer.on('reorg', onReorg);
    this.#detach = () => {
      peer.off('block', onBlock);
      peer.off('reorg', onReorg);
    };
  }

  /** Attempts a second: `measured` (the miner's, while it searches) or the estimate from mined blocks, whichever is larger. */
  hashrate(measured: number): number {
    return Math.max(measured, this.#work.perSecond());
  }

  stop(): void {
    this.#detach();
  }
}
